// Test harness for the check-in machine: every side effect replaced by a controllable fake, a
// SimulatedClock for the waits, and the audit events recorded. Not a test file itself.
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import type { AuditInput } from '../../../kiosk/core/audit-input.ts';
import type {
  ActInput,
  CheckPinInput,
  DeviceEventsEvent,
  FaceCheckEvent,
  FaceCheckInput,
  VerifyCredentialInput,
  VerifyCredentialOutput,
} from '../../../kiosk/core/machine.ts';
import { checkInMachine } from '../../../kiosk/core/machine.ts';
import type { DecideInput } from '../../../kiosk/core/policy.ts';
import { DEFAULT_SETTINGS } from '../../../kiosk/core/settings.ts';
import type { CheckInSettings } from '../../../kiosk/core/settings.ts';
import type { ActionResult, Decision, FaceOutcome, IdentityDocument } from '../../../kiosk/core/types.ts';
import { toView } from '../../../kiosk/core/view.ts';

export const T0 = Date.UTC(2026, 10, 23, 2, 0, 0); // 10:00 in Beijing

export function doc(over: Partial<IdentityDocument> = {}): IdentityDocument {
  return {
    source: 'id-card',
    documentType: 'cn-resident-id',
    documentNumber: '11010519491231002X',
    name: '张三丰',
    sex: 'M',
    birthDate: '1949-12-31',
    nationality: 'CHN',
    validFrom: '2016-01-01',
    validTo: 'long-term',
    checks: [{ name: 'id-number.check-digit', ok: true }],
    ...over,
  };
}

interface Pending<I, O> {
  readonly input: I;
  resolve(o: O): void;
  reject(e: unknown): void;
}

function pendingActor<I, O>(list: Pending<I, O>[]) {
  return fromPromise<O, I>(
    ({ input }) =>
      new Promise<O>((resolve, reject) => {
        list.push({ input, resolve, reject });
      }),
  );
}

export interface HarnessOptions {
  settings?: Partial<Omit<CheckInSettings, 'timeouts' | 'attendant'>> & {
    timeouts?: Partial<CheckInSettings['timeouts']>;
    attendant?: Partial<CheckInSettings['attendant']>;
  };
  faceRequired?: (d: IdentityDocument) => boolean;
  /** A correct PIN for the fake checkPin (resolves immediately). Undefined: checkPin is left pending. */
  pin?: string;
}

export const flush = () => new Promise<void>((r) => setImmediate(r));

export function harness(opts: HarnessOptions = {}) {
  const clock = new SimulatedClock();
  clock.set(T0);
  const audits: AuditInput[] = [];
  const verify: Pending<VerifyCredentialInput, VerifyCredentialOutput>[] = [];
  const decide: Pending<DecideInput, Decision>[] = [];
  const act: Pending<ActInput, ActionResult>[] = [];
  const pins: Pending<CheckPinInput, boolean>[] = [];
  const face: {
    input?: FaceCheckInput;
    send: ((e: FaceCheckEvent) => void) | undefined;
    started: number;
    stopped: number;
  } = {
    send: undefined,
    started: 0,
    stopped: 0,
  };
  const device: { send?: (e: DeviceEventsEvent) => void; stopped: boolean } = { stopped: false };
  const settings: CheckInSettings = {
    ...DEFAULT_SETTINGS,
    ...opts.settings,
    timeouts: { ...DEFAULT_SETTINGS.timeouts, ...opts.settings?.timeouts },
    attendant: { ...DEFAULT_SETTINGS.attendant, ...opts.settings?.attendant },
  };
  const machine = checkInMachine.provide({
    actors: {
      deviceEvents: fromCallback<DeviceEventsEvent>(({ sendBack }) => {
        device.send = sendBack;
        return () => void (device.stopped = true);
      }),
      verifyCredential: pendingActor(verify),
      decide: pendingActor(decide),
      act: pendingActor(act),
      checkPin:
        opts.pin === undefined
          ? pendingActor(pins)
          : fromPromise<boolean, CheckPinInput>(async ({ input }) => input.pin === opts.pin),
      faceCheck: fromCallback<FaceCheckEvent, FaceCheckInput>(({ sendBack, input }) => {
        face.input = input;
        face.send = sendBack;
        face.started++;
        return () => {
          face.stopped++;
          face.send = undefined;
        };
      }),
    },
    actions: { audit: (_args, params) => void audits.push(params) },
    guards: {
      faceRequired: (_args, params) => (opts.faceRequired ? opts.faceRequired(params.document) : true),
    },
  });
  const actor = createActor(machine, { clock, input: { settings } });
  actor.start();

  const h = {
    actor,
    clock,
    audits,
    verify,
    decide,
    act,
    pins,
    face,
    device,
    settings,
    send: actor.send.bind(actor),
    snapshot: () => actor.getSnapshot(),
    view: () => toView(actor.getSnapshot(), { now: clock.now() }),
    flowState: () => toView(actor.getSnapshot()).state,
    types: () => audits.map((a) => a.type),
    ofType: <T extends AuditInput['type']>(t: T) =>
      audits.filter((a): a is Extract<AuditInput, { type: T }> => a.type === t),
    async advance(ms: number) {
      h.clock.increment(ms);
      await flush();
    },
    /** document.read → verify resolves `verdict`. */
    async read(d: IdentityDocument = doc(), verdict: VerifyCredentialOutput = { ok: true }) {
      h.send({ type: 'document.read', document: d });
      await flush();
      const v = verify.at(-1);
      if (!v) throw new Error('verifyCredential not invoked');
      v.resolve(verdict);
      await flush();
    },
    async faceDone(outcome: FaceOutcome, score?: number) {
      if (!face.send) throw new Error('faceCheck not running');
      face.send({ type: 'face.done', result: { outcome, ...(score !== undefined ? { score } : {}) } });
      await flush();
    },
    async decideWith(d: Decision) {
      const p = decide.at(-1);
      if (!p) throw new Error('decide not invoked');
      p.resolve(d);
      await flush();
    },
    async actWith(r: ActionResult) {
      const p = act.at(-1);
      if (!p) throw new Error('act not invoked');
      p.resolve(r);
      await flush();
    },
    /** A full happy path up to the result screen. */
    async pass(d: IdentityDocument = doc()) {
      await h.read(d);
      await h.faceDone('match', 0.71);
      await h.decideWith({ outcome: 'pass', reason: 'ok' });
      await h.actWith({ ok: true, displayCode: 'A-17' });
    },
    async login(pin = '2468') {
      h.send({ type: 'attendant.open' });
      h.send({ type: 'attendant.pin', pin });
      await flush();
    },
  };
  return h;
}
