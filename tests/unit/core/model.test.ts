// Model-based path coverage: xstate/graph walks the machine itself (pure transitions, synthetic actor
// results and timer events) to the shortest path to every reachable state; each path is then replayed on a
// real actor whose side effects are the harness fakes and whose timers run on a SimulatedClock. For every
// step the real actor must be in the same state with the same screen, and the audit and privacy invariants
// must hold.
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { checkInMachine } from '../../../kiosk/core/machine.ts';
import type { CheckInContext, KioskEvent } from '../../../kiosk/core/machine.ts';
import { toView } from '../../../kiosk/core/view.ts';
import { DEFAULT_SETTINGS } from '../../../kiosk/core/settings.ts';
import { doc, flush, harness } from './harness.ts';

const settings = {
  timeouts: {
    credentialCheckMs: 10_000,
    faceMs: 30_000,
    decideMs: 10_000,
    actMs: 15_000,
    resultMs: 6_000,
    reviewMs: 120_000,
    attendantIdleMs: 60_000,
    noticeMs: 4_000,
  },
  attendant: { maxAttempts: 2, lockoutMs: 20_000 },
} as const;

const DELAY_MS: Record<string, number> = {
  ...settings.timeouts,
  lockoutMs: settings.attendant.lockoutMs,
};

const A = doc();
const B = doc({
  name: '李四',
  documentNumber: '110105199001010011',
  source: 'mrz',
  documentType: 'passport',
});

type ModelEvent = EventObject & Record<string, unknown>;

function regions(s: AnyMachineSnapshot): { flow: string; console: string; lock: string } {
  const v = toView(s as never);
  const value = s.value as { console: string; lock: string };
  return { flow: v.state, console: value.console, lock: value.lock };
}

function afterEvents(s: AnyMachineSnapshot): ModelEvent[] {
  const out: ModelEvent[] = [];
  for (const node of s._nodes) for (const t of node.after) out.push({ type: t.eventType });
  return out;
}

/** The events offered in each state: enough to reach every state, few enough to keep the graph small. */
function eventsFor(s: AnyMachineSnapshot): ModelEvent[] {
  const { flow, console, lock } = regions(s);
  const consoleClosedUnlocked = console === 'closed' && lock === 'unlocked';
  const timers = afterEvents(s).filter((e) => {
    const key = e.type.split('.')[2] ?? '';
    if (key === 'attendantIdleMs') return flow === 'idle' && lock === 'unlocked';
    if (key === 'lockoutMs') return flow === 'idle' && console === 'closed';
    // flow timers only while no console/lock timer runs beside them
    return consoleClosedUnlocked;
  });
  const ev: ModelEvent[] = [...timers];
  const consoleEvents = (): ModelEvent[] => {
    switch (console) {
      case 'closed':
        return [{ type: 'attendant.open' }];
      case 'pin':
        return [{ type: 'attendant.pin', pin: '2468' }, { type: 'attendant.close' }];
      case 'checking':
        return [
          { type: 'xstate.done.actor.checkPin', output: true },
          { type: 'xstate.done.actor.checkPin', output: false },
        ];
      default:
        return [{ type: 'attendant.close' }];
    }
  };
  switch (flow) {
    case 'idle':
      ev.push(...consoleEvents());
      if (consoleClosedUnlocked) {
        ev.push({ type: 'document.read', document: A });
        ev.push({
          type: 'document.rejected',
          code: 'E_TEST',
          reason: 'credential-untrusted',
          source: 'identity-qr',
        });
        ev.push({ type: 'device.lost', device: 'camera' });
        ev.push({ type: 'device.lost', device: 'mrz' });
      }
      break;
    case 'fault':
      ev.push({ type: 'device.ready', device: 'camera' }, { type: 'document.read', document: A });
      break;
    case 'checkIn.checkingCredential':
      ev.push(
        { type: 'xstate.done.actor.verifyCredential', output: { ok: true } },
        { type: 'xstate.done.actor.verifyCredential', output: { ok: false, reason: 'credential-expired' } },
        { type: 'xstate.error.actor.verifyCredential', error: new Error('verifier down') },
        { type: 'person.cancel' },
        { type: 'document.read', document: B },
        { type: 'device.lost', device: 'camera' },
      );
      break;
    case 'checkIn.capturingFace':
      ev.push(
        { type: 'face.hint', hint: 'turn-left', challenge: ['turn-left', 'blink'], step: 0 },
        { type: 'face.done', result: { outcome: 'match', score: 0.7 } },
        { type: 'face.done', result: { outcome: 'quality' } },
        { type: 'person.cancel' },
      );
      break;
    case 'checkIn.deciding':
      ev.push(
        { type: 'xstate.done.actor.decide', output: { outcome: 'pass', reason: 'ok' } },
        { type: 'xstate.done.actor.decide', output: { outcome: 'deny', reason: 'face-no-match' } },
        { type: 'xstate.done.actor.decide', output: { outcome: 'review', reason: 'face-no-usable-image' } },
        { type: 'xstate.error.actor.decide', error: new Error('policy threw') },
      );
      break;
    case 'checkIn.acting':
      ev.push(
        { type: 'xstate.done.actor.act', output: { ok: true, displayCode: 'S-12' } },
        { type: 'xstate.done.actor.act', output: { ok: false, detail: 'relay' } },
        { type: 'person.cancel' },
      );
      break;
    case 'checkIn.reviewing':
      ev.push(...consoleEvents());
      if (console === 'authenticated') {
        ev.push({ type: 'attendant.decide', outcome: 'pass' }, { type: 'attendant.decide', outcome: 'deny' });
      } else {
        ev.push({ type: 'attendant.decide', outcome: 'pass' }); // refused: not logged in
        ev.push({ type: 'person.cancel' });
      }
      break;
    case 'result':
      ev.push({ type: 'person.cancel' });
      break;
  }
  return ev;
}

function serialize(s: AnyMachineSnapshot): string {
  const c = s.context as CheckInContext;
  return JSON.stringify({
    v: s.value,
    d: c.decision ? [c.decision.outcome, c.decision.reason] : null,
    by: c.decidedBy ?? null,
    f: c.face?.outcome ?? null,
    h: c.faceHint?.hint ?? null,
    a: c.attendant.failedAttempts,
    cam: c.devices.camera ?? null,
    doc: c.document?.name ?? null,
    e: c.ending ?? null,
  });
}

const model = checkInMachine.provide({});
const paths = getShortestPaths(model, {
  input: { settings: { ...DEFAULT_SETTINGS, ...settings } },
  events: (s) => eventsFor(s as AnyMachineSnapshot) as never,
  serializeState: (s) => serialize(s as AnyMachineSnapshot),
});

async function replay(h: ReturnType<typeof harness>, e: ModelEvent): Promise<void> {
  const [, kind, , id] = e.type.split('.');
  if (e.type.startsWith('xstate.after.')) {
    await h.advance(DELAY_MS[e.type.split('.')[2] ?? ''] ?? NaN);
    return;
  }
  if (e.type.startsWith('xstate.done.actor.') || e.type.startsWith('xstate.error.actor.')) {
    const list = { verifyCredential: h.verify, decide: h.decide, act: h.act, checkPin: h.pins }[id ?? ''];
    const p = (list as { resolve(o: unknown): void; reject(e: unknown): void }[] | undefined)?.at(-1);
    if (!p) throw new Error(`no pending ${id}`);
    if (kind === 'done') p.resolve(e.output);
    else p.reject(e.error);
    await flush();
    return;
  }
  if (e.type === 'face.hint' || e.type === 'face.done') {
    if (!h.face.send) throw new Error('faceCheck is not running');
    h.face.send(e as never);
  } else if (e.type === 'device.lost' || e.type === 'device.ready') {
    if (!h.device.send) throw new Error('deviceEvents is not running');
    h.device.send(e as never);
  } else {
    h.send(e as KioskEvent);
  }
  await flush();
}

describe('check-in machine: model-based paths (xstate/graph)', () => {
  it('reaches every screen and every flow state', () => {
    const screens = new Set(paths.map((p) => toView(p.state as never).screen));
    expect([...screens].sort()).toEqual([
      'attendant',
      'face',
      'fault',
      'reading',
      'result',
      'review',
      'welcome',
    ]);
    const flows = new Set(paths.map((p) => regions(p.state as AnyMachineSnapshot).flow));
    expect([...flows].sort()).toEqual([
      'checkIn.acting',
      'checkIn.capturingFace',
      'checkIn.checkingCredential',
      'checkIn.deciding',
      'checkIn.reviewing',
      'fault',
      'idle',
      'result',
    ]);
    expect(new Set(paths.map((p) => (p.state.value as { lock: string }).lock))).toEqual(
      new Set(['locked', 'unlocked']),
    );
    expect(paths.length).toBeGreaterThan(60);
  });

  it('the real actor follows every path: same state, same screen, one decision per check-in, nothing unmasked', async () => {
    let steps = 0;
    for (const path of paths) {
      const h = harness({ settings });
      for (const step of path.steps) {
        if ((step.event.type as string) === 'xstate.init') continue;
        await replay(h, step.event as ModelEvent);
        steps++;
        const where = `${path.steps.map((s) => s.event.type).join(' → ')}`;
        expect(h.snapshot().value, where).toEqual(step.state.value);
        const real = toView(h.snapshot());
        const modelView = toView(step.state as never);
        expect(real.screen, where).toBe(modelView.screen);
        expect(real.result?.reason, where).toBe(modelView.result?.reason);
        expect(real.review?.reason, where).toBe(modelView.review?.reason);
        expect(JSON.stringify(real)).not.toContain(A.documentNumber);
        // oracles that do not come from the machine itself
        if (real.screen === 'fault') expect(real.fault?.devices, where).toEqual(['camera']);
        if (real.screen === 'result') expect(real.result?.maskedName, where).toBe('张**');
        if (real.screen === 'welcome') expect(h.snapshot().context.document, where).toBeUndefined();
        if (
          step.event.type === 'document.read' &&
          real.state.startsWith('checkIn.') &&
          step.event.document === B
        ) {
          expect(real.notice, where).toBe('second-credential-refused');
          expect(h.snapshot().context.document, where).toBe(A);
        }
        // every check-in has at most one decision, and only after it started
        const bySeq = new Map<number, number>();
        for (const a of h.ofType('checkin.decision')) bySeq.set(a.seq, (bySeq.get(a.seq) ?? 0) + 1);
        for (const n of bySeq.values()) expect(n, where).toBe(1);
        expect(bySeq.size).toBeLessThanOrEqual(h.ofType('checkin.started').length);
      }
      // a check-in that ended on the result screen with a decision has audited it
      const ctx = h.snapshot().context;
      if (
        regions(h.snapshot() as never).flow === 'result' &&
        ctx.decision &&
        ctx.decision.outcome !== 'review'
      ) {
        expect(h.ofType('checkin.decision').at(-1)?.decision).toEqual(ctx.decision);
      }
      h.actor.stop();
    }
    expect(steps).toBeGreaterThan(paths.length);
  });
});
