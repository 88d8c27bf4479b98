// Request body schemas (zod). Every endpoint parses its input here; a failure is a 400 with nothing stored.
import { z } from 'zod';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const b64u = (len: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${len}}$`));

export const sealedBoxSchema = z.strictObject({
  v: z.literal(1),
  alg: z.literal('X25519-HKDF-SHA256-A256GCM'),
  epk: b64u(43),
  rpk: b64u(43),
  iv: b64u(16),
  ct: z.string().regex(/^[A-Za-z0-9_-]{0,65536}$/),
  tag: b64u(22),
});

export const eventSchema = z.strictObject({
  v: z.literal(1),
  terminalId: z.string().min(1).max(64),
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  time: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  type: z
    .string()
    .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/)
    .max(64),
  prevHash: hex64,
  body: z.record(z.string().max(64), z.unknown()),
  hash: hex64,
  sig: b64u(86),
  sealed: sealedBoxSchema.optional(),
});

export const ingestSchema = z.strictObject({
  terminalId: z.string().min(1).max(64),
  events: z.array(eventSchema).min(1),
});

export const enrolSchema = z.strictObject({
  code: z.string().min(4).max(32),
  publicKey: b64u(43),
  /** Ed25519 signature over enrolSigningInput(normalised code, publicKey): proof of key possession. */
  sig: b64u(86),
  label: z.string().max(100).optional(),
});

export const enrolmentCodeSchema = z.strictObject({
  venueId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  label: z.string().max(100).default(''),
  ttlSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86400)
    .optional(),
});

export const venueSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  name: z.string().min(1).max(200),
  eventKeepDays: z.number().int().min(1).max(3650),
  sealedKeepDays: z.number().int().min(1).max(3650),
});

export const reviewDecisionSchema = z.strictObject({
  approve: z.boolean(),
  reason: z.string().min(1).max(500),
});

export const unsealSchema = z.strictObject({
  terminalId: z.string().min(1).max(64),
  seq: z.number().int().min(1),
  /** Why the data is opened (recorded in the backend audit log). */
  purpose: z.string().min(3).max(500),
});

export const eventsQuerySchema = z.strictObject({
  terminalId: z.string().max(64).optional(),
  venueId: z.string().max(64).optional(),
  type: z.string().max(64).optional(),
  afterSeq: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const reviewsQuerySchema = z.strictObject({
  status: z.enum(['pending', 'approved', 'denied', 'resolved-at-kiosk']).optional(),
  venueId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
