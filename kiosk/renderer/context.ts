// What every screen is given: the view, the language, a translator and a way to send whitelisted events.
import type { ConsentNoticeView, KioskBridge, Language, RendererEvent } from '../shared/contract.ts';
import type { KioskView } from '../shared/view.ts';
import { h } from './dom.ts';

export interface ScreenContext {
  readonly view: KioskView;
  readonly lang: Language;
  readonly demo: boolean;
  readonly previewUrl: string;
  /** epoch ms when this view arrived (view.deadline counts from here) */
  readonly receivedAt: number;
  tr(key: string, vars?: Readonly<Record<string, string | number>>): string;
  send(event: RendererEvent): void;
  /** The consent notice in the current language, once the kiosk has answered (null: none / not wired). */
  readonly consent?: ConsentNoticeView | null;
  /** Typed calls (attendant console data); absent in unit tests that render a screen alone. */
  readonly bridge?: KioskBridge;
}

/** A text that counts down to `until` (epoch ms), refreshed every second by the app's ticker. */
export function countdown(ctx: ScreenContext, until: number, key = 'ui.countdown'): HTMLElement {
  const el = h('span', { class: 'countdown', 'data-until': until, 'data-key': key, 'aria-live': 'polite' });
  el.textContent = ctx.tr(key, { s: Math.max(0, Math.ceil((until - Date.now()) / 1000)) });
  return el;
}

export function refreshCountdowns(root: ParentNode, tr: ScreenContext['tr']): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-until]')) {
    const until = Number(el.dataset['until']);
    const key = el.dataset['key'] ?? 'ui.countdown';
    el.textContent = tr(key, { s: Math.max(0, Math.ceil((until - Date.now()) / 1000)) });
  }
}

/** A big touch button (≥ 64 px, text always present). */
export function button(
  label: string,
  onClick: () => void,
  opts: { cls?: string; action?: string; icon?: Node; disabled?: boolean } = {},
): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      class: `btn ${opts.cls ?? ''}`.trim(),
      'data-action': opts.action,
      disabled: opts.disabled,
      onclick: () => onClick(),
    },
    opts.icon ?? null,
    h('span', { class: 'btn-label' }, label),
  );
}
