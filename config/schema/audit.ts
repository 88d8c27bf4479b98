// Config section 'audit': the local event store, the terminal key, sync to the backend and the kiosk
// channel (docs/audit.md, docs/backend.md). Every key has a default; unknown keys fail. Secrets are never in
// this file: it names the files kiosk/main reads.
import { z } from 'zod';

/** IdentityDocument fields a venue may keep, sealed to the backend (kiosk/audit/event.ts SEALABLE_FIELDS). */
export const SEALABLE_FIELD_NAMES = [
  'source',
  'documentType',
  'documentNumber',
  'name',
  'nameLatin',
  'sex',
  'birthDate',
  'nationality',
  'issuer',
  'validFrom',
  'validTo',
] as const;

const sync = z
  .strictObject({
    /** A batch is sent when it has this many events ... */
    batchMaxEvents: z.number().int().min(1).max(1000).default(200),
    /** ... or its oldest event has waited this long (ms). */
    batchMaxAgeMs: z.number().int().min(10).max(600_000).default(2_000),
    /** Exponential backoff with full jitter between these bounds (ms). */
    retryBaseMs: z.number().int().min(10).max(60_000).default(500),
    retryMaxMs: z.number().int().min(100).max(3_600_000).default(60_000),
    /** One request's deadline (ms). */
    requestTimeoutMs: z.number().int().min(1_000).max(120_000).default(15_000),
    /** Disk check and retention purge period (ms). */
    housekeepingMs: z.number().int().min(1_000).max(3_600_000).default(30_000),
  })
  .prefault({});

const disk = z
  .strictObject({
    /** Alarm 'disk-warn' when free space on the store's filesystem is under this (MiB) or percent. */
    warnFreeMiB: z.number().int().min(0).default(512),
    warnFreePercent: z.number().min(0).max(100).default(10),
    /** Alarm 'disk-critical' under this (MiB) or percent. */
    criticalFreeMiB: z.number().int().min(0).default(64),
    criticalFreePercent: z.number().min(0).max(100).default(2),
  })
  .prefault({});

export const auditSection = z
  .strictObject({
    /** The SQLite event store (relative paths are under the kiosk data dir). */
    storePath: z.string().min(1).default('audit/events.sqlite'),
    /** Where the terminal's Ed25519 key (0600) and enrolment.json live. */
    keyDir: z.string().min(1).default('keys'),
    /** File holding the per-venue pseudonym secret (≥ 16 bytes); '' = <keyDir>/venue-secret (made if missing). */
    venueSecretFile: z.string().default(''),
    /** Acknowledged events older than this are purged from the kiosk (days). */
    keepDays: z.number().int().min(0).max(3650).default(30),
    /** Document fields the venue keeps, sealed to the backend (hotel guest record); [] = none. */
    sealFields: z.array(z.enum(SEALABLE_FIELD_NAMES)).default([]),
    /** The backend base URL; '' = no sync (events stay on the kiosk). */
    backendUrl: z.string().default(''),
    /** The backend's X25519 sealing key (base64url); '' = the one learned at enrolment. */
    backendPublicKey: z
      .string()
      .regex(/^([A-Za-z0-9_-]{43})?$/, 'a raw X25519 key in base64url (43 characters) or empty')
      .default(''),
    /** Open the kiosk channel (wallet results, review decisions pushed by the backend). */
    channel: z.boolean().default(true),
    sync,
    disk,
  })
  .prefault({});
