// The kiosk screens: one per KioskView.screen, re-rendered on every view push, language switchable on screen.
import type { ConsentNoticeView, Language, RendererEvent } from '../shared/contract.ts';
import { LANGUAGES } from '../shared/contract.ts';
import { LANGUAGE_NAMES, hasKey, t } from '../shared/i18n/index.ts';
import type { KioskView, Screen } from '../shared/view.ts';
import type { ConnectionStatus, RendererBridge } from './bridge.ts';
import type { ScreenContext } from './context.ts';
import { button, refreshCountdowns } from './context.ts';
import { h } from './dom.ts';
import { icons } from './icons.ts';
import { attendantScreen, resetPin } from './screens/attendant.ts';
import { faceScreen, faultScreen, readingScreen, resultScreen, reviewScreen } from './screens/flow.ts';
import { welcomeScreen } from './screens/welcome.ts';
import { demoPanel } from './demo-panel.ts';
import type { A11ySettings } from './a11y.ts';
import { applySettings, loadSettings, resetSpoken, saveSettings, speak } from './a11y.ts';

export interface AppState {
  view: KioskView | null;
  lang: Language;
  demo: boolean;
  previewUrl: string;
  receivedAt: number;
  status: ConnectionStatus;
  demoOpen: boolean;
  a11y: A11ySettings;
  consent: ConsentNoticeView | null;
}

/** What is spoken for a screen: its heading, and on the face screen the current hint. */
export function promptText(main: HTMLElement): string {
  const heading = main.querySelector('h1')?.textContent ?? '';
  const hint = main.querySelector('.hint')?.textContent ?? '';
  const lead = main.querySelector('.reason')?.textContent ?? '';
  return [heading, hint || lead].filter((x) => x.trim() !== '').join('. ');
}

const SCREENS: Record<Screen, (ctx: ScreenContext, rerender: () => void) => HTMLElement> = {
  welcome: welcomeScreen,
  reading: readingScreen,
  face: faceScreen,
  result: resultScreen,
  review: reviewScreen,
  fault: faultScreen,
  attendant: attendantScreen,
};

/** A notice code → text: 'document-rejected:<reason>' shows the reason; unknown codes a generic line. */
export function noticeText(notice: string, tr: (key: string) => string): string {
  const m = /^document-rejected:([a-z-]+)$/.exec(notice);
  if (m && hasKey('en', `reason.${m[1]}`)) return tr(`reason.${m[1]}`);
  return hasKey('en', `notice.${notice}`) ? tr(`notice.${notice}`) : tr('notice.generic');
}

export function startApp(root: HTMLElement, bridge: RendererBridge): AppState {
  const state: AppState = {
    view: null,
    lang: 'zh-Hans',
    demo: false,
    previewUrl: '/camera/preview',
    receivedAt: Date.now(),
    status: 'connecting',
    demoOpen: false,
    a11y: loadSettings(),
    consent: null,
  };
  applySettings(state.a11y);
  let consentFor: Language | null = null;
  const loadConsent = () => {
    const lang = state.lang;
    if (consentFor === lang) return;
    consentFor = lang;
    void bridge.invoke('consent.notice', { language: lang }).then((r) => {
      if (state.lang !== lang) return;
      state.consent = r.ok ? r.value : null;
      render();
    });
  };
  const toggle = (k: keyof A11ySettings) => {
    state.a11y = { ...state.a11y, [k]: !state.a11y[k] };
    saveSettings(state.a11y);
    applySettings(state.a11y);
    if (k === 'speech') resetSpoken();
    render();
  };
  const tr = (key: string, vars?: Readonly<Record<string, string | number>>) => t(state.lang, key, vars);
  const send = (event: RendererEvent) => {
    void bridge.invoke('kiosk.send', event).then((r) => {
      if (!r.ok) console.warn(`kiosk.send refused: ${r.code}`);
    });
  };
  let demoEl: HTMLElement | null = null;

  const render = () => {
    document.documentElement.lang = state.lang;
    document.title = tr('ui.app.title');
    const view = state.view;
    if (view?.screen !== 'attendant') resetPin();
    const header = h(
      'header',
      { class: 'topbar' },
      h(
        'div',
        { class: 'brand' },
        h('span', { class: 'app-title' }, tr('ui.app.title')),
        view ? h('span', { class: 'venue' }, view.venue.name) : null,
      ),
      h(
        'nav',
        { class: 'langs', 'aria-label': tr('ui.language.label') },
        icons.globe(),
        LANGUAGES.map((l) =>
          h(
            'button',
            {
              type: 'button',
              class: l === state.lang ? 'lang current' : 'lang',
              lang: l,
              'aria-pressed': l === state.lang ? 'true' : 'false',
              'data-lang': l,
              onclick: () => {
                state.lang = l;
                loadConsent();
                render();
                send({ type: 'ui.language', language: l });
              },
            },
            LANGUAGE_NAMES[l],
          ),
        ),
      ),
      h(
        'div',
        { class: 'a11y', role: 'group', 'aria-label': tr('ui.a11y.label') },
        (
          [
            ['speech', icons.speaker],
            ['contrast', icons.contrast],
            ['large', icons.textSize],
          ] as const
        ).map(([k, icon]) =>
          h(
            'button',
            {
              type: 'button',
              class: state.a11y[k] ? 'toggle on' : 'toggle',
              'aria-pressed': state.a11y[k] ? 'true' : 'false',
              'data-a11y': k,
              onclick: () => toggle(k),
            },
            icon(),
            h('span', {}, state.a11y[k] ? `✓ ${tr(`ui.a11y.${k}`)}` : tr(`ui.a11y.${k}`)),
          ),
        ),
      ),
      view && view.screen !== 'attendant'
        ? button(tr('ui.staff'), () => send({ type: 'attendant.open' }), {
            cls: 'btn-staff',
            action: 'staff',
            icon: icons.staff(),
          })
        : null,
      state.demo
        ? button(
            tr('ui.demo.open'),
            () => {
              state.demoOpen = !state.demoOpen;
              render();
            },
            { cls: 'btn-demo', action: 'demo-toggle' },
          )
        : null,
    );
    let body: HTMLElement;
    if (!view || state.status !== 'open') {
      body = h(
        'section',
        { class: 'screen screen-connecting', role: 'status' },
        icons.hourglass(),
        h('h1', {}, tr(state.status === 'closed' ? 'ui.disconnected' : 'ui.connecting')),
      );
    } else {
      const ctx: ScreenContext = {
        view,
        lang: state.lang,
        demo: state.demo,
        previewUrl: state.previewUrl,
        receivedAt: state.receivedAt,
        tr,
        send,
        consent: state.consent,
        bridge,
      };
      body = SCREENS[view.screen](ctx, render);
    }
    const notice =
      view?.notice !== undefined
        ? h(
            'div',
            { class: 'notice', role: 'alert', 'data-notice': view.notice },
            icons.warning(''),
            noticeText(view.notice, tr),
          )
        : null;
    const main = h(
      'main',
      { id: 'screen', 'data-screen': view?.screen ?? 'connecting', 'data-state': view?.state ?? '' },
      notice,
      body,
    );
    if (state.demo && !demoEl) demoEl = demoPanel(bridge, () => state.lang);
    const aside = state.demo && state.demoOpen && demoEl ? demoEl : null;
    root.replaceChildren(header, main, ...(aside ? [aside] : []));
    root.classList.toggle('with-demo', aside !== null);
    if (state.a11y.speech && view && state.status === 'open') speak(promptText(main), state.lang);
  };

  const hello = async () => {
    const r = await bridge.invoke('kiosk.hello', null);
    if (!r.ok) return;
    state.view = r.value.view;
    state.lang = r.value.language;
    state.demo = r.value.demo;
    state.previewUrl = r.value.previewUrl;
    state.receivedAt = Date.now();
    consentFor = null;
    loadConsent();
    render();
  };

  bridge.on('view', (view) => {
    state.view = view;
    state.receivedAt = Date.now();
    render();
  });
  bridge.on('language', ({ language }) => {
    if (language === state.lang) return;
    state.lang = language;
    loadConsent();
    render();
  });
  bridge.onStatus((s) => {
    state.status = s;
    render();
    if (s === 'open') void hello();
  });
  setInterval(() => refreshCountdowns(root, tr), 1000);
  render();
  return state;
}
