// The demo panel (demo mode only; the host refuses demo actions otherwise): present a demo person's document,
// scan an identity code, deliver a wallet result, unplug or replug a device, choose the next face result.
import type { DemoAction, DemoPerson, KioskBridge, Language } from '../shared/contract.ts';
import { t } from '../shared/i18n/index.ts';
import { h } from './dom.ts';

const DEVICES = ['reader', 'mrz', 'scanner', 'camera', 'relay', 'backend'] as const;
const FACE = ['match', 'no-match', 'spoof', 'challenge-failed', 'no-face'] as const;

let people: Promise<DemoPerson[]> | null = null;

export function demoPanel(bridge: KioskBridge, lang: () => Language): HTMLElement {
  const tr = (k: string) => t(lang(), k);
  const act = (a: DemoAction) => {
    void bridge.invoke('demo.act', a).then((r) => {
      if (!r.ok) console.warn(`demo.act refused: ${r.code}`);
    });
  };
  const btn = (label: string, a: DemoAction, id: string) =>
    h('button', { type: 'button', class: 'btn btn-small', 'data-demo': id, onclick: () => act(a) }, label);
  const peopleBox = h('div', { class: 'demo-people' });
  people ??= bridge.invoke('demo.people', null).then((r) => (r.ok ? r.value : []));
  void people.then((list) => {
    peopleBox.replaceChildren(
      ...list.map((p) =>
        h(
          'div',
          { class: 'demo-person', 'data-person': p.id },
          h('strong', {}, p.label),
          h(
            'div',
            { class: 'demo-row' },
            btn(tr('ui.demo.card'), { type: 'card', person: p.id }, `card-${p.id}`),
            btn(tr('ui.demo.scan'), { type: 'scan', text: p.scanText }, `scan-${p.id}`),
            btn(tr('ui.demo.wallet'), { type: 'wallet', person: p.id }, `wallet-${p.id}`),
          ),
        ),
      ),
    );
  });
  return h(
    'aside',
    { class: 'demo-panel', 'aria-label': tr('ui.demo.title') },
    h('h2', {}, tr('ui.demo.title')),
    peopleBox,
    h(
      'div',
      { class: 'demo-row' },
      btn(tr('ui.demo.scanBad'), { type: 'scan', text: 'DEMO-ID:forged' }, 'scan-forged'),
    ),
    h('h3', {}, tr('ui.demo.face')),
    h(
      'div',
      { class: 'demo-row' },
      FACE.map((o) => btn(o, { type: 'face', outcome: o }, `face-${o}`)),
    ),
    h('h3', {}, tr('ui.demo.devices')),
    h(
      'div',
      { class: 'demo-devices' },
      DEVICES.map((d) =>
        h(
          'div',
          { class: 'demo-row' },
          h('span', { class: 'demo-device' }, tr(`device.${d}`)),
          btn(tr('ui.demo.unplug'), { type: 'device', device: d, present: false }, `unplug-${d}`),
          btn(tr('ui.demo.replug'), { type: 'device', device: d, present: true }, `replug-${d}`),
        ),
      ),
    ),
  );
}
