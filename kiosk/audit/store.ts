// The kiosk's local event store: one SQLite file (better-sqlite3), WAL, synchronous=FULL (a returned append
// is on disk), append-only by trigger, hash-chained and signed per event. See docs/audit.md.
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { KioskError } from '../shared/errors.ts';
import { canonicalJson } from './canonical.ts';
import type { SealedBox } from './crypto.ts';
import { ed25519PublicFromRaw } from './crypto.ts';
import { signEvent, verifyChain } from './chain.ts';
import type { ChainVerdict } from './chain.ts';
import { EVENT_VERSION, GENESIS_HASH } from './event.ts';
import type { AuditStoreInput, EventBody, EventCore, SealableField, StoredEvent } from './event.ts';
import { loadOrCreateTerminalIdentity } from './identity.ts';
import type { TerminalIdentity } from './identity.ts';
import { MIGRATIONS } from './migrations.ts';
import { buildBody, pseudonymOf } from './record.ts';

export interface AuditStoreOptions {
  /** The SQLite file (its directory is created). */
  readonly path: string;
  /** Where the terminal key lives (made on first start). */
  readonly keyDir: string;
  /** The per-venue pseudonym secret (≥ 16 bytes; a string is taken as UTF-8). */
  readonly venueSecret: Uint8Array | string;
  /** The backend's X25519 sealing key (raw, base64url); needed when the venue keeps personal data. */
  readonly backendPublicKey?: string;
  /** The IdentityDocument fields the venue keeps, sealed (venue profile). Empty: nothing is kept. */
  readonly sealFields?: readonly SealableField[];
  /** Acknowledged events older than this are purged from the kiosk (venue profile). Default 30 days. */
  readonly keepMs?: number;
  /** Wall clock (tests jump it). Only recorded; order is seq. */
  readonly now?: () => number;
  /** An already loaded identity (else loaded/made from keyDir). */
  readonly identity?: TerminalIdentity;
  /** Test hook: SQLite max_page_count, to simulate a full disk without privileges. */
  readonly maxPageCount?: number;
}

export interface SeqHash {
  readonly seq: number;
  readonly hash: string;
}

export type StoreFault = 'disk-full' | 'io-error';

export interface AuditStore {
  readonly terminalId: string;
  readonly publicKey: string;
  readonly identity: TerminalIdentity;
  /** Record an event durably (returns once committed with synchronous=FULL). Throws E_AUDIT_DISK_FULL etc. */
  append(input: AuditStoreInput): StoredEvent;
  /** The venue pseudonym of a document number. */
  pseudonym(documentNumber: string): string;
  /** Events with seq ≥ fromSeq (default: all kept), in seq order, at most `limit`. */
  events(fromSeq?: number, limit?: number): StoredEvent[];
  iterate(fromSeq?: number): IterableIterator<StoredEvent>;
  /** The last event's seq and hash (the purge anchor when all are purged; 0/genesis when empty). */
  head(): SeqHash;
  /** What the backend has acknowledged (persisted: sync resumes from here after a restart). */
  acked(): SeqHash & { readonly at: number | null };
  /** Record the backend's acknowledgement. Throws E_SYNC_ACK_MISMATCH when the hash is not ours. */
  setAcked(ack: SeqHash): void;
  /** Unacknowledged events: how many, and the oldest's wall time. */
  backlog(): { readonly count: number; readonly oldestTime: number | null };
  /** Delete acknowledged events older than keepMs; records an 'audit.purged' event when any went. */
  purge(now?: number): { readonly count: number; readonly throughSeq: number };
  /** Verify the whole kept chain from the purge anchor. */
  verify(): ChainVerdict;
  /** The current fault (disk full, I/O) or null; cleared by the next successful append. */
  fault(): { readonly fault: StoreFault; readonly message: string; readonly at: number } | null;
  /** Called after each committed append. Returns an unsubscribe. */
  onAppend(listener: (e: StoredEvent) => void): () => void;
  /** SQLite integrity_check ('ok' when sound). */
  integrity(): string;
  /** Test hook: change max_page_count (simulated disk size). */
  setMaxPageCount(pages: number): void;
  close(): void;
}

interface EventRow {
  seq: number;
  time: number;
  type: string;
  prev_hash: string;
  hash: string;
  sig: string;
  body: string;
  sealed: string | null;
}

export function rowToEvent(terminalId: string, r: EventRow): StoredEvent {
  const e: StoredEvent = {
    v: EVENT_VERSION,
    terminalId,
    seq: r.seq,
    time: r.time,
    type: r.type as StoredEvent['type'],
    prevHash: r.prev_hash,
    body: JSON.parse(r.body) as EventBody,
    hash: r.hash,
    sig: r.sig,
  };
  return r.sealed ? { ...e, sealed: JSON.parse(r.sealed) as SealedBox } : e;
}

/** The event's wall time: the machine's `at` when given (its clock), else the store's. Order is seq. */
function eventTime(input: AuditStoreInput, now: () => number): number {
  const at = (input as { at?: unknown }).at;
  return typeof at === 'number' && Number.isFinite(at) ? Math.trunc(at) : Math.trunc(now());
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new KioskError(
      'E_AUDIT_STORE_NEWER',
      `the store is at schema ${current}; this build knows ${MIGRATIONS.length}`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

function classify(e: unknown): KioskError {
  const code = (e as { code?: unknown }).code;
  if (code === 'SQLITE_FULL' || (e as NodeJS.ErrnoException).code === 'ENOSPC') {
    return new KioskError(
      'E_AUDIT_DISK_FULL',
      'the audit store is full (disk or size limit); nothing was recorded',
      {
        cause: e,
      },
    );
  }
  if (typeof code === 'string' && (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CORRUPT')) {
    return new KioskError('E_AUDIT_IO', `the audit store failed to write (${code}); nothing was recorded`, {
      cause: e,
    });
  }
  if (e instanceof KioskError) return e;
  return new KioskError('E_AUDIT_IO', `audit append failed: ${(e as Error).message}`, { cause: e });
}

export function openAuditStore(opts: AuditStoreOptions): AuditStore {
  const secret =
    typeof opts.venueSecret === 'string' ? Buffer.from(opts.venueSecret, 'utf8') : opts.venueSecret;
  if (secret.length < 16)
    throw new KioskError('E_AUDIT_INPUT_INVALID', 'the venue secret must be at least 16 bytes');
  if (opts.backendPublicKey !== undefined) {
    // the shape is checked now rather than at the first guest (the curve when sealing)
    if (!/^[A-Za-z0-9_-]{43}$/.test(opts.backendPublicKey)) {
      throw new KioskError('E_AUDIT_KEY_INVALID', 'backendPublicKey must be a raw X25519 key in base64url');
    }
  }
  const identity = opts.identity ?? loadOrCreateTerminalIdentity(opts.keyDir);
  const now = opts.now ?? Date.now;
  const keepMs = opts.keepMs ?? 30 * 86_400_000;
  const sealFields = opts.sealFields ?? [];
  mkdirSync(dirname(opts.path), { recursive: true });
  const db = new Database(opts.path);
  let closed = false;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    if (opts.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(opts.maxPageCount)}`);
    migrate(db);
    const meta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    const storedKey = meta.get('publicKey')?.value;
    if (storedKey === undefined) {
      db.transaction(() => {
        const ins = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
        ins.run('publicKey', identity.publicKey);
        ins.run('terminalId', identity.terminalId);
        ins.run('createdAt', String(now()));
      }).immediate();
    } else if (storedKey !== identity.publicKey) {
      throw new KioskError(
        'E_AUDIT_KEY_MISMATCH',
        `the store at ${opts.path} was written by another terminal key; refusing to mix chains`,
      );
    }
  } catch (e) {
    db.close();
    throw e instanceof KioskError ? e : classify(e);
  }

  const terminalId = identity.terminalId;
  const session = randomBytes(4).toString('hex');
  const stmts = {
    last: db.prepare<[], { seq: number; hash: string }>(
      'SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1',
    ),
    anchor: db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM purge_anchor WHERE id = 1'),
    insert: db.prepare(
      'INSERT INTO events (seq, time, type, prev_hash, hash, sig, body, sealed) VALUES (@seq, @time, @type, @prev_hash, @hash, @sig, @body, @sealed)',
    ),
    from: db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE seq >= ? ORDER BY seq LIMIT ?'),
    fromAll: db.prepare<[number], EventRow>('SELECT * FROM events WHERE seq >= ? ORDER BY seq'),
    hashAt: db.prepare<[number], { hash: string }>('SELECT hash FROM events WHERE seq = ?'),
    acked: db.prepare<[], { acked_seq: number; acked_hash: string; acked_at: number | null }>(
      'SELECT acked_seq, acked_hash, acked_at FROM sync_state WHERE id = 1',
    ),
    setAcked: db.prepare<[number, string, number]>(
      'UPDATE sync_state SET acked_seq = ?, acked_hash = ?, acked_at = ? WHERE id = 1',
    ),
    timeAt: db.prepare<[number], { time: number }>('SELECT time FROM events WHERE seq = ?'),
  };

  let lastFault: { fault: StoreFault; message: string; at: number } | null = null;
  const listeners = new Set<(e: StoredEvent) => void>();

  const head = (): SeqHash => stmts.last.get() ?? (stmts.anchor.get() as SeqHash);

  const appendTx = db.transaction((input: AuditStoreInput): StoredEvent => {
    const prev = head();
    const seq = prev.seq + 1;
    const { body, sealed } = buildBody(input, {
      venueSecret: secret,
      terminalId,
      seq,
      session,
      sealFields,
      backendPublicKey: opts.backendPublicKey,
    });
    const core: EventCore = {
      v: EVENT_VERSION,
      terminalId,
      seq,
      time: eventTime(input, now),
      type: input.type,
      prevHash: prev.hash,
      body,
    };
    const ev = signEvent(core, identity.sign, sealed);
    stmts.insert.run({
      seq,
      time: ev.time,
      type: ev.type,
      prev_hash: ev.prevHash,
      hash: ev.hash,
      sig: ev.sig,
      body: canonicalJson(ev.body),
      sealed: sealed ? canonicalJson(sealed) : null,
    });
    return ev;
  });

  function ensureOpen(): void {
    if (closed) throw new KioskError('E_AUDIT_CLOSED', 'the audit store is closed');
  }

  const store: AuditStore = {
    terminalId,
    publicKey: identity.publicKey,
    identity,
    append(input) {
      ensureOpen();
      let ev: StoredEvent;
      try {
        ev = appendTx.immediate(input);
      } catch (e) {
        const err = classify(e);
        if (err.code === 'E_AUDIT_DISK_FULL')
          lastFault = { fault: 'disk-full', message: err.message, at: now() };
        else if (err.code === 'E_AUDIT_IO')
          lastFault = { fault: 'io-error', message: err.message, at: now() };
        throw err;
      }
      lastFault = null;
      for (const l of listeners) {
        try {
          l(ev);
        } catch {
          // a listener's fault is not the store's
        }
      }
      return ev;
    },
    pseudonym: (n) => pseudonymOf(secret, n),
    events(fromSeq = 0, limit) {
      ensureOpen();
      const rows = limit === undefined ? stmts.fromAll.all(fromSeq) : stmts.from.all(fromSeq, limit);
      return rows.map((r) => rowToEvent(terminalId, r));
    },
    *iterate(fromSeq = 0) {
      ensureOpen();
      for (const r of stmts.fromAll.iterate(fromSeq)) yield rowToEvent(terminalId, r);
    },
    head: () => (ensureOpen(), head()),
    acked() {
      ensureOpen();
      const r = stmts.acked.get();
      if (!r) throw new KioskError('E_AUDIT_STORE_CORRUPT', 'sync_state row missing');
      return { seq: r.acked_seq, hash: r.acked_hash, at: r.acked_at };
    },
    setAcked(ack) {
      ensureOpen();
      const cur = store.acked();
      if (ack.seq <= cur.seq) {
        if (ack.seq === cur.seq && ack.hash !== cur.hash) {
          throw new KioskError(
            'E_SYNC_ACK_MISMATCH',
            `the backend acknowledged seq ${ack.seq} with another hash`,
          );
        }
        return;
      }
      const local = stmts.hashAt.get(ack.seq);
      if (!local || local.hash !== ack.hash) {
        throw new KioskError(
          'E_SYNC_ACK_MISMATCH',
          `the backend acknowledged seq ${ack.seq} with a hash that is not this kiosk's (fork)`,
        );
      }
      try {
        stmts.setAcked.run(ack.seq, ack.hash, Math.trunc(now()));
      } catch (e) {
        throw classify(e);
      }
    },
    backlog() {
      ensureOpen();
      // seqs are contiguous and unacknowledged events are never purged: no COUNT(*) needed
      const acked = store.acked().seq;
      const count = Math.max(0, head().seq - acked);
      return { count, oldestTime: count > 0 ? (stmts.timeAt.get(acked + 1)?.time ?? null) : null };
    },
    purge(at = now()) {
      ensureOpen();
      const cutoff = at - keepMs;
      const res = db
        .transaction(() => {
          const acked = store.acked().seq;
          const last = db
            .prepare<[number, number], { seq: number; hash: string }>(
              // the run of oldest events that are acked and all older than the cutoff
              `SELECT seq, hash FROM events WHERE seq <= ? AND seq < COALESCE(
                 (SELECT MIN(seq) FROM events WHERE time >= ?), 9223372036854775807)
               ORDER BY seq DESC LIMIT 1`,
            )
            .get(acked, cutoff);
          if (!last) return { count: 0, throughSeq: stmts.anchor.get()?.seq ?? 0, substantive: 0 };
          const substantive = db
            .prepare<[number], { n: number }>(
              "SELECT COUNT(*) AS n FROM events WHERE seq <= ? AND type <> 'audit.purged'",
            )
            .get(last.seq)?.n;
          db.prepare('UPDATE purge_gate SET open = 1 WHERE id = 1').run();
          const n = db.prepare('DELETE FROM events WHERE seq <= ?').run(last.seq).changes;
          db.prepare('UPDATE purge_anchor SET seq = ?, hash = ? WHERE id = 1').run(last.seq, last.hash);
          db.prepare('UPDATE purge_gate SET open = 0 WHERE id = 1').run();
          return { count: n, throughSeq: last.seq, substantive: substantive ?? 0 };
        })
        .immediate();
      // record the purge, unless it only removed earlier purge records (else keepDays 0 would log forever)
      if (res.substantive > 0)
        store.append({ type: 'audit.purged', throughSeq: res.throughSeq, count: res.count });
      return { count: res.count, throughSeq: res.throughSeq };
    },
    verify() {
      ensureOpen();
      const anchor = stmts.anchor.get() ?? { seq: 0, hash: GENESIS_HASH };
      return verifyChain(store.iterate(0), {
        publicKey: ed25519PublicFromRaw(identity.publicKey),
        terminalId,
        anchor,
      });
    },
    fault: () => lastFault,
    onAppend(l) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    integrity() {
      ensureOpen();
      return String(db.pragma('integrity_check', { simple: true }));
    },
    setMaxPageCount(pages) {
      db.pragma(`max_page_count = ${Math.floor(pages)}`);
    },
    close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      db.close();
    },
  };
  return store;
}

/**
 * Open a store file read-only for verification (the CLI): no key dir needed. The public key comes from the
 * store's meta table unless `publicKey` pins one (a forger could rewrite meta; pin the enrolled key).
 */
export function verifyStoreFile(
  path: string,
  publicKey?: string,
): ChainVerdict & { terminalId: string; publicKey: string } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const metaGet = (k: string) =>
      db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(k)?.value;
    const key = publicKey ?? metaGet('publicKey');
    const terminalId = metaGet('terminalId');
    if (!key || !terminalId)
      throw new KioskError('E_AUDIT_STORE_CORRUPT', `${path} has no terminal key in its meta table`);
    const anchor = db.prepare<[], SeqHash>('SELECT seq, hash FROM purge_anchor WHERE id = 1').get() ?? {
      seq: 0,
      hash: GENESIS_HASH,
    };
    const rows = db.prepare<[], EventRow>('SELECT * FROM events ORDER BY seq').iterate();
    function* evs() {
      for (const r of rows) yield rowToEvent(terminalId as string, r);
    }
    const v = verifyChain(evs(), { publicKey: ed25519PublicFromRaw(key), terminalId, anchor });
    return { ...v, terminalId, publicKey: key };
  } finally {
    db.close();
  }
}
