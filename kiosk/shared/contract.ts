// The one IPC contract between the screens and the kiosk: a zod schema per channel. The Electron preload,
// the Electron main process, the browser host (HTTP + WebSocket) and the renderer all derive their types
// and their checks from this file, so a payload is described once. Every invoke answers a Result.
// Pure: no I/O, no Node.
import { z } from 'zod';
import type {
  ChallengeStep,
  CredentialSource,
  DecisionOutcome,
  DeviceName,
  FaceHint,
  FaceOutcome,
  ReasonCode,
} from '../core/types.ts';
import type { ErrorCode, Result } from './errors.ts';
import { shellCodes } from './error-codes/shell.ts';
import type { DeviceStatus, KioskView, Screen } from './view.ts';

// ---- runtime lists of the domain unions (the type checker keeps them complete) --------------------------

type Exhaustive<U, L extends readonly U[]> = [Exclude<U, L[number]>] extends [never] ? L : never;
function list<U>() {
  return <const L extends readonly U[]>(l: Exhaustive<U, L> & L): L => l;
}

export const REASON_CODES = list<ReasonCode>()([
  'ok',
  'credential-invalid',
  'credential-expired',
  'credential-not-yet-valid',
  'credential-untrusted',
  'credential-revoked',
  'credential-replayed',
  'face-no-match',
  'face-spoof',
  'face-challenge-failed',
  'face-no-usable-image',
  'face-no-reference',
  'underage',
  'already-active-session',
  'no-ticket',
  'ticket-used',
  'ticket-wrong-gate',
  'ticket-outside-window',
  'banned',
  'no-booking',
  'venue-system-down',
  'attendant-approved',
  'attendant-denied',
  'cancelled',
  'timeout',
  'policy-review',
]);
export const CHALLENGE_STEPS = list<ChallengeStep>()(['turn-left', 'turn-right', 'blink']);
export const FACE_HINTS = list<FaceHint>()([
  'look-at-camera',
  'move-closer',
  'move-back',
  'face-the-camera',
  'more-light',
  'less-light',
  'hold-still',
  'one-person-only',
  'turn-left',
  'turn-right',
  'blink',
  'matching',
]);
export const FACE_OUTCOMES = list<FaceOutcome>()([
  'match',
  'no-match',
  'spoof',
  'challenge-failed',
  'no-face',
  'quality',
  'no-reference',
  'camera-lost',
  'skipped',
]);
export const SCREENS = list<Screen>()([
  'welcome',
  'reading',
  'face',
  'result',
  'review',
  'fault',
  'attendant',
]);
export const DEVICE_NAMES = list<DeviceName>()(['reader', 'mrz', 'scanner', 'camera', 'relay', 'backend']);
export const DEVICE_STATUSES = list<DeviceStatus>()(['ready', 'lost', 'absent']);
export const CREDENTIAL_SOURCES = list<CredentialSource>()(['id-card', 'mrz', 'wallet', 'identity-qr']);
export const DECISION_OUTCOMES = list<DecisionOutcome>()(['pass', 'deny', 'review']);

/** The four languages the screens ship with, complete from day one. */
export const LANGUAGES = ['zh-Hans', 'zh-Hant', 'en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

// ---- error codes of the shell (IPC, host, Electron) -----------------------------------------------------

/** Code → one-line meaning. Append-only. To be joined into kiosk/shared/errors.ts by the lead. */
// The shell's error codes live with the other areas' tables (kiosk/shared/error-codes/shell.ts).
export { shellCodes };
export type ShellErrorCode = keyof typeof shellCodes;

/** The answer to every invoke: kiosk/shared/errors.ts Result (its ErrorCode includes the shell's codes). */
export type { Result };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode | ShellErrorCode, message: string): Result<T> => ({
  ok: false,
  code,
  message,
});

// ---- schemas ------------------------------------------------------------------------------------------

const reasonCode = z.enum(REASON_CODES);
const deviceName = z.enum(DEVICE_NAMES);

/** The machine events (and shell events) the screens may send. Anything else is refused. */
export const rendererEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('person.cancel') }),
  z.strictObject({ type: z.literal('attendant.open') }),
  z.strictObject({ type: z.literal('attendant.pin'), pin: z.string().regex(/^[0-9]{4,12}$/) }),
  z.strictObject({
    type: z.literal('attendant.decide'),
    outcome: z.enum(['pass', 'deny']),
    reason: reasonCode.optional(),
    note: z.string().max(200).optional(),
  }),
  z.strictObject({ type: z.literal('attendant.close') }),
  /** Not a machine event: the shell keeps the language and pushes it to every screen. */
  z.strictObject({ type: z.literal('ui.language'), language: z.enum(LANGUAGES) }),
]);
export type RendererEvent = z.infer<typeof rendererEventSchema>;
export type MachineEventFromRenderer = Exclude<RendererEvent, { type: 'ui.language' }>;

/** Demo panel actions; accepted only when the kiosk runs with --demo. */
export const demoActionSchema = z.discriminatedUnion('type', [
  /** Put a demo person's ID card on the reader (or passport on the MRZ reader, by the person's document). */
  z.strictObject({ type: z.literal('card'), person: z.string().min(1).max(40) }),
  /** The scanner reads this text (a phone identity QR). */
  z.strictObject({ type: z.literal('scan'), text: z.string().min(1).max(4096) }),
  /** The backend pushes a verified wallet presentation for this demo person. */
  z.strictObject({ type: z.literal('wallet'), person: z.string().min(1).max(40) }),
  /** Unplug (present: false) or replug a device. */
  z.strictObject({ type: z.literal('device'), device: deviceName, present: z.boolean() }),
  /** What the demo face check answers next. */
  z.strictObject({ type: z.literal('face'), outcome: z.enum(FACE_OUTCOMES) }),
]);
export type DemoAction = z.infer<typeof demoActionSchema>;

export const demoPersonSchema = z.strictObject({
  id: z.string(),
  label: z.string(),
  document: z.enum(['id-card', 'passport']),
  /** The identity-QR text that makes the demo scanner read this person. */
  scanText: z.string(),
});
export type DemoPerson = z.infer<typeof demoPersonSchema>;

const faceHint = z.enum(FACE_HINTS);
/** A masked name or number always carries '*' (kiosk/core/mask.ts): a guard against an unmasked value leaking. */
const masked = z.string().max(80).regex(/\*/, 'expected a masked value');

/** KioskView as a schema: every push is parsed before it leaves and again when it arrives. */
export const viewSchema = z.strictObject({
  screen: z.enum(SCREENS),
  state: z.string().max(200),
  venue: z.strictObject({ profile: z.string(), name: z.string() }),
  walletQr: z.strictObject({ uri: z.string().max(2048), expiresAt: z.number() }).optional(),
  reading: z.strictObject({ source: z.enum(CREDENTIAL_SOURCES) }).optional(),
  face: z
    .strictObject({
      hint: faceHint,
      challenge: z.array(z.enum(CHALLENGE_STEPS)).readonly().optional(),
      step: z.number().int().nonnegative().optional(),
    })
    .optional(),
  result: z
    .strictObject({
      outcome: z.enum(DECISION_OUTCOMES),
      reason: reasonCode,
      maskedName: masked.optional(),
      maskedNumber: masked.optional(),
      displayCode: z.string().max(40).optional(),
    })
    .optional(),
  review: z
    .strictObject({
      reason: reasonCode,
      maskedName: masked.optional(),
      maskedNumber: masked.optional(),
      faceScore: z.number().optional(),
    })
    .optional(),
  fault: z.strictObject({ devices: z.array(deviceName).readonly() }).optional(),
  attendant: z
    .strictObject({
      authenticated: z.boolean(),
      attemptsLeft: z.number().int(),
      lockedUntil: z.number().optional(),
    })
    .optional(),
  notice: z.string().max(80).optional(),
  devices: z.partialRecord(deviceName, z.enum(DEVICE_STATUSES)),
  deadline: z.number().optional(),
});
// Every KioskView passes the schema (checked by the compiler); the reverse is checked by the unit tests.
const _viewFits = (v: KioskView): z.input<typeof viewSchema> => v;
void _viewFits;

/** Parses an unknown value as a KioskView. */
export function parseView(raw: unknown): Result<KioskView> {
  const r = viewSchema.safeParse(raw);
  return r.success ? ok(r.data as KioskView) : fail('E_IPC_INVALID_PAYLOAD', describe(r.error));
}

export const helloSchema = z.strictObject({
  view: viewSchema,
  language: z.enum(LANGUAGES),
  demo: z.boolean(),
  /** Where the face screen's camera preview image comes from (same origin in a browser). */
  previewUrl: z.string().max(200),
});
export type Hello = { view: KioskView; language: Language; demo: boolean; previewUrl: string };

// ---- consent notice and attendant console ----------------------------------------------------------------

/** The consent notice: what is read, why, how long it is kept, in the profile's words, in one language. */
export const consentNoticeSchema = z.strictObject({
  language: z.enum(LANGUAGES),
  text: z.string().min(1).max(4000),
  /** The retention rules the text is about (days per record), so the screen can show "kept N days". */
  retention: z
    .array(
      z.strictObject({
        record: z.string().max(60),
        where: z.enum(['kiosk', 'backend']),
        days: z.number().int().min(0).max(3650),
      }),
    )
    .max(20),
});
export type ConsentNoticeView = z.infer<typeof consentNoticeSchema>;

/** One of today's decisions as the attendant sees it: masked only. */
export const decisionRowSchema = z.strictObject({
  at: z.number(),
  outcome: z.enum(DECISION_OUTCOMES),
  reason: reasonCode,
  maskedName: masked,
  maskedNumber: masked,
  documentType: z.string().max(40),
  actionOk: z.boolean().optional(),
  displayCode: z.string().max(40).optional(),
});
export type DecisionRowView = z.infer<typeof decisionRowSchema>;

/** Device health for the console: the view's device states plus the audit sync and the disk. */
export const deviceHealthSchema = z.strictObject({
  devices: z.partialRecord(deviceName, z.enum(DEVICE_STATUSES)),
  sync: z
    .strictObject({
      /** seconds since the oldest unsynced audit record was written; 0 when in step */
      lagSeconds: z.number().nonnegative(),
      backlog: z.number().int().nonnegative(),
      /** epoch ms of the last successful sync, if any */
      lastSyncAt: z.number().optional(),
    })
    .optional(),
  diskAlarm: z.boolean().optional(),
  /** entries per minute over the last window (stadium gate), if known */
  throughputPerMinute: z.number().nonnegative().optional(),
});
export type DeviceHealthView = z.infer<typeof deviceHealthSchema>;

/** The devices test mode can exercise. */
export const TESTABLE_DEVICES = ['relay', 'reader', 'mrz', 'scanner', 'camera', 'backend'] as const;
export type TestableDevice = (typeof TESTABLE_DEVICES)[number];

export const deviceTestResultSchema = z.strictObject({
  device: z.enum(TESTABLE_DEVICES),
  ok: z.boolean(),
  ms: z.number().nonnegative(),
  /** A short, non-personal detail ('pulse sent', 'no relay configured'). */
  detail: z.string().max(200).optional(),
  /** A reader/scanner test: the last read, masked. */
  maskedNumber: masked.optional(),
  maskedName: masked.optional(),
});
export type DeviceTestResult = z.infer<typeof deviceTestResultSchema>;

export const profileSummarySchema = z.strictObject({
  profile: z.string().max(40),
  name: z.string().max(120),
  timeZone: z.string().max(60),
  retention: consentNoticeSchema.shape.retention,
  settings: z.record(z.string().max(60), z.union([z.string().max(200), z.number(), z.boolean()])),
});
export type ProfileSummary = z.infer<typeof profileSummarySchema>;

/** Preset reasons an attendant gives with a review decision (shown as touch buttons, translated). */
export const REVIEW_NOTES = [
  'document-checked',
  'face-checked',
  'known-guest',
  'document-mismatch',
  'face-mismatch',
  'refused-other',
] as const;
export type ReviewNote = (typeof REVIEW_NOTES)[number];

/** Invoke channels: renderer → kiosk, each answering Result<output>. */
export const invokeChannels = {
  /** First call: the current view, language and whether demo mode is on. */
  'kiosk.hello': { input: z.null(), output: helloSchema },
  /** Send a whitelisted event to the check-in machine (or change the language). */
  'kiosk.send': { input: rendererEventSchema, output: z.null() },
  /** Demo mode only: the demo people the panel offers. */
  'demo.people': { input: z.null(), output: z.array(demoPersonSchema) },
  /** Demo mode only: act on the simulated devices. */
  'demo.act': { input: demoActionSchema, output: z.null() },
  /** The consent notice in a language (shown on the welcome screen before anything is read). */
  'consent.notice': {
    input: z.strictObject({ language: z.enum(LANGUAGES) }),
    output: consentNoticeSchema,
  },
  /** Attendant console, logged in only: today's decisions, masked, newest first. */
  'attendant.decisions': { input: z.null(), output: z.array(decisionRowSchema).max(2000) },
  /** Attendant console, logged in only: device health, audit sync and disk. */
  'attendant.health': { input: z.null(), output: deviceHealthSchema },
  /** Attendant console, logged in only: exercise one device (relay pulse, reader/scanner last read ...). */
  'attendant.test': {
    input: z.strictObject({ device: z.enum(TESTABLE_DEVICES) }),
    output: deviceTestResultSchema,
  },
  /** Attendant console, logged in only: the active venue profile and its retention rules. */
  'attendant.profile': { input: z.null(), output: profileSummarySchema },
  /** Attendant console, logged in only: decide the current review with a preset reason. */
  'attendant.review': {
    input: z.strictObject({ outcome: z.enum(['pass', 'deny']), note: z.enum(REVIEW_NOTES) }),
    output: z.null(),
  },
} as const;
export type InvokeChannel = keyof typeof invokeChannels;
export type InvokeInput<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['input']>;
export type InvokeOutput<C extends InvokeChannel> = C extends 'kiosk.hello'
  ? Hello
  : z.infer<(typeof invokeChannels)[C]['output']>;

/** Push channels: kiosk → renderer. */
export const pushChannels = {
  view: viewSchema,
  language: z.strictObject({ language: z.enum(LANGUAGES) }),
} as const;
export type PushChannel = keyof typeof pushChannels;
export type PushPayload<C extends PushChannel> = C extends 'view'
  ? KioskView
  : z.infer<(typeof pushChannels)[C]>;

export const INVOKE_CHANNELS = Object.keys(invokeChannels) as InvokeChannel[];
export const PUSH_CHANNELS = Object.keys(pushChannels) as PushChannel[];

export function isInvokeChannel(c: unknown): c is InvokeChannel {
  return typeof c === 'string' && Object.hasOwn(invokeChannels, c);
}
export function isPushChannel(c: unknown): c is PushChannel {
  return typeof c === 'string' && Object.hasOwn(pushChannels, c);
}

/** The bridge the renderer sees (preload in Electron, WebSocket client in a browser). Nothing else. */
export interface KioskBridge {
  invoke<C extends InvokeChannel>(channel: C, payload: InvokeInput<C>): Promise<Result<InvokeOutput<C>>>;
  on<C extends PushChannel>(channel: C, listener: (payload: PushPayload<C>) => void): () => void;
}

// ---- WebSocket framing (browser host) -------------------------------------------------------------------

export const wsClientMessageSchema = z.strictObject({
  kind: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(40),
  payload: z.unknown(),
});
export type WsClientMessage = z.infer<typeof wsClientMessageSchema>;

export type WsServerMessage =
  | { kind: 'result'; id: number; result: Result<unknown> }
  | { kind: 'push'; channel: PushChannel; payload: unknown };

export const wsServerMessageSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('result'),
    id: z.number().int(),
    result: z.union([
      z.strictObject({ ok: z.literal(true), value: z.unknown() }),
      z.strictObject({ ok: z.literal(false), code: z.string(), message: z.string() }),
    ]),
  }),
  z.strictObject({ kind: z.literal('push'), channel: z.enum(['view', 'language']), payload: z.unknown() }),
]);

/** Max bytes of one WebSocket message either way. */
export const WS_MAX_PAYLOAD = 64 * 1024;

export function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Parses an invoke's payload against its channel's schema. */
export function parseInvoke<C extends InvokeChannel>(channel: C, raw: unknown): Result<InvokeInput<C>> {
  const r = invokeChannels[channel].input.safeParse(raw);
  return r.success
    ? ok(r.data as InvokeInput<C>)
    : fail('E_IPC_INVALID_PAYLOAD', `${channel}: ${describe(r.error)}`);
}
