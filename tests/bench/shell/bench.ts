// Shell figures: `npx tsx tests/e2e/shell/bench.ts`. Prints bundle sizes and build time, WebSocket invoke
// round trips against the real host + router + machine, and the time from a demo card read to the reading
// screen being in the DOM of headless Chromium. Figures, not assertions.
import { statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import WebSocket from 'ws';
import { buildRenderer } from '../../../scripts/build-renderer.ts';
import { launch, startKiosk } from '../../e2e/shell/harness.ts';

const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const fmt = (xs: number[]) =>
  `median ${q(xs, 0.5).toFixed(2)} ms, p95 ${q(xs, 0.95).toFixed(2)} ms (n=${xs.length})`;

console.log(`machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, Node ${process.version}`);

// 1. bundle
const builds: number[] = [];
let out = '';
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  out = await buildRenderer({ outdir: mkdtempSync(join(tmpdir(), 'eid-bench-')) });
  builds.push(performance.now() - t);
}
for (const f of ['app.js', 'demo.js', 'styles.css'])
  console.log(`bundle ${f}: ${(statSync(join(out, f)).size / 1024).toFixed(0)} KiB`);
console.log(`renderer build (esbuild, minified): ${fmt(builds)}`);

const browser = await launch();
const k = await startKiosk(browser, { timeouts: { resultMs: 1000 } }, {}, 5000);

// 2. WebSocket round trips
const ws = new WebSocket(`ws://127.0.0.1:${k.booted.host.port}/ws`, { origin: k.booted.host.url });
await new Promise((r) => ws.once('open', r));
let id = 0;
const waiting = new Map<number, () => void>();
ws.on('message', (d) => {
  const m = JSON.parse(String(d)) as { kind: string; id: number };
  if (m.kind === 'result') waiting.get(m.id)?.();
});
const call = (channel: string, payload: unknown) =>
  new Promise<void>((res) => {
    const n = ++id;
    waiting.set(n, res);
    ws.send(JSON.stringify({ kind: 'invoke', id: n, channel, payload }));
  });
for (const [channel, payload] of [
  ['kiosk.hello', null],
  ['kiosk.send', { type: 'ui.language', language: 'en' }],
] as const) {
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    await call(channel, payload);
    times.push(performance.now() - t);
  }
  const total = times.reduce((a, b) => a + b, 0);
  console.log(
    `ws invoke ${channel}: ${fmt(times)}, ${(times.length / (total / 1000)).toFixed(0)} calls/s sequential`,
  );
}
ws.close();

// 3. card read → reading screen in Chromium's DOM (machine + router + WebSocket + render)
const lat: number[] = [];
for (let i = 0; i < 30; i++) {
  await k.page.waitForSelector('main[data-screen="welcome"]');
  const t = performance.now();
  k.booted.composition.demo!.act({ type: 'card', person: 'zhang' });
  await k.page.waitForSelector('main[data-screen="reading"], main[data-screen="face"]');
  lat.push(performance.now() - t);
  await k.page.click('[data-action="cancel"]');
}
console.log(`card read → screen updated in Chromium (incl. playwright polling): ${fmt(lat)}`);
await k.close();
await browser.close();
process.exit(0);
