// Top-level config keys owned by the check-in machine and the shell (merged into the root object).
// Every key has a default; unknown keys fail. docs/config.md lists each key with its default and meaning.
import { z } from 'zod';

const ms = (def: number, min = 1_000, max = 3_600_000) => z.number().int().min(min).max(max).default(def);

/** Languages the screens are translated into. */
export const LANGUAGES = ['zh-Hans', 'zh-Hant', 'en', 'es'] as const;

/** Devices a check-in can need. A `device.lost` of one listed in `checkIn.requiredDevices` stops the kiosk. */
export const DEVICE_NAMES = ['reader', 'mrz', 'scanner', 'camera', 'relay', 'backend'] as const;

/**
 * `scrypt$N$r$p$<salt base64>$<key base64>`: made by `eid-kiosk config pin-hash` (reads the PIN on stdin).
 * N a power of two ≥ 2^14, r 1..32, p 1..16, salt ≥ 16 bytes, key ≥ 32 bytes (checked when parsed by
 * kiosk/core/pin.ts; the schema checks the shape).
 */
export const PIN_HASH_PATTERN =
  /^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9+/]{22,}={0,2}\$[A-Za-z0-9+/]{43,}={0,2}$/;

export const timeoutsSchema = z
  .strictObject({
    /** Longest wait for the credential verifier (signature, trust list, status list). */
    credentialCheckMs: ms(10_000),
    /** Longest wait for the whole face step (capture, liveness challenge, match). */
    faceMs: ms(30_000),
    /** Longest wait for the venue policy's decision (it may ask the backend, e.g. a ban list). */
    decideMs: ms(10_000),
    /** Longest wait for the venue actions (gate pulse, registration, guest record). */
    actMs: ms(15_000),
    /** How long the result screen stays before the kiosk returns to the welcome screen. */
    resultMs: ms(6_000),
    /** How long a check-in waits in attendant review before it ends as 'timeout'. */
    reviewMs: ms(120_000, 5_000),
    /** The attendant console closes (and logs out) after this much inactivity. */
    attendantIdleMs: ms(60_000, 5_000),
    /** How long a notice (second credential refused, credential rejected) stays on screen. */
    noticeMs: ms(4_000, 500),
  })
  .prefault({});

export const attendantSchema = z
  .strictObject({
    /** scrypt hash of the attendant PIN; null: no PIN is set and nobody can log in to the console. */
    pinHash: z
      .string()
      .regex(PIN_HASH_PATTERN, 'expected scrypt$N$r$p$salt$key (make one with `eid-kiosk config pin-hash`)')
      .nullable()
      .default(null),
    /** Wrong PINs in a row before the console locks. */
    maxAttempts: z.number().int().min(1).max(20).default(5),
    /** How long the console stays locked after maxAttempts wrong PINs (machine clock). */
    lockoutMs: ms(300_000, 1_000, 86_400_000),
  })
  .prefault({});

export const uiSchema = z
  .strictObject({
    /** Language of the screens until the person picks another. */
    defaultLanguage: z.enum(LANGUAGES).default('zh-Hans'),
    /** Show a countdown (KioskView.deadline) on screens that wait for the person. */
    showCountdown: z.boolean().default(true),
  })
  .prefault({});

export const checkInSchema = z
  .strictObject({
    /** Devices without which the kiosk cannot check anyone in: losing one shows the fault screen. */
    requiredDevices: z.array(z.enum(DEVICE_NAMES)).default(['camera']),
    /** When the venue actions fail after a pass: send the person to attendant review, or deny. */
    onActionFailure: z.enum(['review', 'deny']).default('review'),
  })
  .prefault({});

export const coreSection = {
  /** Venue profile the config was built on (set by loadConfig from --profile; 'custom' if none). */
  profile: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a profile name: lower-case letters, digits and dashes')
    .default('custom'),
  /** The venue's name as shown on the welcome screen. */
  venueName: z.string().min(1).max(80).default('eid-kiosk'),
  timeouts: timeoutsSchema,
  attendant: attendantSchema,
  ui: uiSchema,
  checkIn: checkInSchema,
};
