// `npx tsx tests/bench/main/real-checkin.ts [rounds]`: demo mode on the real adapters (stadium-gate profile):
// start-up time of buildRealAdapters (rig, hub, audit, venue, face models, camera), and per check-in the time
// from the rig's card presentation to the face screen and to the result, for the matching card (pass) and
// another person's card (deny face-no-match).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../../../config/load.ts';
import { compose } from '../../../kiosk/main/compose.ts';
import { buildRealAdapters, demoOverrides, prepareDemo } from '../../../kiosk/main/real-adapters.ts';
import type { KioskView } from '../../../kiosk/shared/view.ts';

const rounds = Number(process.argv[2] ?? 6);
const repoDir = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = mkdtempSync(join(os.tmpdir(), 'eid-real-bench-'));

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return `median ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms, min ${s[0]?.toFixed(0)} ms (n=${s.length})`;
}

const prep = prepareDemo(dataDir);
const config = loadConfig({
  profile: 'stadium-gate',
  overrides: {
    ...demoOverrides(prep.rigPaths, { repoDir, issuer: prep.issuer }),
    timeouts: { resultMs: 1_000 },
  },
});
let t = performance.now();
const real = await buildRealAdapters(config, {
  demo: true,
  dataDir,
  repoDir,
  log: pino({ level: 'silent' }),
  demoPrep: prep,
});
const startup = performance.now() - t;
const comp = compose(config, real.adapters, { demo: true });

function until(pred: (v: KioskView) => boolean, ms = 60_000): Promise<KioskView> {
  return new Promise((resolve, reject) => {
    if (pred(comp.engine.view())) return resolve(comp.engine.view());
    const timer = setTimeout(() => (off(), reject(new Error('timeout'))), ms);
    const off = comp.engine.subscribe((v) => {
      if (pred(v)) {
        clearTimeout(timer);
        off();
        resolve(v);
      }
    });
  });
}

await until((v) => v.screen === 'welcome');
const toFace: number[] = [];
const toPass: number[] = [];
const toDeny: number[] = [];
const outcomes: string[] = [];
for (let i = 0; i < rounds; i++) {
  for (const card of [0, 4]) {
    await until((v) => v.screen === 'welcome');
    const face = until((v) => v.screen === 'face');
    const result = until((v) => v.screen === 'result' || v.screen === 'review');
    await real.rig!.presentCard(card);
    t = performance.now();
    await face;
    toFace.push(performance.now() - t);
    const v = await result;
    (card === 0 ? toPass : toDeny).push(performance.now() - t);
    outcomes.push(`${card}:${v.result?.outcome ?? v.screen}/${v.result?.reason ?? v.review?.reason}`);
  }
}
comp.stop();
await real.close();
rmSync(dataDir, { recursive: true, force: true });

const cpu = os.cpus()[0]?.model ?? 'unknown';
console.log(`# real-adapter demo check-in bench ${new Date().toISOString()}`);
console.log(
  `machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}, ${os.type()} ${os.release()}`,
);
console.log(
  `input: stadium-gate profile, rig cards 0 (portrait amy5.png = the demo video person) and 4 (sheldon1.png),`,
);
console.log(`       camera = tests/fixtures/face/demo-challenge.avi looping in real time (10 fps, 320x240)`);
console.log(
  `buildRealAdapters (rig + hub + audit + venue + 6 ONNX models + camera): ${startup.toFixed(0)} ms`,
);
console.log(`card presented -> face screen: ${stats(toFace)}`);
console.log(`card presented -> result, matching card (pass): ${stats(toPass)}`);
console.log(`card presented -> result, other person (deny): ${stats(toDeny)}`);
console.log(`outcomes: ${[...new Set(outcomes)].join(', ')}`);
process.exit(0);
