// A tiny DOM builder: no framework, no innerHTML, no inline styles (the CSP forbids them).
type Child = Node | string | number | false | null | undefined | readonly Child[];
type Attrs = Record<string, string | number | boolean | undefined | ((ev: Event) => void)>;

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child as readonly Child[]) append(parent, c);
    return;
  }
  parent.appendChild(
    typeof child === 'string' || typeof child === 'number'
      ? document.createTextNode(String(child))
      : (child as Node),
  );
}

function applyAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') {
      el.addEventListener(k.replace(/^on/, ''), v);
      continue;
    }
    if (k === 'style') throw new Error('inline styles are not allowed (CSP)');
    el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG pictogram from [tag, attrs] parts; decorative unless a label is given. */
export function svg(
  viewBox: string,
  parts: readonly (readonly [string, Record<string, string | number>])[],
  cls = 'icon',
  label?: string,
): SVGSVGElement {
  const el = document.createElementNS(SVG_NS, 'svg');
  el.setAttribute('viewBox', viewBox);
  el.setAttribute('class', cls);
  if (label) {
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', label);
  } else el.setAttribute('aria-hidden', 'true');
  for (const [tag, attrs] of parts) {
    const p = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) p.setAttribute(k, String(v));
    el.appendChild(p);
  }
  return el;
}

/** Parses an SVG document string (from the qrcode package) into a node, without innerHTML. */
export function svgFromString(markup: string, cls: string, label: string): Element {
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = document.importNode(doc.documentElement, true);
  root.setAttribute('class', cls);
  root.setAttribute('role', 'img');
  root.setAttribute('aria-label', label);
  return root;
}
