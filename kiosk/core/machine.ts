// The check-in machine (XState v5). It owns the flow: timeouts, cancellation, device faults, attendant
// console and override, the refusal of a second credential. Every side effect is named in setup() with a
// harmless or pure default; kiosk/main replaces them with .provide() (see docs/core.md).
//
// Regions (the root is parallel):
//   flow     idle → checkIn.{checkingCredential → capturingFace → deciding → acting | reviewing} → result → idle
//            fault (a required device was lost) → idle when it is back
//   console  closed | pin | checking | authenticated   (the attendant console; closes when idle)
//   lock     unlocked | locked                          (after maxAttempts wrong PINs, for lockoutMs)
//   link     subscribed | retrying                      (the deviceEvents subscription, re-made if it throws)
//
// Face data: the context holds the FaceResult (scores only), never frames or embeddings. The document is
// held only during a check-in and its result screen; it is cleared when the kiosk returns to idle.
import { and, assign, enqueueActions, fromCallback, fromPromise, not, setup, stateIn } from 'xstate';
import type { ActorSystem } from 'xstate';
import type { DeviceStatus } from '../shared/view.ts';
import type { AuditInput, CheckInStage, DecidedBy } from './audit-input.ts';
import { checkCredential, localDate } from './credential-checks.ts';
import { defaultPolicy } from './policy.ts';
import type { DecideInput } from './policy.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import type { CheckInSettings } from './settings.ts';
import type {
  ActionResult,
  ChallengeStep,
  CredentialSource,
  Decision,
  DecisionOutcome,
  DeviceName,
  FaceHint,
  FaceResult,
  IdentityDocument,
  ReasonCode,
} from './types.ts';

// ---- events ---------------------------------------------------------------------------------------------

export type KioskEvent =
  /** A credential was read and parsed (and, for wallets/QR, verified cryptographically). */
  | { type: 'document.read'; document: IdentityDocument }
  /** A credential was read but rejected by its reader/verifier (forged or expired QR, bad card read). */
  | { type: 'document.rejected'; code: string; reason: ReasonCode; source: CredentialSource }
  | { type: 'device.lost'; device: DeviceName }
  | { type: 'device.ready'; device: DeviceName }
  | { type: 'person.cancel' }
  | { type: 'attendant.open' }
  | { type: 'attendant.pin'; pin: string }
  | { type: 'attendant.decide'; outcome: 'pass' | 'deny'; reason?: ReasonCode; note?: string }
  | { type: 'attendant.close' }
  /** A new rotating wallet request QR to show on the welcome screen. */
  | { type: 'wallet.qr'; uri: string; expiresAt: number }
  | { type: 'face.hint'; hint: FaceHint; challenge?: readonly ChallengeStep[]; step?: number }
  | { type: 'face.done'; result: FaceResult }
  /** Internal: clears the notice after timeouts.noticeMs. */
  | { type: 'notice.clear' }
  /** Internal: starts the PIN lockout. */
  | { type: 'lock.start' };

/** Every KioskEvent type, for docs and tests (the compiler keeps it complete). */
export const KIOSK_EVENT_TYPES = [
  'document.read',
  'document.rejected',
  'device.lost',
  'device.ready',
  'person.cancel',
  'attendant.open',
  'attendant.pin',
  'attendant.decide',
  'attendant.close',
  'wallet.qr',
  'face.hint',
  'face.done',
  'notice.clear',
  'lock.start',
] as const satisfies readonly KioskEvent['type'][];

type MissingEventType = Exclude<KioskEvent['type'], (typeof KIOSK_EVENT_TYPES)[number]>;
export const KIOSK_EVENT_TYPES_COMPLETE: [MissingEventType] extends [never] ? true : MissingEventType = true;

// ---- actor inputs and outputs -----------------------------------------------------------------------------

export interface VerifyCredentialInput {
  readonly document: IdentityDocument;
  readonly now: number;
  /** The kiosk's IANA time zone (settings.timeZone): "today" for validity dates. */
  readonly timeZone: string;
}
export type VerifyCredentialOutput =
  { readonly ok: true } | { readonly ok: false; readonly reason: ReasonCode };

export interface FaceCheckInput {
  readonly document: IdentityDocument;
  readonly challengeLength: number;
}
/** What the faceCheck actor sends back. */
export type FaceCheckEvent = Extract<KioskEvent, { type: 'face.hint' | 'face.done' }>;

export interface ActInput {
  readonly decision: Decision;
  readonly document: IdentityDocument;
}

export interface CheckPinInput {
  readonly pin: string;
}

/** What the deviceEvents actor may send back (any machine event; device and credential events mostly). */
export type DeviceEventsEvent = Exclude<KioskEvent, { type: 'notice.clear' | 'lock.start' }>;

// ---- context --------------------------------------------------------------------------------------------

export interface FaceHintState {
  readonly hint: FaceHint;
  readonly challenge?: readonly ChallengeStep[];
  readonly step?: number;
}

export interface CheckInContext {
  readonly settings: CheckInSettings;
  readonly devices: Readonly<Partial<Record<DeviceName, DeviceStatus>>>;
  readonly walletQr: { readonly uri: string; readonly expiresAt: number } | undefined;
  /** Check-ins started since the machine started; tags audit events. */
  readonly seq: number;
  readonly document: IdentityDocument | undefined;
  readonly face: FaceResult | undefined;
  readonly faceHint: FaceHintState | undefined;
  /** The current decision: provisional ('review') or final (pass / deny). */
  readonly decision: Decision | undefined;
  readonly decidedBy: DecidedBy | undefined;
  readonly action: ActionResult | undefined;
  /** A result shown without a decision (a timeout). */
  readonly ending: { readonly outcome: DecisionOutcome; readonly reason: ReasonCode } | undefined;
  readonly notice: string | undefined;
  readonly attendant: {
    readonly authenticated: boolean;
    readonly failedAttempts: number;
    readonly lockedUntil: number | undefined;
  };
  /** The check-in stage in progress (for audit events). */
  readonly stage: CheckInStage | undefined;
  /** The wait in progress, for the countdown: started at `since` (machine clock), lasts `ms`. */
  readonly wait: { readonly since: number; readonly ms: number } | undefined;
}

export interface MachineInput {
  readonly settings?: CheckInSettings;
}

/** Notice codes put in KioskView.notice. 'document-rejected:<ReasonCode>' carries the reader's reason. */
export const NOTICE = {
  secondCredential: 'second-credential-refused',
  rejected: (reason: ReasonCode) => `document-rejected:${reason}`,
  fault: 'device-fault',
  locked: 'attendant-locked',
} as const;

// ---- helpers --------------------------------------------------------------------------------------------

/** The machine's clock (the actor's `clock` option: SimulatedClock in tests). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any system: the clock is all we read
export function nowOf(system: ActorSystem<any>): number {
  // SimulatedClock (tests) has now(); the default clock is the real timers, whose time is Date.now().
  const clock = system._clock as { now?: () => number };
  return typeof clock.now === 'function' ? clock.now() : Date.now();
}

/**
 * Enqueues the provided `audit` action with `at` stamped from the machine's clock. (enqueue() inside
 * setup's own actions does not know the action names yet; this keeps the call typed.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any system: the clock is all we read
function enqueueAudit(enqueue: unknown, system: ActorSystem<any>, params: AuditInput): void {
  (enqueue as (a: { type: 'audit'; params: AuditInput }) => void)({
    type: 'audit',
    params: { ...params, at: nowOf(system) },
  });
}

function docOf(context: CheckInContext): IdentityDocument {
  if (context.document === undefined) throw new Error('check-in state without a document (machine bug)');
  return context.document;
}

function isRequired(context: CheckInContext, device: DeviceName): boolean {
  return context.settings.requiredDevices.includes(device);
}

/** Required devices still lost if `except` came back. */
export function lostRequiredDevices(context: CheckInContext, except?: DeviceName): DeviceName[] {
  return context.settings.requiredDevices.filter((d) => d !== except && context.devices[d] === 'lost');
}

const CLEARED = {
  document: undefined,
  face: undefined,
  faceHint: undefined,
  decision: undefined,
  decidedBy: undefined,
  action: undefined,
  ending: undefined,
  stage: undefined,
  wait: undefined,
} as const;

const WAIT_OF: Record<CheckInStage, keyof CheckInSettings['timeouts']> = {
  checkingCredential: 'credentialCheckMs',
  capturingFace: 'faceMs',
  deciding: 'decideMs',
  acting: 'actMs',
  reviewing: 'reviewMs',
  result: 'resultMs',
};

function reasonOf(event: { outcome: 'pass' | 'deny'; reason?: ReasonCode }): ReasonCode {
  return event.reason ?? (event.outcome === 'pass' ? 'attendant-approved' : 'attendant-denied');
}

// Audit payloads, built from the context (the machine's clock gives `at`).
interface Args {
  readonly context: CheckInContext;
}

function attendantDecisionAudit({ context }: Args, event: DecideEvent): AuditInput {
  const stage = context.stage ?? 'result';
  return {
    type: 'attendant.decision',
    seq: context.seq,
    outcome: event.outcome,
    reason: reasonOf(event),
    stage,
    document: docOf(context),
    ...(event.note !== undefined ? { note: event.note } : {}),
    ...(stage === 'reviewing' && context.decision !== undefined
      ? { reviewReason: context.decision.reason }
      : {}),
  };
}

function reviewAudit({ context }: Args): AuditInput {
  const d = decisionOf(context);
  return {
    type: 'checkin.review',
    seq: context.seq,
    document: docOf(context),
    reason: d.reason,
    decidedBy: context.decidedBy ?? 'machine',
    ...(context.face !== undefined ? { face: context.face } : {}),
    ...(d.note !== undefined ? { note: d.note } : {}),
  };
}

function decisionOf(context: CheckInContext): Decision {
  if (context.decision === undefined) throw new Error('state without a decision (machine bug)');
  return context.decision;
}

type DecideEvent = Extract<KioskEvent, { type: 'attendant.decide' }>;

// ---- the machine ----------------------------------------------------------------------------------------

export const checkInMachine = setup({
  types: {
    context: {} as CheckInContext,
    events: {} as KioskEvent,
    input: {} as MachineInput | undefined,
  },
  actors: {
    /** Subscribes to the devices and sends machine events back; returns its cleanup. Default: none. */
    deviceEvents: fromCallback<DeviceEventsEvent>(() => () => undefined),
    /** Checks the credential on the local date of `now`. Default: the pure checkCredential. */
    verifyCredential: fromPromise<VerifyCredentialOutput, VerifyCredentialInput>(async ({ input }) =>
      checkCredential(input.document, localDate(input.now, input.timeZone)),
    ),
    /** Face capture, liveness and match. Default: no engine → 'camera-lost' (goes to review). */
    faceCheck: fromCallback<FaceCheckEvent, FaceCheckInput>(({ sendBack }) => {
      sendBack({ type: 'face.done', result: { outcome: 'camera-lost', detail: 'no face engine provided' } });
      return () => undefined;
    }),
    /** The venue policy. Default: defaultPolicy (kiosk/core/policy.ts). */
    decide: fromPromise<Decision, DecideInput>(async ({ input }) => defaultPolicy(input)),
    /** Venue actions (gate pulse, registration, guest record). Default: does nothing and says so. */
    act: fromPromise<ActionResult, ActInput>(async () => ({ ok: true, detail: 'no venue actions provided' })),
    /** Attendant PIN check. Default: refuses every PIN (no console until kiosk/main provides one). */
    checkPin: fromPromise<boolean, CheckPinInput>(async () => false),
  },
  actions: {
    /** Record an audit event. Default: nothing (kiosk/main provides the audit store). */
    audit: (_args, _params: AuditInput) => undefined,
    /** Internal: calls `audit` with `at` from the machine's clock. Provide `audit`, not this. */
    record: enqueueActions(({ system, enqueue }, params: AuditInput) =>
      enqueueAudit(enqueue, system, params),
    ),
    /** Enter a check-in stage: remember it and start its countdown. */
    enterStage: assign(({ context, system }, params: { stage: CheckInStage }) => ({
      stage: params.stage,
      wait: { since: nowOf(system), ms: context.settings.timeouts[WAIT_OF[params.stage]] },
    })),
    /** A wait ran out: record checkin.timeout; the result screen shows deny / 'timeout'. */
    timedOut: enqueueActions(({ context, system, enqueue }) => {
      enqueueAudit(enqueue, system, {
        type: 'checkin.timeout',
        seq: context.seq,
        stage: context.stage ?? 'result',
        document: docOf(context),
      });
      enqueue.assign({
        decision: undefined,
        decidedBy: undefined,
        ending: { outcome: 'deny', reason: 'timeout' },
      });
    }),
    /** device.lost / device.ready: update the device table and audit it. */
    deviceChanged: enqueueActions(({ context, event, system, enqueue }) => {
      if (event.type !== 'device.lost' && event.type !== 'device.ready') return;
      const status = event.type === 'device.lost' ? 'lost' : 'ready';
      enqueue.assign({ devices: { ...context.devices, [event.device]: status } });
      enqueueAudit(
        enqueue,
        system,
        event.type === 'device.lost'
          ? { type: 'device.lost', device: event.device, required: isRequired(context, event.device) }
          : { type: 'device.ready', device: event.device },
      );
    }),
    /** Show a notice on top of the current screen for timeouts.noticeMs. */
    showNotice: enqueueActions(({ enqueue }, params: { notice: string }) => {
      enqueue.assign({ notice: params.notice });
      enqueue.cancel('notice');
      enqueue.raise(
        { type: 'notice.clear' },
        { id: 'notice', delay: ({ context }) => context.settings.timeouts.noticeMs },
      );
    }),
    /** Venue actions failed: the person goes to review or is denied, with the venue's own reason when it gave
     * one (already-active-session, timeout: gate opened and nobody passed, no-booking ...), else
     * 'venue-system-down'. */
    actionFailed: assign(
      (_args, params: { outcome: 'review' | 'deny'; detail: string; reason?: ReasonCode }) => ({
        action: {
          ok: false,
          reason: params.reason ?? 'venue-system-down',
          detail: params.detail,
        } satisfies ActionResult,
        decision: {
          outcome: params.outcome,
          reason: params.reason ?? 'venue-system-down',
          note: params.detail,
        } satisfies Decision,
        decidedBy: 'machine' as const,
      }),
    ),
    pinFailed: enqueueActions(({ context, system, enqueue }) => {
      const failed = context.attendant.failedAttempts + 1;
      const max = context.settings.attendant.maxAttempts;
      const at = nowOf(system);
      enqueueAudit(enqueue, system, {
        type: 'attendant.login-failed',
        attemptsLeft: Math.max(0, max - failed),
      });
      if (failed >= max) {
        const until = at + context.settings.attendant.lockoutMs;
        enqueue.assign({ attendant: { ...context.attendant, failedAttempts: failed, lockedUntil: until } });
        enqueueAudit(enqueue, system, { type: 'attendant.lockout', until });
        enqueue.raise({ type: 'lock.start' });
      } else {
        enqueue.assign({ attendant: { ...context.attendant, failedAttempts: failed } });
      }
    }),
    logout: enqueueActions(({ context, system, enqueue }, params: { why: 'closed' | 'idle' }) => {
      enqueue.assign({ attendant: { ...context.attendant, authenticated: false } });
      enqueueAudit(enqueue, system, { type: 'attendant.logout', why: params.why });
    }),
  },
  guards: {
    /** Whether this credential needs the face step (venue policy). Default: always. */
    faceRequired: (_args, _params: { document: IdentityDocument }) => true,
    /** An attendant is logged in to the console and the check-in is not in its (uninterruptible) actions. */
    attendantMayDecide: and([stateIn('#consoleAuthenticated'), not(stateIn('#acting'))]),
    /** Venue actions failed after the policy's pass and the config sends such cases to review. */
    failureGoesToReview: ({ context }) =>
      context.decidedBy !== 'attendant' && context.settings.onActionFailure === 'review',
  },
  delays: {
    credentialCheckMs: ({ context }) => context.settings.timeouts.credentialCheckMs,
    faceMs: ({ context }) => context.settings.timeouts.faceMs,
    decideMs: ({ context }) => context.settings.timeouts.decideMs,
    actMs: ({ context }) => context.settings.timeouts.actMs,
    resultMs: ({ context }) => context.settings.timeouts.resultMs,
    reviewMs: ({ context }) => context.settings.timeouts.reviewMs,
    attendantIdleMs: ({ context }) => context.settings.timeouts.attendantIdleMs,
    lockoutMs: ({ context }) => context.settings.attendant.lockoutMs,
    relinkMs: 1_000,
  },
}).createMachine({
  id: 'kiosk',
  type: 'parallel',
  context: ({ input }) => ({
    settings: input?.settings ?? DEFAULT_SETTINGS,
    devices: {},
    walletQr: undefined,
    seq: 0,
    ...CLEARED,
    notice: undefined,
    attendant: { authenticated: false, failedAttempts: 0, lockedUntil: undefined },
  }),
  // Bookkeeping for events no region handles. (XState v5 runs a parent's transition only when no child
  // region took the event, so regions that handle device events run 'deviceChanged' themselves.)
  on: {
    'wallet.qr': {
      actions: assign({ walletQr: ({ event }) => ({ uri: event.uri, expiresAt: event.expiresAt }) }),
    },
    'device.ready': { actions: 'deviceChanged' },
    'device.lost': { actions: 'deviceChanged' },
    'notice.clear': { actions: assign({ notice: undefined }) },
  },
  states: {
    flow: {
      initial: 'idle',
      on: {
        // A required device lost anywhere in the flow stops it (checkIn records the abort first).
        'device.lost': {
          guard: ({ context, event }) => isRequired(context, event.device),
          target: '.fault',
          actions: 'deviceChanged',
        },
        'document.rejected': {
          actions: [
            {
              type: 'record',
              params: ({ event }) => ({
                type: 'credential.rejected',
                source: event.source,
                code: event.code,
                reason: event.reason,
              }),
            },
            { type: 'showNotice', params: ({ event }) => ({ notice: NOTICE.rejected(event.reason) }) },
          ],
        },
      },
      states: {
        idle: {
          entry: assign(CLEARED),
          on: {
            'document.read': {
              target: 'checkIn',
              actions: [
                assign({ seq: ({ context }) => context.seq + 1, document: ({ event }) => event.document }),
                {
                  type: 'record',
                  params: ({ context }) => ({
                    type: 'checkin.started',
                    seq: context.seq,
                    document: docOf(context),
                  }),
                },
              ],
            },
          },
        },

        checkIn: {
          initial: 'checkingCredential',
          on: {
            'document.read': {
              actions: [
                {
                  type: 'record',
                  params: ({ context, event }) => ({
                    type: 'credential.refused-second',
                    seq: context.seq,
                    source: event.document.source,
                    document: event.document,
                  }),
                },
                { type: 'showNotice', params: { notice: NOTICE.secondCredential } },
              ],
            },
            'document.rejected': {
              actions: [
                {
                  type: 'record',
                  params: ({ context, event }) => ({
                    type: 'credential.refused-second',
                    seq: context.seq,
                    source: event.source,
                    code: event.code,
                    reason: event.reason,
                  }),
                },
                { type: 'showNotice', params: { notice: NOTICE.secondCredential } },
              ],
            },
            'person.cancel': {
              target: 'idle',
              actions: {
                type: 'record',
                params: ({ context }) => ({
                  type: 'checkin.cancelled',
                  seq: context.seq,
                  stage: context.stage ?? 'checkingCredential',
                  document: docOf(context),
                }),
              },
            },
            'device.lost': {
              guard: ({ context, event }) => isRequired(context, event.device),
              target: 'fault',
              actions: [
                {
                  type: 'record',
                  params: ({ context, event }) => ({
                    type: 'checkin.aborted',
                    seq: context.seq,
                    stage: context.stage ?? 'checkingCredential',
                    device: event.device,
                    document: docOf(context),
                  }),
                },
                'deviceChanged',
              ],
            },
            // Attendant override (or the decision in review): needs a logged-in console; not while acting.
            'attendant.decide': [
              {
                guard: and(['attendantMayDecide', ({ event }) => event.outcome === 'pass']),
                target: '.acting',
                actions: [
                  {
                    type: 'record',
                    params: ({ context, event }) => attendantDecisionAudit({ context }, event),
                  },
                  assign({
                    decision: ({ event }) => ({
                      outcome: event.outcome,
                      reason: reasonOf(event),
                      ...(event.note !== undefined ? { note: event.note } : {}),
                    }),
                    decidedBy: 'attendant',
                  }),
                ],
              },
              {
                guard: 'attendantMayDecide',
                target: 'result',
                actions: [
                  {
                    type: 'record',
                    params: ({ context, event }) => attendantDecisionAudit({ context }, event),
                  },
                  assign({
                    decision: ({ event }) => ({
                      outcome: event.outcome,
                      reason: reasonOf(event),
                      ...(event.note !== undefined ? { note: event.note } : {}),
                    }),
                    decidedBy: 'attendant',
                  }),
                ],
              },
            ],
          },
          states: {
            checkingCredential: {
              entry: { type: 'enterStage', params: { stage: 'checkingCredential' } },
              invoke: {
                id: 'verifyCredential',
                src: 'verifyCredential',
                input: ({ context, self }) => ({
                  document: docOf(context),
                  now: nowOf(self.system),
                  timeZone: context.settings.timeZone,
                }),
                onDone: [
                  {
                    guard: ({ event }) => !event.output.ok,
                    target: '#kiosk.flow.result',
                    actions: assign({
                      decision: ({ event }) => ({
                        outcome: 'deny',
                        reason: event.output.ok ? 'credential-invalid' : event.output.reason,
                      }),
                      decidedBy: 'credential-check',
                    }),
                  },
                  {
                    guard: { type: 'faceRequired', params: ({ context }) => ({ document: docOf(context) }) },
                    target: 'capturingFace',
                  },
                  { target: 'deciding', actions: assign({ face: { outcome: 'skipped' } }) },
                ],
                onError: {
                  target: 'reviewing',
                  actions: assign({
                    decision: {
                      outcome: 'review',
                      reason: 'policy-review',
                      note: 'credential verifier failed',
                    },
                    decidedBy: 'machine',
                  }),
                },
              },
              after: { credentialCheckMs: { target: '#kiosk.flow.result', actions: 'timedOut' } },
            },

            capturingFace: {
              entry: [
                { type: 'enterStage', params: { stage: 'capturingFace' } },
                assign({ faceHint: { hint: 'look-at-camera' } }),
              ],
              invoke: {
                id: 'faceCheck',
                src: 'faceCheck',
                // A face step that throws is a lost camera as far as the decision goes (→ review by default).
                onError: {
                  target: 'deciding',
                  actions: assign({ face: { outcome: 'camera-lost', detail: 'face step failed' } }),
                },
                input: ({ context }) => ({
                  document: docOf(context),
                  challengeLength: context.settings.challengeLength,
                }),
              },
              on: {
                'face.hint': {
                  actions: assign({
                    faceHint: ({ event }) => ({
                      hint: event.hint,
                      ...(event.challenge !== undefined ? { challenge: event.challenge } : {}),
                      ...(event.step !== undefined ? { step: event.step } : {}),
                    }),
                  }),
                },
                'face.done': { target: 'deciding', actions: assign({ face: ({ event }) => event.result }) },
              },
              after: { faceMs: { target: '#kiosk.flow.result', actions: 'timedOut' } },
            },

            deciding: {
              entry: [
                { type: 'enterStage', params: { stage: 'deciding' } },
                assign({
                  faceHint: ({ context }) =>
                    context.face === undefined || context.face.outcome === 'skipped'
                      ? undefined
                      : { hint: 'matching' },
                }),
              ],
              invoke: {
                id: 'decide',
                src: 'decide',
                input: ({ context, self }) => ({
                  document: docOf(context),
                  face: context.face ?? { outcome: 'skipped' },
                  now: nowOf(self.system),
                  timeZone: context.settings.timeZone,
                }),
                onDone: [
                  {
                    guard: ({ event }) => event.output.outcome === 'pass',
                    target: 'acting',
                    actions: assign({ decision: ({ event }) => event.output, decidedBy: 'policy' }),
                  },
                  {
                    guard: ({ event }) => event.output.outcome === 'review',
                    target: 'reviewing',
                    actions: assign({ decision: ({ event }) => event.output, decidedBy: 'policy' }),
                  },
                  {
                    target: '#kiosk.flow.result',
                    actions: assign({ decision: ({ event }) => event.output, decidedBy: 'policy' }),
                  },
                ],
                onError: {
                  target: 'reviewing',
                  actions: assign({
                    decision: { outcome: 'review', reason: 'venue-system-down', note: 'policy failed' },
                    decidedBy: 'machine',
                  }),
                },
              },
              after: {
                decideMs: {
                  target: 'reviewing',
                  actions: assign({
                    decision: { outcome: 'review', reason: 'venue-system-down', note: 'policy timed out' },
                    decidedBy: 'machine',
                  }),
                },
              },
            },

            acting: {
              id: 'acting',
              entry: { type: 'enterStage', params: { stage: 'acting' } },
              invoke: {
                id: 'act',
                src: 'act',
                input: ({ context }) => ({ decision: decisionOf(context), document: docOf(context) }),
                onDone: [
                  {
                    guard: ({ event }) => event.output.ok,
                    target: '#kiosk.flow.result',
                    actions: assign({ action: ({ event }) => event.output }),
                  },
                  {
                    guard: 'failureGoesToReview',
                    target: 'reviewing',
                    actions: {
                      type: 'actionFailed',
                      params: ({ event }) => ({
                        outcome: 'review',
                        detail: event.output.detail ?? 'venue actions failed',
                        ...(event.output.reason ? { reason: event.output.reason } : {}),
                      }),
                    },
                  },
                  {
                    target: '#kiosk.flow.result',
                    actions: {
                      type: 'actionFailed',
                      params: ({ event }) => ({
                        outcome: 'deny',
                        detail: event.output.detail ?? 'venue actions failed',
                        ...(event.output.reason ? { reason: event.output.reason } : {}),
                      }),
                    },
                  },
                ],
                onError: [
                  {
                    guard: 'failureGoesToReview',
                    target: 'reviewing',
                    actions: {
                      type: 'actionFailed',
                      params: { outcome: 'review', detail: 'venue actions failed' },
                    },
                  },
                  {
                    target: '#kiosk.flow.result',
                    actions: {
                      type: 'actionFailed',
                      params: { outcome: 'deny', detail: 'venue actions failed' },
                    },
                  },
                ],
              },
              after: {
                actMs: [
                  {
                    guard: 'failureGoesToReview',
                    target: 'reviewing',
                    actions: {
                      type: 'actionFailed',
                      params: { outcome: 'review', detail: 'venue actions timed out' },
                    },
                  },
                  {
                    target: '#kiosk.flow.result',
                    actions: {
                      type: 'actionFailed',
                      params: { outcome: 'deny', detail: 'venue actions timed out' },
                    },
                  },
                ],
              },
              // The gate may already be moving: the person cannot cancel now.
              on: { 'person.cancel': { actions: [] } },
            },

            reviewing: {
              entry: [
                { type: 'enterStage', params: { stage: 'reviewing' } },
                { type: 'record', params: ({ context }) => reviewAudit({ context }) },
              ],
              after: { reviewMs: { target: '#kiosk.flow.result', actions: 'timedOut' } },
            },
          },
        },

        result: {
          entry: [
            { type: 'enterStage', params: { stage: 'result' } },
            // Exactly one checkin.decision per check-in that reached a decision (timeouts recorded theirs).
            enqueueActions(({ context, enqueue }) => {
              const d = context.decision;
              if (d === undefined || d.outcome === 'review') return;
              enqueue({
                type: 'record',
                params: {
                  type: 'checkin.decision',
                  seq: context.seq,
                  document: docOf(context),
                  decision: d,
                  decidedBy: context.decidedBy ?? 'machine',
                  ...(context.face !== undefined ? { face: context.face } : {}),
                  ...(context.action !== undefined ? { action: context.action } : {}),
                },
              });
            }),
          ],
          after: { resultMs: 'idle' },
          on: {
            'person.cancel': 'idle',
            'document.read': {
              target: 'checkIn',
              actions: [
                assign({
                  ...CLEARED,
                  seq: ({ context }) => context.seq + 1,
                  document: ({ event }) => event.document,
                }),
                {
                  type: 'record',
                  params: ({ context }) => ({
                    type: 'checkin.started',
                    seq: context.seq,
                    document: docOf(context),
                  }),
                },
              ],
            },
          },
        },

        fault: {
          entry: assign(CLEARED),
          on: {
            'device.ready': [
              {
                guard: ({ context, event }) => lostRequiredDevices(context, event.device).length === 0,
                target: 'idle',
                actions: 'deviceChanged',
              },
              { actions: 'deviceChanged' },
            ],
            'document.read': { actions: { type: 'showNotice', params: { notice: NOTICE.fault } } },
          },
        },
      },
    },

    console: {
      initial: 'closed',
      states: {
        closed: {
          on: { 'attendant.open': 'pin' },
        },
        pin: {
          after: { attendantIdleMs: 'closed' },
          on: {
            'attendant.open': { target: 'pin', reenter: true },
            'attendant.close': 'closed',
            'attendant.pin': [
              {
                guard: stateIn('#locked'),
                actions: { type: 'showNotice', params: { notice: NOTICE.locked } },
              },
              { target: 'checking' },
            ],
          },
        },
        checking: {
          invoke: {
            id: 'checkPin',
            src: 'checkPin',
            input: ({ event }) => ({ pin: event.type === 'attendant.pin' ? event.pin : '' }),
            onDone: [
              {
                guard: ({ event }) => event.output === true,
                target: 'authenticated',
                actions: [
                  assign({
                    attendant: ({ context }) => ({
                      ...context.attendant,
                      authenticated: true,
                      failedAttempts: 0,
                    }),
                  }),
                  { type: 'record', params: () => ({ type: 'attendant.login' }) },
                ],
              },
              { target: 'pin', actions: 'pinFailed' },
            ],
            onError: { target: 'pin', actions: 'pinFailed' },
          },
          on: { 'attendant.close': 'closed' },
        },
        authenticated: {
          id: 'consoleAuthenticated',
          after: {
            attendantIdleMs: { target: 'closed', actions: { type: 'logout', params: { why: 'idle' } } },
          },
          on: {
            'attendant.open': { target: 'authenticated', reenter: true },
            'attendant.decide': { target: 'authenticated', reenter: true },
            'attendant.close': { target: 'closed', actions: { type: 'logout', params: { why: 'closed' } } },
          },
        },
      },
    },

    // The device subscription. If kiosk/main's subscriber throws, subscribe again after relinkMs rather
    // than let the error stop the whole machine.
    link: {
      initial: 'subscribed',
      states: {
        subscribed: { invoke: { id: 'deviceEvents', src: 'deviceEvents', onError: 'retrying' } },
        retrying: { after: { relinkMs: 'subscribed' } },
      },
    },

    lock: {
      initial: 'unlocked',
      states: {
        // Only the machine's own lockout (which sets lockedUntil first) locks; a stray 'lock.start' does not.
        unlocked: {
          on: {
            'lock.start': {
              guard: ({ context }) => context.attendant.lockedUntil !== undefined,
              target: 'locked',
            },
          },
        },
        locked: {
          id: 'locked',
          after: {
            lockoutMs: {
              target: 'unlocked',
              actions: assign({
                attendant: ({ context }) => ({
                  ...context.attendant,
                  failedAttempts: 0,
                  lockedUntil: undefined,
                }),
              }),
            },
          },
        },
      },
    },
  },
});

export type CheckInMachine = typeof checkInMachine;
