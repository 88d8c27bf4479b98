// Random-walk fuzzer for the check-in machine: seeded random events, actor results and clock jumps sent to
// the real actor (harness fakes, SimulatedClock), checking invariants after every step.
// Run: npx tsx tests/fuzz/core/machine.ts [seed] [steps]   (a short run is part of the unit tests)
import type { AuditInput } from '../../../kiosk/core/audit-input.ts';
import type { KioskEvent } from '../../../kiosk/core/machine.ts';
import type { FaceOutcome } from '../../../kiosk/core/types.ts';
import { toView, flowState } from '../../../kiosk/core/view.ts';
import { doc, flush, harness } from '../../unit/core/harness.ts';

export interface FuzzReport {
  readonly seed: number;
  readonly steps: number;
  readonly checkIns: number;
  readonly decisions: number;
  readonly screens: Readonly<Record<string, number>>;
}

const TERMINAL = new Set(['checkin.decision', 'checkin.cancelled', 'checkin.timeout', 'checkin.aborted']);
const OUTCOMES: FaceOutcome[] = [
  'match',
  'no-match',
  'spoof',
  'challenge-failed',
  'quality',
  'no-face',
  'no-reference',
];

export async function fuzzMachine(seed: number, steps: number): Promise<FuzzReport> {
  let state = seed >>> 0 || 1;
  const rnd = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

  const A = doc();
  const B = doc({ name: '李四', documentNumber: '110105199001010011', source: 'mrz' });
  const h = harness({
    pin: '2468',
    settings: { requiredDevices: ['camera'], attendant: { maxAttempts: 3, lockoutMs: 30_000 } },
  });
  const screens: Record<string, number> = {};
  const fail = (msg: string, trace: string[]) => {
    throw new Error(`seed ${seed}: ${msg}\nlast steps:\n  ${trace.slice(-15).join('\n  ')}`);
  };
  const trace: string[] = [];

  const moves: (() => Promise<string>)[] = [
    async () => {
      const d = pick([A, B]);
      h.send({ type: 'document.read', document: d });
      return `document.read ${d.name}`;
    },
    async () => {
      h.send({
        type: 'document.rejected',
        code: 'E_FUZZ',
        reason: 'credential-untrusted',
        source: 'identity-qr',
      });
      return 'document.rejected';
    },
    async () => {
      h.send({ type: 'person.cancel' });
      return 'person.cancel';
    },
    async () => {
      const e = {
        type: rnd() < 0.25 ? ('device.lost' as const) : ('device.ready' as const),
        device: pick(['camera', 'mrz'] as const),
      };
      h.device.send?.(e);
      return `${e.type} ${e.device}`;
    },
    async () => {
      const e = pick<KioskEvent>([
        { type: 'attendant.open' },
        { type: 'attendant.close' },
        { type: 'attendant.pin', pin: '2468' },
        { type: 'attendant.pin', pin: '0000' },
        { type: 'attendant.decide', outcome: 'pass' },
        { type: 'attendant.decide', outcome: 'deny' },
      ]);
      h.send(e);
      return e.type + ('pin' in e ? ` ${e.pin}` : 'outcome' in e ? ` ${e.outcome}` : '');
    },
    async () => {
      h.send({
        type: 'wallet.qr',
        uri: `openid4vp://fuzz/${Math.floor(rnd() * 1e6)}`,
        expiresAt: h.clock.now() + 60_000,
      });
      return 'wallet.qr';
    },
    async () => {
      if (!h.face.send) return 'face (not running)';
      if (rnd() < 0.4) {
        h.face.send({
          type: 'face.hint',
          hint: pick(['turn-left', 'blink', 'move-closer'] as const),
          step: 0,
        });
        return 'face.hint';
      }
      const outcome = pick(OUTCOMES);
      h.face.send({ type: 'face.done', result: { outcome, score: rnd() } });
      return `face.done ${outcome}`;
    },
    async () => {
      const p = h.verify.at(-1);
      if (!p) return 'verify (none)';
      const r = rnd();
      if (r < 0.7) p.resolve({ ok: true });
      else if (r < 0.9) p.resolve({ ok: false, reason: 'credential-expired' });
      else p.reject(new Error('fuzz'));
      return 'verify settles';
    },
    async () => {
      const p = h.decide.at(-1);
      if (!p) return 'decide (none)';
      const d = pick([
        { outcome: 'pass', reason: 'ok' },
        { outcome: 'deny', reason: 'face-no-match' },
        { outcome: 'review', reason: 'face-no-usable-image' },
      ] as const);
      if (rnd() < 0.1) p.reject(new Error('fuzz'));
      else p.resolve(d);
      return `decide ${d.outcome}`;
    },
    async () => {
      const p = h.act.at(-1);
      if (!p) return 'act (none)';
      const ok = rnd() < 0.7;
      p.resolve(ok ? { ok, displayCode: 'F-1' } : { ok, detail: 'fuzz' });
      return `act ${ok}`;
    },
    async () => {
      const ms = pick([100, 1_000, 4_000, 6_000, 10_000, 15_000, 30_000, 60_000, 130_000]);
      h.clock.increment(ms);
      return `+${ms}ms`;
    },
  ];

  for (let i = 0; i < steps; i++) {
    trace.push(await pick(moves)());
    await flush();
    const snap = h.snapshot();
    if (snap.status !== 'active') fail(`actor status ${snap.status}`, trace);
    const view = toView(snap, { now: h.clock.now() });
    screens[view.screen] = (screens[view.screen] ?? 0) + 1;
    const json = JSON.stringify(view);
    if (json.includes(A.documentNumber) || json.includes(B.documentNumber))
      fail('full document number in the view', trace);
    const flow = flowState(snap.value);
    if (flow === 'idle' && snap.context.document !== undefined) fail('document kept at idle', trace);
    if (flow === 'fault' && snap.context.devices.camera !== 'lost')
      fail('fault without a lost required device', trace);
    if (flow.startsWith('checkIn.') && snap.context.document === undefined)
      fail('check-in without a document', trace);
    // per check-in: at most one terminal audit event, at most one decision
    const terminal = new Map<number, AuditInput[]>();
    for (const a of h.audits)
      if (TERMINAL.has(a.type) && 'seq' in a) terminal.set(a.seq, [...(terminal.get(a.seq) ?? []), a]);
    for (const [seq, list] of terminal)
      if (list.length > 1) fail(`check-in ${seq} ended twice: ${list.map((a) => a.type).join(', ')}`, trace);
    if (flow === 'result' && !terminal.has(snap.context.seq))
      fail('result screen without a terminal audit event', trace);
    if (h.audits.some((a) => typeof a.at !== 'number')) fail('audit event without time', trace);
  }
  h.actor.stop();
  return {
    seed,
    steps,
    checkIns: h.ofType('checkin.started').length,
    decisions: h.ofType('checkin.decision').length,
    screens,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seed = Number(process.argv[2] ?? Date.now() % 2 ** 31);
  const steps = Number(process.argv[3] ?? 20_000);
  const r = await fuzzMachine(seed, steps);
  console.log(JSON.stringify(r));
}
