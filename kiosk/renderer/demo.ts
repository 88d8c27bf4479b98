// Renderer entry for /demo: the demo panel alone, for a second screen or a phone beside the kiosk.
import type { Language } from '../shared/contract.ts';
import { connectBridge } from './bridge.ts';
import { demoPanel } from './demo-panel.ts';

const root = document.getElementById('app');
if (root) {
  const bridge = connectBridge();
  let lang: Language = 'en';
  bridge.on('language', (l) => {
    lang = l.language;
    root.replaceChildren(demoPanel(bridge, () => lang));
  });
  bridge.onStatus((s) => {
    if (s !== 'open') return;
    void bridge.invoke('kiosk.hello', null).then((r) => {
      if (r.ok) lang = r.value.language;
      root.replaceChildren(demoPanel(bridge, () => lang));
    });
  });
}
