// The outbox against a real backend on 127.0.0.1 (SQLite): batching by size and age, backoff while the
// backend is down, resuming after a restart, a lost ack, clock jumps, disk alarms, a full store.
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../../kiosk/audit/store.ts';
import { createBackendClient } from '../../../kiosk/sync/client.ts';
import { createSyncer } from '../../../kiosk/sync/syncer.ts';
import type { Syncer } from '../../../kiosk/sync/syncer.ts';
import { diskStatus } from '../../../kiosk/sync/disk.ts';
import { decision, enrolledKiosk, startBackend, waitFor } from '../backend/harness.ts';
import type { Rig } from '../backend/harness.ts';
import { buildBackend } from '../../../backend/app.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function rigAndKiosk(o: Parameters<typeof enrolledKiosk>[1] = {}) {
  const rig = await startBackend('sqlite');
  cleanup.push(() => rig.close());
  const k = await enrolledKiosk(rig.url, o);
  cleanup.push(() => {
    k.store.close();
    rmSync(k.dir, { recursive: true, force: true });
  });
  return { rig, k };
}

function syncer(s: Syncer): Syncer {
  cleanup.push(() => s.stop());
  return s;
}

async function stored(rig: Rig): Promise<number> {
  const r = await rig.app.backend.storage.driver.query<{ n: number }>('SELECT COUNT(*) AS n FROM events');
  return Number(r[0]?.n);
}

describe('syncer', () => {
  it('sends full batches at once and holds a partial batch until it is old enough', async () => {
    const { rig, k } = await rigAndKiosk();
    const s = syncer(
      createSyncer({ store: k.store, backendUrl: rig.url, batchMaxEvents: 10, batchMaxAgeMs: 3_000 }),
    );
    s.start();
    for (let i = 0; i < 25; i++) k.store.append(decision());
    await waitFor(() => s.status().sent.events === 20, 5_000, 'two full batches acknowledged');
    // the last 5 wait for their age
    expect(s.status()).toMatchObject({ state: 'batching', backlog: 5, sent: { batches: 2, events: 20 } });
    expect(await stored(rig)).toBe(20);
    await waitFor(async () => (await stored(rig)) === 25, 10_000, 'the partial batch');
    await waitFor(() => s.status().backlog === 0, 5_000, 'ack recorded');
    expect(s.status()).toMatchObject({
      backlog: 0,
      lagMs: null,
      lastAck: { seq: 25 },
      lastError: null,
      sent: { batches: 3 },
    });
  });

  it('backs off (exponential, jittered) while the backend is down, then delivers when it comes up', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    // enrol at a backend on that port, then take it down
    const dir = (await import('../backend/harness.ts')).tempDir();
    const first = await buildBackend({
      sqlitePath: `${dir}/b.sqlite`,
      tokens: (await import('../backend/harness.ts')).TOKENS,
      purgeIntervalMs: 0,
    });
    await first.listen({ host: '127.0.0.1', port });
    const k = await enrolledKiosk(url);
    cleanup.push(() => k.store.close());
    await first.close();
    for (let i = 0; i < 3; i++) k.store.append(decision());
    const s = syncer(
      createSyncer({
        store: k.store,
        backendUrl: url,
        batchMaxAgeMs: 10,
        retryBaseMs: 40,
        retryMaxMs: 400,
        random: () => 1,
      }),
    );
    s.start();
    // the delay chosen at each failure = nextRetryAt − the failure's time (set a microtask apart)
    const delays: number[] = [];
    let lastRetry: number | null = null;
    await waitFor(
      () => {
        const st = s.status();
        if (st.nextRetryAt !== null && st.nextRetryAt !== lastRetry && st.lastError) {
          delays.push(st.nextRetryAt - st.lastError.at);
          lastRetry = st.nextRetryAt;
        }
        return delays.length >= 4;
      },
      15_000,
      'four retries',
    );
    expect(s.status()).toMatchObject({
      state: 'backoff',
      backlog: 3,
      lastError: { code: 'E_SYNC_BACKEND_DOWN' },
    });
    // with random() = 1 each delay is its cap: 40 × 2^attempt up to retryMaxMs (a poll may miss one)
    for (const d of delays)
      expect(Math.min(...[40, 80, 160, 320, 400].map((c) => Math.abs(d - c)))).toBeLessThanOrEqual(3);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(delays.at(-1)!).toBeGreaterThan(delays[0]!);
    const again = await buildBackend({
      sqlitePath: `${dir}/b.sqlite`,
      tokens: (await import('../backend/harness.ts')).TOKENS,
      purgeIntervalMs: 0,
    });
    await again.listen({ host: '127.0.0.1', port });
    cleanup.push(async () => {
      await again.close();
      rmSync(dir, { recursive: true, force: true });
    });
    await waitFor(() => s.status().backlog === 0, 10_000, 'delivered after the backend came back');
    expect(s.status()).toMatchObject({ lastError: null, lastAck: { seq: 3 } });
  });

  it('resumes after a restart from the acknowledged seq, without resending what was acknowledged', async () => {
    const { rig, k } = await rigAndKiosk();
    let s = createSyncer({ store: k.store, backendUrl: rig.url, batchMaxAgeMs: 10 });
    s.start();
    for (let i = 0; i < 8; i++) k.store.append(decision());
    await s.flush();
    await s.stop();
    expect(k.store.acked().seq).toBe(8);
    k.store.close();
    const reopened = openAuditStore({
      path: k.path,
      keyDir: k.keyDir,
      venueSecret: 'venue-secret-for-tests-0001',
    });
    cleanup.push(() => reopened.close());
    expect(reopened.acked().seq).toBe(8);
    for (let i = 0; i < 4; i++) reopened.append(decision());
    s = syncer(createSyncer({ store: reopened, backendUrl: rig.url, batchMaxAgeMs: 10 }));
    s.start();
    await s.flush();
    expect(s.status()).toMatchObject({ backlog: 0, lastAck: { seq: 12 }, sent: { batches: 1, events: 4 } });
    expect(await stored(rig)).toBe(12);
  });

  it('a lost acknowledgement costs a resend answered as a duplicate, not a second copy', async () => {
    const { rig, k } = await rigAndKiosk();
    for (let i = 0; i < 5; i++) k.store.append(decision());
    // the backend stored the batch but the kiosk never saw the answer
    const r = await createBackendClient({ backendUrl: rig.url, identity: k.store.identity }).request(
      'POST',
      '/v1/ingest',
      {
        terminalId: k.store.terminalId,
        events: k.store.events(),
      },
    );
    expect(r.status).toBe(200);
    expect(k.store.acked().seq).toBe(0);
    const s = syncer(createSyncer({ store: k.store, backendUrl: rig.url, batchMaxAgeMs: 10 }));
    s.start();
    await s.flush();
    expect(s.status()).toMatchObject({ backlog: 0, lastAck: { seq: 5 }, lastError: null });
    expect(await stored(rig)).toBe(5);
  });

  it('keeps working when the kiosk clock jumps backwards and forwards (order by seq; skew learned)', async () => {
    let skew = -3 * 3_600_000; // the kiosk starts three hours behind
    const { rig, k } = await rigAndKiosk({ now: () => Date.now() + skew });
    const s = syncer(
      createSyncer({ store: k.store, backendUrl: rig.url, batchMaxAgeMs: 10, now: () => Date.now() + skew }),
    );
    s.start();
    for (const jump of [0, +86_400_000, -2 * 86_400_000, +5_000]) {
      skew += jump;
      for (let i = 0; i < 3; i++) k.store.append({ type: 'device.ready', device: 'camera' });
      await s.flush();
      expect(s.status().lastError).toBeNull();
    }
    expect(s.status()).toMatchObject({ backlog: 0, lastAck: { seq: 12 } });
    const evs = await rig.app.backend.storage.events({ terminalId: k.store.terminalId, limit: 100 });
    expect(evs.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const times = evs.map((e) => e.time);
    expect(times[6]! < times[3]!).toBe(true); // wall time went backwards; seq did not
  });

  it('raises disk alarms from statfs thresholds, and a full store as an alarm', async () => {
    const { rig, k } = await rigAndKiosk();
    const real = diskStatus(k.dir);
    expect(real.level).not.toBe('unknown');
    expect(real.freeBytes).toBeGreaterThan(0);
    const seen: string[][] = [];
    const s = syncer(
      createSyncer({
        store: k.store,
        backendUrl: rig.url,
        diskPath: k.dir,
        // thresholds just above what is free: the warning fires before the disk is actually full
        diskThresholds: {
          warnFreeBytes: real.freeBytes! * 2,
          warnFreeRatio: 0,
          criticalFreeBytes: 0,
          criticalFreeRatio: 0,
        },
        onAlarm: (a) => seen.push([...a]),
      }),
    );
    s.start();
    expect(s.status().disk.level).toBe('warn');
    expect(s.status().alarms).toContain('disk-warn');
    expect(seen.at(-1)).toContain('disk-warn');
    expect(
      diskStatus(k.dir, {
        warnFreeBytes: 0,
        warnFreeRatio: 0,
        criticalFreeBytes: real.freeBytes! * 2,
        criticalFreeRatio: 0,
      }).level,
    ).toBe('critical');
    expect(diskStatus('/no/such/path').level).toBe('unknown');
    // the store hits its size limit: append fails clearly and the syncer reports it
    k.store.setMaxPageCount(1); // SQLite clamps it to the current size
    let error: unknown = null;
    for (let i = 0; i < 500 && error === null; i++) {
      try {
        k.store.append(decision());
      } catch (e) {
        error = e;
      }
    }
    expect(String(error)).toMatch(/full/);
    expect(s.status().alarms).toContain('store-disk-full');
  });
});
