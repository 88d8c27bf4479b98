// Benchmark: the check-in machine and config. Run: npx tsx tests/bench/core/machine.ts
// Prints median, p95 and throughput for: a whole check-in through the real actor with instant fakes,
// toView, loadConfig of a file with a profile, and the attendant PIN check (scrypt N=2^15).
import { getRandomValues } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createActor, fromCallback, fromPromise } from 'xstate';
import { loadConfig } from '../../../config/load.ts';
import { nodeScrypt } from '../../../kiosk/cli/commands/config.ts';
import { checkInMachine } from '../../../kiosk/core/machine.ts';
import type { ActInput, FaceCheckEvent, FaceCheckInput } from '../../../kiosk/core/machine.ts';
import { makePinHash, pinChecker } from '../../../kiosk/core/pin.ts';
import type { ActionResult, IdentityDocument } from '../../../kiosk/core/types.ts';
import { toView } from '../../../kiosk/core/view.ts';

function stats(label: string, input: string, samplesMs: number[]): void {
  const s = [...samplesMs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  const total = s.reduce((a, b) => a + b, 0);
  console.log(
    `${label.padEnd(34)} n=${String(s.length).padStart(5)}  median ${q(0.5).toFixed(4)} ms  p95 ${q(0.95).toFixed(4)} ms  ` +
      `throughput ${(s.length / (total / 1000)).toFixed(0)}/s   (${input})`,
  );
}

const doc: IdentityDocument = {
  source: 'id-card',
  documentType: 'cn-resident-id',
  documentNumber: '11010519491231002X',
  name: '张三丰',
  birthDate: '1949-12-31',
  validFrom: '2016-01-01',
  validTo: 'long-term',
  checks: [{ name: 'id-number.check-digit', ok: true }],
};

async function checkIns(n: number): Promise<number[]> {
  let audits = 0;
  const machine = checkInMachine.provide({
    actors: {
      faceCheck: fromCallback<FaceCheckEvent, FaceCheckInput>(({ sendBack }) => {
        sendBack({ type: 'face.hint', hint: 'blink', challenge: ['blink'], step: 0 });
        sendBack({ type: 'face.done', result: { outcome: 'match', score: 0.7 } });
        return () => undefined;
      }),
      act: fromPromise<ActionResult, ActInput>(async () => ({ ok: true, displayCode: 'A-1' })),
    },
    actions: { audit: () => void audits++ },
  });
  const actor = createActor(machine).start();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const sub = actor.subscribe((s) => {
        if ((s.value as { flow: unknown }).flow === 'result') {
          sub.unsubscribe();
          resolve();
        }
      });
      actor.send({ type: 'document.read', document: doc });
    });
    out.push(performance.now() - t0);
    actor.send({ type: 'person.cancel' });
  }
  actor.stop();
  if (audits < 2 * n) throw new Error(`expected ${2 * n} audit events, got ${audits}`);
  return out;
}

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `# core bench — ${new Date().toISOString()} — ${cpu}, ${os.cpus().length} cores, Node ${process.version}`,
  );

  await checkIns(200); // warm-up
  stats(
    'check-in (read → result)',
    'real actor, default verifier+policy, instant face/act fakes',
    await checkIns(3000),
  );

  const actor = createActor(checkInMachine).start();
  actor.send({ type: 'document.read', document: doc });
  await new Promise((r) => setTimeout(r, 5));
  const snap = actor.getSnapshot();
  const tv: number[] = [];
  for (let i = 0; i < 20000; i++) {
    const t0 = performance.now();
    toView(snap, { now: Date.now() });
    tv.push(performance.now() - t0);
  }
  actor.stop();
  stats('toView', 'review screen snapshot', tv);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'eid-bench-'));
  mkdirSync(path.join(dir, 'profiles'));
  writeFileSync(
    path.join(dir, 'profiles', 'bench.json'),
    JSON.stringify({ venueName: 'Bench', timeouts: { faceMs: 20000 } }),
  );
  const file = path.join(dir, 'kiosk.json');
  writeFileSync(
    file,
    JSON.stringify({ ui: { defaultLanguage: 'en' }, checkIn: { requiredDevices: ['camera', 'reader'] } }),
  );
  const lc: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    loadConfig({ file, profile: 'bench', profilesDir: path.join(dir, 'profiles') });
    lc.push(performance.now() - t0);
  }
  rmSync(dir, { recursive: true, force: true });
  stats('loadConfig (profile + file)', 'two small JSON layers, full schema parse twice + freeze', lc);

  const hash = await makePinHash('2468', nodeScrypt, (k) => getRandomValues(new Uint8Array(k)));
  const check = pinChecker(hash, nodeScrypt);
  const pc: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await check(i % 2 === 0 ? '2468' : '1357');
    pc.push(performance.now() - t0);
  }
  stats('attendant PIN check', 'scrypt N=32768 r=8 p=1, 32-byte key', pc);
}

await main();
