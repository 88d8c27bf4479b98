// Shared test harness: a real backend (SQLite file or PostgreSQL in its own schema) listening on 127.0.0.1,
// a kiosk store with its own key dir, enrolment through a one-time code. Used by the audit, sync and
// backend suites; `STORAGES` parameterises a suite over both storages.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildBackend } from '../../../backend/app.ts';
import type { BackendOptions } from '../../../backend/options.ts';
import type { BuildBackendExtras } from '../../../backend/app.ts';
import { openAuditStore } from '../../../kiosk/audit/store.ts';
import type { AuditStore, AuditStoreOptions } from '../../../kiosk/audit/store.ts';
import { enrolTerminal } from '../../../kiosk/sync/enrol.ts';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const STORAGES = ['sqlite', 'pg'] as const;
export type StorageKind = (typeof STORAGES)[number];

export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const VIEW_TOKEN = 'viewer-token-0123456789abcdef';
export const UNSEAL_TOKEN = 'unseal-token-0123456789abcdef';
export const TOKENS = [
  { name: 'alice-admin', token: ADMIN_TOKEN, roles: ['admin' as const] },
  { name: 'victor-viewer', token: VIEW_TOKEN, roles: ['view' as const] },
  { name: 'uma-dpo', token: UNSEAL_TOKEN, roles: ['unseal' as const, 'view' as const] },
];

export function tempDir(prefix = 'eid-audit-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Backend options for one storage kind; each call makes a fresh SQLite file or PG schema. */
export function storageOptions(kind: StorageKind, dir: string): BackendOptions & { pgSchemaName?: string } {
  if (kind === 'sqlite') return { sqlitePath: join(dir, 'backend.sqlite') };
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  return { databaseUrl: PG_URL, pgSchema: schema, pgSchemaName: schema, pgPoolSize: 4 };
}

export async function dropSchema(schema: string | undefined): Promise<void> {
  if (!schema) return;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}

export interface Rig {
  dir: string;
  app: FastifyInstance;
  url: string;
  schema: string | undefined;
  backendOpts: BackendOptions;
  close(): Promise<void>;
}

export async function startBackend(
  kind: StorageKind,
  extra: Partial<BackendOptions> & BuildBackendExtras = {},
  shared?: { dir: string; opts: BackendOptions; schema: string | undefined },
): Promise<Rig> {
  const dir = shared?.dir ?? tempDir();
  const so = shared ? { ...shared.opts } : storageOptions(kind, dir);
  const schema = shared ? shared.schema : (so as { pgSchemaName?: string }).pgSchemaName;
  delete (so as { pgSchemaName?: string }).pgSchemaName;
  const backendOpts: BackendOptions = { tokens: TOKENS, purgeIntervalMs: 0, ...so };
  const app = await buildBackend({ ...backendOpts, ...extra });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    dir,
    app,
    url: `http://127.0.0.1:${port}`,
    schema,
    backendOpts,
    async close() {
      await app.close();
      if (!shared) {
        await dropSchema(schema);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export async function enrolmentCode(url: string, venueId = 'venue-a', label = 'desk 1'): Promise<string> {
  const res = await fetch(`${url}/v1/admin/enrolment-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ venueId, label }),
  });
  if (res.status !== 201) throw new Error(`code: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { code: string }).code;
}

/** A kiosk store in its own dir, enrolled at the backend (sealing key from the enrolment). */
export async function enrolledKiosk(
  url: string,
  o: Partial<AuditStoreOptions> = {},
  venueId = 'venue-a',
): Promise<{ store: AuditStore; dir: string; keyDir: string; path: string }> {
  const dir = tempDir('eid-kiosk-');
  const keyDir = join(dir, 'keys');
  const path = join(dir, 'audit.sqlite');
  const probe = openAuditStore({ path, keyDir, venueSecret: 'venue-secret-for-tests-0001' });
  const e = await enrolTerminal({
    backendUrl: url,
    identity: probe.identity,
    code: await enrolmentCode(url, venueId),
    keyDir,
  });
  probe.close();
  const store = openAuditStore({
    path,
    keyDir,
    venueSecret: 'venue-secret-for-tests-0001',
    backendPublicKey: e.sealPublicKey,
    ...o,
  });
  return { store, dir, keyDir, path };
}

export const DOC = {
  source: 'id-card',
  documentType: 'cn-resident-id',
  documentNumber: '11010519491231002X',
  name: '张三',
  sex: 'M',
  birthDate: '1949-12-31',
  nationality: 'CHN',
  checks: [],
} as const;

let checkIn = 0;
/** A machine AuditInput for a decided check-in. */
export function decision(outcome: 'pass' | 'deny' = 'pass', at = Date.now()) {
  return {
    type: 'checkin.decision' as const,
    at,
    seq: ++checkIn,
    document: DOC,
    decision: {
      outcome,
      reason: outcome === 'pass' ? ('ok' as const) : ('face-no-match' as const),
      face: { outcome: 'match' as const, score: 0.71, threshold: 0.4, fmr: 5e-4 },
    },
    decidedBy: 'policy' as const,
  };
}

export function review(at = Date.now()) {
  return {
    type: 'checkin.review' as const,
    at,
    seq: ++checkIn,
    document: DOC,
    reason: 'policy-review' as const,
    decidedBy: 'policy' as const,
    face: { outcome: 'no-match' as const, score: 0.31, threshold: 0.4 },
  };
}

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
