// Faults with real processes: the kiosk SIGKILLed at random points while check-ins are written and synced,
// the backend SIGKILLed and restarted meanwhile (and during a large ingest). Afterwards every committed event
// is at the backend exactly once and both chains verify. Run against SQLite and PostgreSQL.
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../kiosk/audit/chain.ts';
import type { StoredEvent } from '../../../kiosk/audit/event.ts';
import { ed25519PublicFromRaw } from '../../../kiosk/audit/crypto.ts';
import { loadOrCreateTerminalIdentity } from '../../../kiosk/audit/identity.ts';
import { openAuditStore, verifyStoreFile } from '../../../kiosk/audit/store.ts';
import { enrolTerminal } from '../../../kiosk/sync/enrol.ts';
import { createBackendClient } from '../../../kiosk/sync/client.ts';
import {
  PG_URL,
  STORAGES,
  VIEW_TOKEN,
  decision,
  dropSchema,
  enrolmentCode,
  tempDir,
} from '../backend/harness.ts';
import { spawnChild } from './children/spawn.ts';
import type { Child } from './children/spawn.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function backendEvents(url: string, terminalId: string): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after = 0;
  for (;;) {
    const r = await fetch(`${url}/v1/events?terminalId=${terminalId}&afterSeq=${after}&limit=1000`, {
      headers: { authorization: `Bearer ${VIEW_TOKEN}` },
    });
    const page = ((await r.json()) as { events: StoredEvent[] }).events;
    out.push(...page);
    if (page.length < 1000) return out;
    after = page[page.length - 1]!.seq;
  }
}

function backendOpts(kind: 'sqlite' | 'pg', dir: string, schemas: string[]): Record<string, unknown> {
  if (kind === 'sqlite') return { sqlitePath: join(dir, 'backend.sqlite') };
  const schema = `crash_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  schemas.push(schema);
  return { databaseUrl: PG_URL, pgSchema: schema };
}

describe.each(STORAGES)('crash faults with the backend on %s', (kind) => {
  const dirs: string[] = [];
  const schemas: string[] = [];
  const children: Child[] = [];
  afterAll(async () => {
    for (const c of children) await c.kill();
    for (const s of schemas) await dropSchema(s);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function startBackendChild(opts: Record<string, unknown>, port: number): Promise<Child> {
    const c = spawnChild('backend.ts', [JSON.stringify(opts), String(port)]);
    children.push(c);
    await c.waitLine(/^READY$/);
    return c;
  }

  it('kiosk and backend SIGKILLed at random points: every committed event arrives exactly once, both chains verify', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const kioskDir = join(dir, 'kiosk');
    const opts = backendOpts(kind, dir, schemas);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let backend = await startBackendChild(opts, port);
    const identity = loadOrCreateTerminalIdentity(join(kioskDir, 'keys'));
    await enrolTerminal({ backendUrl: url, identity, code: await enrolmentCode(url) });

    const committed = new Set<number>();
    const rounds = 4;
    for (let round = 0; round < rounds; round++) {
      const k = spawnChild('kiosk.ts', [kioskDir, url, 'write']);
      children.push(k);
      await k.waitLine(/^C \d+$/);
      await sleep(100 + Math.random() * 300);
      if (round % 2 === 1) {
        // the backend dies under load and comes back while the kiosk keeps writing
        await backend.kill();
        await sleep(50 + Math.random() * 150);
        backend = await startBackendChild(opts, port);
        await sleep(Math.random() * 200);
      }
      await k.kill();
      for (const l of k.lines) if (/^C \d+$/.test(l)) committed.add(Number(l.slice(2)));
    }
    expect(committed.size).toBeGreaterThan(20);

    const drain = spawnChild('kiosk.ts', [kioskDir, url, 'drain']);
    children.push(drain);
    const done = await drain.waitLine(/^DONE \d+$/, 60_000);
    await drain.exited;

    const local = verifyStoreFile(join(kioskDir, 'audit.sqlite'));
    expect(local.ok, JSON.stringify(local.problems)).toBe(true);
    const head = local.lastSeq!;
    expect(Number(done.split(' ')[1])).toBe(head);
    // everything a child reported as committed survived its SIGKILL
    expect(Math.max(...committed)).toBeLessThanOrEqual(head);

    const remote = await backendEvents(url, identity.terminalId);
    expect(remote.map((e) => e.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    const v = verifyChain(remote, {
      publicKey: ed25519PublicFromRaw(identity.publicKey),
      terminalId: identity.terminalId,
    });
    expect(v.ok, JSON.stringify(v.problems.slice(0, 3))).toBe(true);
    const store = openAuditStore({
      path: join(kioskDir, 'audit.sqlite'),
      keyDir: join(kioskDir, 'keys'),
      venueSecret: 'venue-secret-for-tests-0001',
    });
    const localHashes = store.events().map((e) => e.hash);
    store.close();
    expect(remote.map((e) => e.hash)).toEqual(localHashes);
    await backend.kill();
  }, 180_000);

  it('backend SIGKILLed during a large ingest: the batch is stored whole or not at all, then exactly once', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const opts = backendOpts(kind, dir, schemas);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let backend = await startBackendChild(opts, port);
    const store = openAuditStore({
      path: join(dir, 'k', 'audit.sqlite'),
      keyDir: join(dir, 'k', 'keys'),
      venueSecret: 'venue-secret-for-tests-0001',
    });
    const client = createBackendClient({ backendUrl: url, identity: store.identity });
    const seen = new Set<number>();
    try {
      await enrolTerminal({ backendUrl: url, identity: store.identity, code: await enrolmentCode(url) });
      const B = 200;
      for (let i = 0; i < 4 * B; i++) store.append(decision());
      // time one undisturbed ingest of a batch, then kill the backend at fractions of that time: before,
      // during and after the commit
      const t0 = performance.now();
      const first = await client.request('POST', '/v1/ingest', {
        terminalId: store.terminalId,
        events: store.events(1, B),
      });
      const T = performance.now() - t0;
      expect(first.status).toBe(200);
      store.setAcked({ seq: B, hash: store.events(B, 1)[0]!.hash });
      let from = B + 1;
      for (const killAfterMs of [T * 0.4, T * 0.8, T * 1.3]) {
        const batch = store.events(from, B);
        const sending = client
          .request('POST', '/v1/ingest', { terminalId: store.terminalId, events: batch })
          .catch(() => null);
        await sleep(killAfterMs);
        await backend.kill();
        const answer = await sending;
        backend = await startBackendChild(opts, port);
        const stored = (await backendEvents(url, store.terminalId)).length;
        // atomic: none of this batch, or all of it
        expect([from - 1, from - 1 + batch.length]).toContain(stored);
        if (answer?.status === 200) expect(stored).toBe(from - 1 + batch.length);
        seen.add(stored === from - 1 ? 0 : 1);
        if (process.env.CRASH_DEBUG)
          console.log(
            kind,
            Math.round(T),
            Math.round(killAfterMs),
            answer?.status ?? 'none',
            stored - (from - 1),
          );
        // the kiosk resends (a duplicate if it had been stored): acknowledged either way, stored once
        const again = await client.request<{ ackedSeq: number; duplicate: boolean }>('POST', '/v1/ingest', {
          terminalId: store.terminalId,
          events: batch,
        });
        expect(again.status).toBe(200);
        expect(again.body.ackedSeq).toBe(batch.at(-1)!.seq);
        expect(again.body.duplicate).toBe(stored !== from - 1);
        store.setAcked({ seq: again.body.ackedSeq, hash: batch.at(-1)!.hash });
        from += batch.length;
      }
      const remote = await backendEvents(url, store.terminalId);
      expect(remote.map((e) => e.seq)).toEqual(Array.from({ length: 4 * B }, (_, i) => i + 1));
      expect(remote.map((e) => e.hash)).toEqual(store.events().map((e) => e.hash));
      const v = verifyChain(remote, {
        publicKey: ed25519PublicFromRaw(store.publicKey),
        terminalId: store.terminalId,
      });
      expect(v.ok).toBe(true);
    } finally {
      store.close();
      await backend.kill();
    }
  }, 120_000);
});
