// The kiosk screens: one per KioskView.screen, re-rendered on every view push, language switchable on screen.
import type { Language, RendererEvent } from '../shared/contract.ts';
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

export interface AppState {
  view: KioskView | null;
  lang: Language;
  demo: boolean;
  previewUrl: string;
  receivedAt: number;
  status: ConnectionStatus;
  demoOpen: boolean;
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
                render();
                send({ type: 'ui.language', language: l });
              },
            },
            LANGUAGE_NAMES[l],
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
  };

  const hello = async () => {
    const r = await bridge.invoke('kiosk.hello', null);
    if (!r.ok) return;
    state.view = r.value.view;
    state.lang = r.value.language;
    state.demo = r.value.demo;
    state.previewUrl = r.value.previewUrl;
    state.receivedAt = Date.now();
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
