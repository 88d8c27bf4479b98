// Simple-path coverage of the attendant console and PIN lockout (xstate/graph getSimplePaths): every
// cycle-free path through open / PIN right or wrong / close / idle timeout / lockout expiry, replayed on the
// real actor with a SimulatedClock.
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import { getSimplePaths } from 'xstate/graph';
import { checkInMachine } from '../../../kiosk/core/machine.ts';
import type { CheckInContext, KioskEvent } from '../../../kiosk/core/machine.ts';
import { DEFAULT_SETTINGS } from '../../../kiosk/core/settings.ts';
import { toView } from '../../../kiosk/core/view.ts';
import { flush, harness } from './harness.ts';

const settings = {
  timeouts: { ...DEFAULT_SETTINGS.timeouts, attendantIdleMs: 60_000 },
  attendant: { maxAttempts: 2, lockoutMs: 20_000 },
};

type Ev = EventObject & Record<string, unknown>;

function eventsFor(s: AnyMachineSnapshot): Ev[] {
  const v = s.value as { console: string; lock: string };
  const out: Ev[] = [];
  switch (v.console) {
    case 'closed':
      out.push({ type: 'attendant.open' });
      break;
    case 'pin':
      out.push({ type: 'attendant.pin', pin: '2468' }, { type: 'attendant.close' });
      if (v.lock === 'unlocked') out.push({ type: 'xstate.after.attendantIdleMs.kiosk.console.pin' });
      break;
    case 'checking':
      out.push(
        { type: 'xstate.done.actor.checkPin', output: true },
        { type: 'xstate.done.actor.checkPin', output: false },
      );
      break;
    case 'authenticated':
      out.push({ type: 'attendant.close' }, { type: 'xstate.after.attendantIdleMs.consoleAuthenticated' });
      break;
  }
  if (v.lock === 'locked' && v.console !== 'pin') out.push({ type: 'xstate.after.lockoutMs.locked' });
  return out;
}

const paths = getSimplePaths(checkInMachine, {
  input: { settings: { ...DEFAULT_SETTINGS, ...settings } },
  events: (s) => eventsFor(s as AnyMachineSnapshot) as never,
  // The incoming event is part of a vertex, so every transition (also those back to a state seen before,
  // like a logout or the end of a lockout) ends some simple path.
  serializeState: (s, e) => {
    const snap = s as AnyMachineSnapshot;
    const c = snap.context as CheckInContext;
    const ev = e === undefined ? null : [e.type, 'output' in e ? e.output : null];
    return JSON.stringify([snap.value, c.attendant.failedAttempts, ev]);
  },
});

describe('attendant console: simple paths (xstate/graph)', () => {
  it('covers login, wrong PINs, lockout and its expiry, logout by close and by idle', () => {
    const ends = new Set(paths.map((p) => JSON.stringify(p.state.value)));
    expect(paths.length).toBeGreaterThan(20);
    expect([...ends].some((e) => e.includes('"lock":"locked"'))).toBe(true);
    expect([...ends].some((e) => e.includes('"console":"authenticated"'))).toBe(true);
    const types = new Set(paths.flatMap((p) => p.steps.map((s) => s.event.type)));
    expect(types).toEqual(
      new Set([
        'xstate.init',
        'attendant.open',
        'attendant.pin',
        'attendant.close',
        'xstate.done.actor.checkPin',
        'xstate.after.attendantIdleMs.kiosk.console.pin',
        'xstate.after.attendantIdleMs.consoleAuthenticated',
        'xstate.after.lockoutMs.locked',
      ]),
    );
  });

  it('the real actor follows every simple path', async () => {
    for (const path of paths) {
      const h = harness({ settings });
      for (const step of path.steps) {
        const e = step.event as Ev;
        if (e.type === 'xstate.init') continue;
        if (e.type === 'xstate.done.actor.checkPin') h.pins.at(-1)?.resolve(e.output as boolean);
        else if (e.type.startsWith('xstate.after.attendantIdleMs')) h.clock.increment(60_000);
        else if (e.type === 'xstate.after.lockoutMs.locked') h.clock.increment(20_000);
        else h.send(e as KioskEvent);
        await flush();
        const where = path.steps
          .map((s) => s.event.type + ('output' in s.event ? `=${String(s.event.output)}` : ''))
          .join(' → ');
        expect(h.snapshot().value, where).toEqual(step.state.value);
        const real = toView(h.snapshot()).attendant;
        const model = toView(step.state as never).attendant;
        expect(real?.authenticated, where).toBe(model?.authenticated);
        expect(real?.attemptsLeft, where).toBe(model?.attemptsLeft);
        expect(real?.lockedUntil !== undefined, where).toBe(model?.lockedUntil !== undefined);
      }
      // what the audit says agrees with where the path ended
      const ctx = h.snapshot().context;
      expect(h.ofType('attendant.login-failed').length).toBeGreaterThanOrEqual(ctx.attendant.failedAttempts);
      if ((h.snapshot().value as { lock: string }).lock === 'locked')
        expect(h.ofType('attendant.lockout').length).toBeGreaterThan(0);
      h.actor.stop();
    }
  });
});
