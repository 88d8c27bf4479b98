// The outbox: sends the audit store's unacknowledged events to the backend in batches (by size and age),
// retries with exponential backoff and full jitter, and resumes after a restart from what the backend
// acknowledged (persisted in the store). A batch is identified by terminal + seq range and the backend
// answers a repeated batch with the same ack, so a lost answer costs a resend, never a duplicate.
// Timing uses a monotonic clock (performance.now): a wall-clock jump neither stalls nor rushes a batch.
import type { Logger } from 'pino';
import type { AuditStore } from '../audit/store.ts';
import type { TerminalIdentity } from '../audit/identity.ts';
import type { StoredEvent } from '../audit/event.ts';
import { isKioskError } from '../shared/errors.ts';
import type { ErrorCode } from '../shared/errors.ts';
import { createBackendClient } from './client.ts';
import type { BackendClient } from './client.ts';
import { DEFAULT_DISK_THRESHOLDS, diskStatus } from './disk.ts';
import type { DiskStatus, DiskThresholds } from './disk.ts';

export type SyncState =
  'stopped' | 'idle' | 'batching' | 'sending' | 'backoff' | 'fault' | 'not-enrolled' | 'revoked';

export interface SyncStatus {
  readonly state: SyncState;
  /** Unacknowledged events. */
  readonly backlog: number;
  /** Wall-clock age of the oldest unacknowledged event (ms), null when none. */
  readonly lagMs: number | null;
  readonly lastAck: { readonly seq: number; readonly hash: string; readonly at: number | null } | null;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: number } | null;
  readonly nextRetryAt: number | null;
  readonly disk: DiskStatus;
  /** 'disk-warn', 'disk-critical', 'store-disk-full', 'store-io', 'fork', 'revoked' */
  readonly alarms: readonly string[];
  readonly sent: { readonly batches: number; readonly events: number };
}

export interface SyncerOptions {
  readonly store: AuditStore;
  readonly backendUrl: string;
  /** Defaults to the store's identity. */
  readonly identity?: TerminalIdentity;
  /** A batch goes when it has this many events ... */
  readonly batchMaxEvents?: number;
  /** ... or its oldest event has waited this long (ms). */
  readonly batchMaxAgeMs?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Statfs path (default: the current directory — pass the store's directory). */
  readonly diskPath?: string;
  readonly diskThresholds?: DiskThresholds;
  /** How often the disk is checked and the retention purge runs (ms). */
  readonly housekeepingMs?: number;
  readonly requestTimeoutMs?: number;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Called when an alarm appears or clears (attendant console, log). */
  readonly onAlarm?: (alarms: readonly string[]) => void;
  /** A pino logger (a child 'sync' logger is made). Events carry no personal data; nothing is redacted here. */
  readonly log?: Logger;
}

export interface Syncer {
  start(): void;
  stop(): Promise<void>;
  status(): SyncStatus;
  /** Send everything now (ignoring the batch age); resolves when the backlog is empty or a send failed. */
  flush(): Promise<void>;
}

const mono = () => performance.now();

export function createSyncer(o: SyncerOptions): Syncer {
  const store = o.store;
  const identity = o.identity ?? store.identity;
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const batchMax = o.batchMaxEvents ?? 200;
  const maxAge = o.batchMaxAgeMs ?? 2_000;
  const base = o.retryBaseMs ?? 500;
  const cap = o.retryMaxMs ?? 60_000;
  const housekeepingMs = o.housekeepingMs ?? 30_000;
  const thresholds = o.diskThresholds ?? DEFAULT_DISK_THRESHOLDS;
  const client: BackendClient = createBackendClient({
    backendUrl: o.backendUrl,
    identity,
    now,
    ...(o.requestTimeoutMs !== undefined ? { timeoutMs: o.requestTimeoutMs } : {}),
  });

  let state: SyncState = 'stopped';
  let running = false;
  let loopDone: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let abort: AbortController | null = null;
  let attempt = 0;
  let nextRetryAt: number | null = null;
  let lastError: SyncStatus['lastError'] = null;
  // monotonic append times of unacknowledged events appended while running (age of a partial batch);
  // events from before start() count from start()
  const appendedAt: { seq: number; at: number }[] = [];
  let startedAt = mono();
  let resendFrom: number | null = null; // set by a gap answer
  let flushWanted = false;
  let flushWaiters: (() => void)[] = [];
  let disk: DiskStatus = diskStatus(o.diskPath ?? '.', thresholds);
  let lastHousekeeping = mono();
  let lastAlarms = '';
  let forked = false;
  const sent = { batches: 0, events: 0 };
  let unsubscribe: (() => void) | null = null;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  function alarms(): string[] {
    const a: string[] = [];
    if (disk.level === 'warn') a.push('disk-warn');
    if (disk.level === 'critical') a.push('disk-critical');
    const f = store.fault();
    if (f?.fault === 'disk-full') a.push('store-disk-full');
    if (f?.fault === 'io-error') a.push('store-io');
    if (forked) a.push('fork');
    if (state === 'revoked') a.push('revoked');
    return a;
  }
  function checkAlarms(): void {
    const a = alarms();
    const key = a.join(',');
    if (key !== lastAlarms) {
      lastAlarms = key;
      log?.info({ alarms: a }, a.length ? 'sync alarms' : 'sync alarms cleared');
      o.onAlarm?.(a);
    }
  }

  const log = o.log?.child({ module: 'sync' });

  function fail(code: ErrorCode | string, message: string, next: SyncState): void {
    if (lastError?.code !== code) log?.warn({ code, state: next }, message);
    lastError = { code, message, at: now() };
    state = next;
  }

  function backoffDelay(): number {
    const d = random() * Math.min(cap, base * 2 ** Math.min(attempt, 30));
    attempt++;
    return Math.max(10, d);
  }

  function housekeeping(): void {
    lastHousekeeping = mono();
    disk = diskStatus(o.diskPath ?? '.', thresholds);
    try {
      store.purge();
    } catch (e) {
      if (!isKioskError(e)) throw e; // disk full etc.: the store reports it in fault()
    }
    checkAlarms();
  }

  function resolveFlush(): void {
    flushWanted = false;
    const w = flushWaiters;
    flushWaiters = [];
    for (const f of w) f();
  }

  async function sendBatch(events: StoredEvent[]): Promise<'ok' | 'retry' | 'stop'> {
    state = 'sending';
    abort = new AbortController();
    let r;
    try {
      r = await client.request<{ ackedSeq?: number; ackedHash?: string; expectedSeq?: number; seq?: number }>(
        'POST',
        '/v1/ingest',
        { terminalId: identity.terminalId, events },
        abort.signal,
      );
    } catch (e) {
      fail('E_SYNC_BACKEND_DOWN', `backend unreachable: ${(e as Error).message}`, 'backoff');
      return 'retry';
    } finally {
      abort = null;
    }
    const b = r.body;
    if (r.status === 200 && typeof b.ackedSeq === 'number' && typeof b.ackedHash === 'string') {
      try {
        store.setAcked({ seq: b.ackedSeq, hash: b.ackedHash });
      } catch (e) {
        if (isKioskError(e) && e.code === 'E_SYNC_ACK_MISMATCH') {
          forked = true;
          fail(e.code, e.message, 'fault');
          return 'retry';
        }
        fail(isKioskError(e) ? e.code : 'E_AUDIT_IO', (e as Error).message, 'backoff');
        return 'retry';
      }
      sent.batches++;
      sent.events += events.length;
      if (lastError) log?.info({ ackedSeq: b.ackedSeq }, 'sync recovered');
      log?.debug({ ackedSeq: b.ackedSeq, events: events.length }, 'batch acknowledged');
      resendFrom = null;
      attempt = 0;
      lastError = null;
      forked = false;
      return 'ok';
    }
    const code = String(b.code ?? `HTTP_${r.status}`);
    const msg = String(b.message ?? '');
    if (r.status === 409 && code === 'E_INGEST_GAP' && typeof b.expectedSeq === 'number') {
      // the backend is behind us (restored from a backup?): resend from what it expects if we still have it
      resendFrom = b.expectedSeq;
      fail(code, msg, 'backoff');
      attempt = 0;
      return store.events(b.expectedSeq, 1)[0]?.seq === b.expectedSeq ? 'ok' : 'retry';
    }
    if (r.status === 409 && code === 'E_INGEST_FORK') {
      forked = true;
      fail(code, msg, 'fault');
      return 'retry';
    }
    if (r.status === 403 && code === 'E_BACKEND_TERMINAL_REVOKED') {
      fail('E_SYNC_REVOKED', msg, 'revoked');
      return 'stop';
    }
    if (r.status === 401 && code === 'E_BACKEND_UNKNOWN_TERMINAL') {
      fail('E_SYNC_NOT_ENROLLED', msg, 'not-enrolled');
      return 'retry';
    }
    if (r.status >= 500) {
      fail('E_SYNC_BACKEND_DOWN', `${r.status} ${code}: ${msg}`, 'backoff');
      return 'retry';
    }
    fail('E_SYNC_REJECTED', `${r.status} ${code}: ${msg}`, 'fault');
    return 'retry';
  }

  async function loop(): Promise<void> {
    while (running) {
      if (mono() - lastHousekeeping >= housekeepingMs) housekeeping();
      let acked;
      let backlog;
      try {
        acked = store.acked();
        backlog = store.backlog();
      } catch {
        break; // the store was closed under us
      }
      while (appendedAt.length > 0 && (appendedAt[0] as { seq: number }).seq <= acked.seq) appendedAt.shift();
      if (backlog.count === 0 && resendFrom === null) {
        state = 'idle';
        resolveFlush();
        await sleep(housekeepingMs);
        continue;
      }
      const oldest = appendedAt[0];
      const age = mono() - (oldest && oldest.seq === acked.seq + 1 ? oldest.at : startedAt);
      if (!flushWanted && backlog.count < batchMax && age < maxAge && resendFrom === null) {
        state = 'batching';
        await sleep(maxAge - age);
        continue;
      }
      const from = resendFrom ?? acked.seq + 1;
      const events = store.events(from, batchMax);
      if (events.length === 0) {
        resendFrom = null;
        continue;
      }
      const r = await sendBatch(events);
      if (r === 'stop') {
        checkAlarms();
        resolveFlush();
        break;
      }
      if (r === 'retry') {
        const d = backoffDelay();
        nextRetryAt = now() + d;
        checkAlarms();
        resolveFlush();
        await sleep(d);
        nextRetryAt = null;
        continue;
      }
      checkAlarms();
    }
    if (state !== 'revoked') state = 'stopped';
  }

  return {
    start() {
      if (running) return;
      running = true;
      state = 'idle';
      startedAt = mono();
      unsubscribe = store.onAppend((e) => {
        if (appendedAt.length < 10_000) appendedAt.push({ seq: e.seq, at: mono() });
        if (state === 'idle' || (state === 'batching' && store.backlog().count >= batchMax)) wake?.();
      });
      housekeeping();
      loopDone = loop();
    },
    async stop() {
      running = false;
      unsubscribe?.();
      unsubscribe = null;
      abort?.abort();
      wake?.();
      await loopDone;
      loopDone = null;
      resolveFlush();
    },
    status() {
      let backlog = 0;
      let lagMs: number | null = null;
      let lastAck: SyncStatus['lastAck'] = null;
      try {
        const b = store.backlog();
        backlog = b.count;
        lagMs = b.oldestTime === null ? null : Math.max(0, now() - b.oldestTime);
        const a = store.acked();
        lastAck = a.seq > 0 ? a : null;
      } catch {
        // store closed
      }
      return {
        state,
        backlog,
        lagMs,
        lastAck,
        lastError,
        nextRetryAt,
        disk,
        alarms: alarms(),
        sent: { ...sent },
      };
    },
    flush() {
      if (!running) return Promise.resolve();
      return new Promise<void>((resolve) => {
        flushWaiters.push(resolve);
        flushWanted = true;
        attempt = 0;
        wake?.();
      });
    },
  };
}
