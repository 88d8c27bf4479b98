// Options of buildBackend: parsed by a strict schema with defaults (unknown keys fail). Only backend/main.ts
// reads the environment (DATABASE_URL, ...); everything else receives these values.
import { z } from 'zod';

export const ROLES = ['view', 'review', 'enrol', 'admin', 'unseal'] as const;
export type Role = (typeof ROLES)[number];

export const tokenSchema = z.strictObject({
  /** Who holds the token: recorded in the backend's audit log for every action taken with it. */
  name: z.string().min(1).max(64),
  /** The bearer secret (at least 24 characters). */
  token: z.string().min(24).max(256),
  /** 'view' dashboard and queries; 'review' approve/deny; 'enrol' make enrolment codes; 'admin' all of those
   *  plus revocation and venues; 'unseal' open sealed personal data (never implied by 'admin'). */
  roles: z.array(z.enum(ROLES)).min(1),
});

export const backendOptionsSchema = z.strictObject({
  /** PostgreSQL connection string; when set the backend uses PostgreSQL (fleet mode), else SQLite. */
  databaseUrl: z.string().min(1).optional(),
  /** PostgreSQL schema to use (created if missing): separates test runs and tenants. */
  pgSchema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('public'),
  /** PostgreSQL pool size per instance. */
  pgPoolSize: z.number().int().min(1).max(100).default(10),
  /** SQLite file when no databaseUrl is given. */
  sqlitePath: z.string().min(1).default('data/backend.sqlite'),
  /** Access tokens and their roles. */
  tokens: z.array(tokenSchema).default([]),
  /** The X25519 private key (PKCS#8 PEM) personal data is sealed to. Fleets must give the same key to every
   *  instance; when absent, one is generated once and kept in the database (single-box convenience). */
  sealPrivateKeyPem: z.string().min(1).optional(),
  /** A signed terminal request's time may differ from the server's by at most this (ms). */
  maxSkewMs: z.number().int().min(1000).default(300_000),
  /** Largest request body (bytes). */
  bodyLimit: z
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  /** Most events in one ingest batch. */
  maxBatchEvents: z.number().int().min(1).max(10_000).default(1000),
  /** A terminal is 'online' when seen (channel, ingest) within this (ms). */
  onlineWithinMs: z.number().int().min(1000).default(120_000),
  /** Enrolment codes expire after this (s). */
  enrolmentCodeTtlSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86400)
    .default(3600),
  /** Keep times of a venue created implicitly (by its first enrolment code). */
  defaultEventKeepDays: z.number().int().min(1).max(3650).default(365),
  defaultSealedKeepDays: z.number().int().min(1).max(3650).default(90),
  /** How often the retention purge runs (ms); 0: never on a timer (call app.backend.purge()). */
  purgeIntervalMs: z.number().int().min(0).default(3_600_000),
  /** The kiosk channel: ping interval and the auth deadline (ms). */
  channelPingMs: z.number().int().min(100).default(20_000),
  channelAuthTimeoutMs: z.number().int().min(100).default(10_000),
  /** Fastify logger: false, true, or pino options (document numbers never reach the backend anyway). */
  logger: z.union([z.boolean(), z.record(z.string(), z.unknown())]).default(false),
});

export type BackendOptions = z.input<typeof backendOptionsSchema>;
export type ResolvedBackendOptions = z.output<typeof backendOptionsSchema>;
