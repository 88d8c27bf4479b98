// The backend's storage: one interface (BackendStorage), written once in portable SQL over the driver
// interface, so SQLite and PostgreSQL run the same code and the same test suite. Safe under several backend
// instances sharing one PostgreSQL: ingest locks the terminal row (SELECT ... FOR UPDATE) and (terminal_id,
// seq) is the events' primary key, so a concurrent double delivery cannot store an event twice.
import { randomUUID } from 'node:crypto';
import type { SqlDriver, SqlExecutor, SqlParam } from './driver.ts';
import { isUniqueViolation } from './driver.ts';
import type { StoredEvent, EventBody } from '../../kiosk/audit/event.ts';
import type { SealedBox } from '../../kiosk/audit/crypto.ts';
import { canonicalJson } from '../../kiosk/audit/canonical.ts';
import { GENESIS_HASH } from '../../kiosk/audit/event.ts';

const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE venues (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, event_keep_days INTEGER NOT NULL, sealed_keep_days INTEGER NOT NULL,
      created_at BIGINT NOT NULL)`,
    `CREATE TABLE enrolment_codes (
      code_hash TEXT PRIMARY KEY, venue_id TEXT NOT NULL, label TEXT NOT NULL, expires_at BIGINT NOT NULL,
      used_at BIGINT, terminal_id TEXT, created_by TEXT NOT NULL, created_at BIGINT NOT NULL)`,
    `CREATE TABLE terminals (
      id TEXT PRIMARY KEY, public_key TEXT NOT NULL UNIQUE, venue_id TEXT NOT NULL, label TEXT NOT NULL,
      enrolled_at BIGINT NOT NULL, revoked_at BIGINT, head_seq BIGINT NOT NULL, head_hash TEXT NOT NULL,
      last_seen BIGINT, last_ingest BIGINT, last_event_time BIGINT, purged_seq BIGINT NOT NULL,
      purged_hash TEXT NOT NULL)`,
    `CREATE TABLE events (
      terminal_id TEXT NOT NULL, seq BIGINT NOT NULL, time BIGINT NOT NULL, type TEXT NOT NULL,
      prev_hash TEXT NOT NULL, hash TEXT NOT NULL, sig TEXT NOT NULL, body TEXT NOT NULL,
      venue_id TEXT NOT NULL, outcome TEXT, received_at BIGINT NOT NULL,
      PRIMARY KEY (terminal_id, seq))`,
    `CREATE INDEX events_venue_time ON events (venue_id, time)`,
    `CREATE TABLE sealed (
      terminal_id TEXT NOT NULL, seq BIGINT NOT NULL, box TEXT NOT NULL, time BIGINT NOT NULL,
      venue_id TEXT NOT NULL, PRIMARY KEY (terminal_id, seq))`,
    `CREATE TABLE reviews (
      id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, venue_id TEXT NOT NULL, check_in_id TEXT NOT NULL,
      seq BIGINT NOT NULL, reason TEXT NOT NULL, masked_name TEXT, masked_number TEXT, face_score TEXT,
      event_time BIGINT NOT NULL, received_at BIGINT NOT NULL, status TEXT NOT NULL, decided_by TEXT,
      decided_at BIGINT, decision_reason TEXT)`,
    `CREATE INDEX reviews_status ON reviews (status, venue_id)`,
    `CREATE TABLE backend_audit (
      id TEXT PRIMARY KEY, time BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
      target TEXT NOT NULL, detail TEXT NOT NULL)`,
    `CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  ],
];

export interface VenueRow {
  id: string;
  name: string;
  eventKeepDays: number;
  sealedKeepDays: number;
}

export interface TerminalRow {
  id: string;
  publicKey: string;
  venueId: string;
  label: string;
  enrolledAt: number;
  revokedAt: number | null;
  headSeq: number;
  headHash: string;
  lastSeen: number | null;
  lastIngest: number | null;
  lastEventTime: number | null;
}

export interface ReviewRow {
  id: string;
  terminalId: string;
  venueId: string;
  checkInId: string;
  seq: number;
  reason: string;
  maskedName: string | null;
  maskedNumber: string | null;
  faceScore: string | null;
  eventTime: number;
  receivedAt: number;
  status: 'pending' | 'approved' | 'denied' | 'resolved-at-kiosk';
  decidedBy: string | null;
  decidedAt: number | null;
  decisionReason: string | null;
}

export type IngestOutcome =
  | { kind: 'stored'; ackedSeq: number; ackedHash: string; stored: number; duplicate: boolean }
  | { kind: 'gap'; expectedSeq: number }
  | { kind: 'fork'; seq: number }
  | { kind: 'unknown-terminal' }
  | { kind: 'revoked' };

export interface Stats {
  venues: {
    venueId: string;
    checkinsByHour: { hour: number; count: number }[];
    decisions: Record<string, number>;
    pendingReviews: number;
  }[];
  terminals: {
    id: string;
    venueId: string;
    label: string;
    online: boolean;
    revoked: boolean;
    headSeq: number;
    lastIngest: number | null;
    lagMs: number | null;
  }[];
}

export interface BackendStorage {
  readonly dialect: 'sqlite' | 'pg';
  readonly driver: SqlDriver;
  migrate(): Promise<void>;
  getKv(key: string): Promise<string | null>;
  /** Insert if absent; returns the stored value (the first writer wins across instances). */
  putKvIfAbsent(key: string, value: string): Promise<string>;
  upsertVenue(v: VenueRow, now: number): Promise<void>;
  getVenue(id: string): Promise<VenueRow | null>;
  listVenues(): Promise<VenueRow[]>;
  createEnrolmentCode(c: {
    codeHash: string;
    venueId: string;
    label: string;
    expiresAt: number;
    createdBy: string;
    now: number;
  }): Promise<void>;
  /** Consume a code and enrol the terminal atomically. null: the code is unknown, used or expired. */
  enrol(c: {
    codeHash: string;
    terminalId: string;
    publicKey: string;
    now: number;
  }): Promise<TerminalRow | null | 'exists'>;
  getTerminal(id: string): Promise<TerminalRow | null>;
  listTerminals(venueId?: string): Promise<TerminalRow[]>;
  revokeTerminal(id: string, now: number): Promise<boolean>;
  touchTerminal(id: string, now: number): Promise<void>;
  /** Store a verified, internally contiguous batch (see ingest rules in docs/backend.md). */
  ingest(terminalId: string, events: readonly StoredEvent[], now: number): Promise<IngestOutcome>;
  events(q: {
    terminalId?: string;
    venueId?: string;
    type?: string;
    afterSeq?: number;
    limit: number;
  }): Promise<StoredEvent[]>;
  sealedBox(terminalId: string, seq: number): Promise<{ box: SealedBox; event: StoredEvent } | null>;
  reviews(q: { status?: string; venueId?: string; limit: number }): Promise<ReviewRow[]>;
  getReview(id: string): Promise<ReviewRow | null>;
  decideReview(
    id: string,
    d: { approve: boolean; reason: string; by: string; now: number },
  ): Promise<ReviewRow | 'not-found' | 'conflict'>;
  audit(
    a: { actor: string; action: string; target: string; detail: string; now: number },
    q?: SqlExecutor,
  ): Promise<void>;
  auditLog(
    limit: number,
  ): Promise<{ time: number; actor: string; action: string; target: string; detail: string }[]>;
  stats(now: number, onlineWithinMs: number): Promise<Stats>;
  purge(now: number): Promise<{ sealed: number; events: number }>;
  close(): Promise<void>;
}

interface TerminalDbRow {
  id: string;
  public_key: string;
  venue_id: string;
  label: string;
  enrolled_at: number;
  revoked_at: number | null;
  head_seq: number;
  head_hash: string;
  last_seen: number | null;
  last_ingest: number | null;
  last_event_time: number | null;
}
const toTerminal = (r: TerminalDbRow): TerminalRow => ({
  id: r.id,
  publicKey: r.public_key,
  venueId: r.venue_id,
  label: r.label,
  enrolledAt: Number(r.enrolled_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  headSeq: Number(r.head_seq),
  headHash: r.head_hash,
  lastSeen: r.last_seen === null ? null : Number(r.last_seen),
  lastIngest: r.last_ingest === null ? null : Number(r.last_ingest),
  lastEventTime: r.last_event_time === null ? null : Number(r.last_event_time),
});

interface ReviewDbRow {
  id: string;
  terminal_id: string;
  venue_id: string;
  check_in_id: string;
  seq: number;
  reason: string;
  masked_name: string | null;
  masked_number: string | null;
  face_score: string | null;
  event_time: number;
  received_at: number;
  status: ReviewRow['status'];
  decided_by: string | null;
  decided_at: number | null;
  decision_reason: string | null;
}
const toReview = (r: ReviewDbRow): ReviewRow => ({
  id: r.id,
  terminalId: r.terminal_id,
  venueId: r.venue_id,
  checkInId: r.check_in_id,
  seq: Number(r.seq),
  reason: r.reason,
  maskedName: r.masked_name,
  maskedNumber: r.masked_number,
  faceScore: r.face_score,
  eventTime: Number(r.event_time),
  receivedAt: Number(r.received_at),
  status: r.status,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at === null ? null : Number(r.decided_at),
  decisionReason: r.decision_reason,
});

interface EventDbRow {
  terminal_id: string;
  seq: number;
  time: number;
  type: string;
  prev_hash: string;
  hash: string;
  sig: string;
  body: string;
}
const toEvent = (r: EventDbRow): StoredEvent => ({
  v: 1,
  terminalId: r.terminal_id,
  seq: Number(r.seq),
  time: Number(r.time),
  type: r.type as StoredEvent['type'],
  prevHash: r.prev_hash,
  body: JSON.parse(r.body) as EventBody,
  hash: r.hash,
  sig: r.sig,
});

const DAY = 86_400_000;
/** Events per multi-row INSERT (11 columns: well under SQLite's and PostgreSQL's parameter limits). */
const INSERT_CHUNK = 250;

export function createStorage(driver: SqlDriver): BackendStorage {
  const q = driver;
  const TERMINAL_COLS =
    'id, public_key, venue_id, label, enrolled_at, revoked_at, head_seq, head_hash, last_seen, last_ingest, last_event_time';

  async function applyEventEffects(
    x: SqlExecutor,
    t: TerminalRow,
    e: StoredEvent,
    now: number,
  ): Promise<void> {
    const b = e.body;
    const checkInId = b.checkInId;
    if (e.type === 'checkin.review' && checkInId) {
      const id = `${t.id}:${checkInId}`;
      await x.run(
        `INSERT INTO reviews (id, terminal_id, venue_id, check_in_id, seq, reason, masked_name, masked_number,
           face_score, event_time, received_at, status)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'pending') ON CONFLICT (id) DO NOTHING`,
        [
          id,
          t.id,
          t.venueId,
          checkInId,
          e.seq,
          b.decision?.reason ?? 'policy-review',
          b.masked?.name ?? null,
          b.masked?.number ?? null,
          b.face?.score ?? null,
          e.time,
          now,
        ],
      );
    } else if (
      checkInId &&
      (e.type === 'attendant.decision' || e.type === 'checkin.decision' || e.type === 'review.resolved')
    ) {
      // the kiosk closed the check-in itself (attendant on site, or it echoes a dashboard decision)
      const approved =
        e.type === 'review.resolved' ? b.approved === true : (b.outcome ?? b.decision?.outcome) === 'pass';
      const reason = b.reason ?? b.decision?.reason ?? null;
      await x.run(
        `UPDATE reviews SET status = 'resolved-at-kiosk', decided_by = $1, decided_at = $2, decision_reason = $3
         WHERE id = $4 AND status = 'pending'`,
        [`terminal:${t.id}:${approved ? 'approved' : 'denied'}`, now, reason, `${t.id}:${checkInId}`],
      );
    }
  }

  const storage: BackendStorage = {
    dialect: driver.dialect,
    driver,
    async migrate() {
      await q.tx(async (x) => {
        if (driver.dialect === 'pg') await x.query('SELECT pg_advisory_xact_lock(7241001)');
        await x.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
        const rows = await x.query<{ version: number }>('SELECT version FROM schema_version');
        let v = rows[0] ? Number(rows[0].version) : 0;
        if (!rows[0]) await x.run('INSERT INTO schema_version (version) VALUES (0)');
        for (; v < MIGRATIONS.length; v++) {
          for (const stmt of MIGRATIONS[v] ?? []) await x.run(stmt);
          await x.run('UPDATE schema_version SET version = $1', [v + 1]);
        }
      });
    },
    async getKv(key) {
      const r = await q.query<{ value: string }>('SELECT value FROM kv WHERE key = $1', [key]);
      return r[0]?.value ?? null;
    },
    async putKvIfAbsent(key, value) {
      await q.run('INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
      return (await storage.getKv(key)) as string;
    },
    async upsertVenue(v, now) {
      await q.run(
        `INSERT INTO venues (id, name, event_keep_days, sealed_keep_days, created_at) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, event_keep_days = excluded.event_keep_days,
           sealed_keep_days = excluded.sealed_keep_days`,
        [v.id, v.name, v.eventKeepDays, v.sealedKeepDays, now],
      );
    },
    async getVenue(id) {
      const r = await q.query<{
        id: string;
        name: string;
        event_keep_days: number;
        sealed_keep_days: number;
      }>('SELECT id, name, event_keep_days, sealed_keep_days FROM venues WHERE id = $1', [id]);
      const v = r[0];
      return v
        ? {
            id: v.id,
            name: v.name,
            eventKeepDays: Number(v.event_keep_days),
            sealedKeepDays: Number(v.sealed_keep_days),
          }
        : null;
    },
    async listVenues() {
      const r = await q.query<{
        id: string;
        name: string;
        event_keep_days: number;
        sealed_keep_days: number;
      }>('SELECT id, name, event_keep_days, sealed_keep_days FROM venues ORDER BY id');
      return r.map((v) => ({
        id: v.id,
        name: v.name,
        eventKeepDays: Number(v.event_keep_days),
        sealedKeepDays: Number(v.sealed_keep_days),
      }));
    },
    async createEnrolmentCode(c) {
      await q.run(
        `INSERT INTO enrolment_codes (code_hash, venue_id, label, expires_at, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6)`,
        [c.codeHash, c.venueId, c.label, c.expiresAt, c.createdBy, c.now],
      );
    },
    async enrol(c) {
      try {
        return await q.tx(async (x) => {
          const codes = await x.query<{ venue_id: string; label: string }>(
            `SELECT venue_id, label FROM enrolment_codes WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2`,
            [c.codeHash, c.now],
          );
          const code = codes[0];
          if (!code) return null;
          const existing = await x.query<{ id: string }>(
            'SELECT id FROM terminals WHERE id = $1 OR public_key = $2',
            [c.terminalId, c.publicKey],
          );
          if (existing.length > 0) return 'exists' as const;
          const used = await x.run(
            'UPDATE enrolment_codes SET used_at = $1, terminal_id = $2 WHERE code_hash = $3 AND used_at IS NULL',
            [c.now, c.terminalId, c.codeHash],
          );
          if (used !== 1) return null;
          await x.run(
            `INSERT INTO terminals (id, public_key, venue_id, label, enrolled_at, head_seq, head_hash, purged_seq, purged_hash)
             VALUES ($1,$2,$3,$4,$5,0,$6,0,$6)`,
            [c.terminalId, c.publicKey, code.venue_id, code.label, c.now, GENESIS_HASH],
          );
          await storage.audit(
            {
              actor: `terminal:${c.terminalId}`,
              action: 'enrol',
              target: c.terminalId,
              detail: code.venue_id,
              now: c.now,
            },
            x,
          );
          const t = await x.query<TerminalDbRow>(`SELECT ${TERMINAL_COLS} FROM terminals WHERE id = $1`, [
            c.terminalId,
          ]);
          return toTerminal(t[0] as TerminalDbRow);
        });
      } catch (e) {
        if (isUniqueViolation(e)) return 'exists';
        throw e;
      }
    },
    async getTerminal(id) {
      const r = await q.query<TerminalDbRow>(`SELECT ${TERMINAL_COLS} FROM terminals WHERE id = $1`, [id]);
      return r[0] ? toTerminal(r[0]) : null;
    },
    async listTerminals(venueId) {
      const r =
        venueId === undefined
          ? await q.query<TerminalDbRow>(`SELECT ${TERMINAL_COLS} FROM terminals ORDER BY venue_id, id`)
          : await q.query<TerminalDbRow>(
              `SELECT ${TERMINAL_COLS} FROM terminals WHERE venue_id = $1 ORDER BY id`,
              [venueId],
            );
      return r.map(toTerminal);
    },
    async revokeTerminal(id, now) {
      return (
        (await q.run('UPDATE terminals SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
          now,
          id,
        ])) === 1
      );
    },
    async touchTerminal(id, now) {
      await q.run('UPDATE terminals SET last_seen = $1 WHERE id = $2', [now, id]);
    },
    async ingest(terminalId, events, now) {
      const first = events[0];
      const last = events[events.length - 1];
      if (!first || !last) throw new Error('empty batch');
      const attempt = () =>
        q.tx<IngestOutcome>(async (x) => {
          const rows = await x.query<TerminalDbRow>(
            `SELECT ${TERMINAL_COLS} FROM terminals WHERE id = $1${driver.lockClause()}`,
            [terminalId],
          );
          const t = rows[0] ? toTerminal(rows[0]) : null;
          if (!t) return { kind: 'unknown-terminal' };
          if (t.revokedAt !== null) return { kind: 'revoked' };
          if (first.seq > t.headSeq + 1) return { kind: 'gap', expectedSeq: t.headSeq + 1 };
          // the part already stored must be identical
          if (first.seq <= t.headSeq) {
            const upto = Math.min(last.seq, t.headSeq);
            const have = await x.query<{ seq: number; hash: string }>(
              'SELECT seq, hash FROM events WHERE terminal_id = $1 AND seq >= $2 AND seq <= $3',
              [terminalId, first.seq, upto],
            );
            const byseq = new Map(have.map((h) => [Number(h.seq), h.hash]));
            for (const e of events) {
              if (e.seq > upto) break;
              const h = byseq.get(e.seq);
              // a seq purged by retention is not comparable; anything stored must match
              if (h !== undefined && h !== e.hash) return { kind: 'fork', seq: e.seq };
            }
          }
          const fresh = events.filter((e) => e.seq > t.headSeq);
          const f0 = fresh[0];
          if (!f0)
            return { kind: 'stored', ackedSeq: last.seq, ackedHash: last.hash, stored: 0, duplicate: true };
          if (f0.prevHash !== t.headHash) return { kind: 'fork', seq: f0.seq };
          // multi-row INSERTs (one round trip per chunk on PostgreSQL), then the per-event effects
          for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
            const chunk = fresh.slice(i, i + INSERT_CHUNK);
            const params: SqlParam[] = [];
            const rows = chunk.map((e) => {
              const outcome =
                e.body.decision?.outcome ??
                (e.type === 'attendant.decision' ? (e.body.outcome ?? null) : null);
              const base = params.length;
              params.push(e.seq, e.time, e.type, e.prevHash, e.hash, e.sig, canonicalJson(e.body), outcome);
              return `($1,$2,$3,${[1, 2, 3, 4, 5, 6, 7, 8].map((k) => `$${base + k + 3}`).join(',')})`;
            });
            await x.run(
              `INSERT INTO events (terminal_id, venue_id, received_at, seq, time, type, prev_hash, hash, sig, body, outcome)
               VALUES ${rows.join(',')}`,
              [terminalId, t.venueId, now, ...params],
            );
          }
          for (const e of fresh) {
            if (e.sealed) {
              await x.run(
                'INSERT INTO sealed (terminal_id, seq, box, time, venue_id) VALUES ($1,$2,$3,$4,$5)',
                [terminalId, e.seq, canonicalJson(e.sealed), e.time, t.venueId],
              );
            }
            await applyEventEffects(x, t, e, now);
          }
          const lf = fresh[fresh.length - 1] as StoredEvent;
          const maxTime = fresh.reduce((m, e) => Math.max(m, e.time), t.lastEventTime ?? 0);
          await x.run(
            `UPDATE terminals SET head_seq = $1, head_hash = $2, last_ingest = $3, last_seen = $3, last_event_time = $4
             WHERE id = $5`,
            [lf.seq, lf.hash, now, maxTime, terminalId],
          );
          return {
            kind: 'stored',
            ackedSeq: last.seq,
            ackedHash: last.hash,
            stored: fresh.length,
            duplicate: false,
          };
        });
      // SQLite serialises writers; on PG the row lock does. A unique violation means another instance won a
      // race we did not lock against (should not happen) — retry once, which then sees the stored events.
      try {
        return await attempt();
      } catch (e) {
        if (isUniqueViolation(e)) return attempt();
        throw e;
      }
    },
    async events(f) {
      const where: string[] = [];
      const params: SqlParam[] = [];
      const add = (clause: string, v: SqlParam) => {
        params.push(v);
        where.push(clause.replace('?', `$${params.length}`));
      };
      if (f.terminalId !== undefined) add('terminal_id = ?', f.terminalId);
      if (f.venueId !== undefined) add('venue_id = ?', f.venueId);
      if (f.type !== undefined) add('type = ?', f.type);
      if (f.afterSeq !== undefined) add('seq > ?', f.afterSeq);
      params.push(f.limit);
      const r = await q.query<EventDbRow>(
        `SELECT terminal_id, seq, time, type, prev_hash, hash, sig, body FROM events
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY terminal_id, seq LIMIT $${params.length}`,
        params,
      );
      return r.map(toEvent);
    },
    async sealedBox(terminalId, seq) {
      const r = await q.query<EventDbRow & { box: string }>(
        `SELECT e.terminal_id, e.seq, e.time, e.type, e.prev_hash, e.hash, e.sig, e.body, s.box
         FROM sealed s JOIN events e ON e.terminal_id = s.terminal_id AND e.seq = s.seq
         WHERE s.terminal_id = $1 AND s.seq = $2`,
        [terminalId, seq],
      );
      const row = r[0];
      return row ? { box: JSON.parse(row.box) as SealedBox, event: toEvent(row) } : null;
    },
    async reviews(f) {
      const where: string[] = [];
      const params: SqlParam[] = [];
      if (f.status !== undefined) {
        params.push(f.status);
        where.push(`status = $${params.length}`);
      }
      if (f.venueId !== undefined) {
        params.push(f.venueId);
        where.push(`venue_id = $${params.length}`);
      }
      params.push(f.limit);
      const r = await q.query<ReviewDbRow>(
        `SELECT * FROM reviews ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
         ORDER BY event_time DESC, id LIMIT $${params.length}`,
        params,
      );
      return r.map(toReview);
    },
    async getReview(id) {
      const r = await q.query<ReviewDbRow>('SELECT * FROM reviews WHERE id = $1', [id]);
      return r[0] ? toReview(r[0]) : null;
    },
    async decideReview(id, d) {
      return q.tx(async (x) => {
        const r = await x.query<ReviewDbRow>(`SELECT * FROM reviews WHERE id = $1${driver.lockClause()}`, [
          id,
        ]);
        const row = r[0];
        if (!row) return 'not-found';
        if (row.status !== 'pending') return 'conflict';
        await x.run(
          'UPDATE reviews SET status = $1, decided_by = $2, decided_at = $3, decision_reason = $4 WHERE id = $5',
          [d.approve ? 'approved' : 'denied', d.by, d.now, d.reason, id],
        );
        await storage.audit(
          {
            actor: d.by,
            action: d.approve ? 'review.approve' : 'review.deny',
            target: id,
            detail: d.reason,
            now: d.now,
          },
          x,
        );
        const out = await x.query<ReviewDbRow>('SELECT * FROM reviews WHERE id = $1', [id]);
        return toReview(out[0] as ReviewDbRow);
      });
    },
    async audit(a, x = q) {
      await x.run(
        'INSERT INTO backend_audit (id, time, actor, action, target, detail) VALUES ($1,$2,$3,$4,$5,$6)',
        [randomUUID(), a.now, a.actor, a.action, a.target, a.detail],
      );
    },
    async auditLog(limit) {
      const r = await q.query<{
        time: number;
        actor: string;
        action: string;
        target: string;
        detail: string;
      }>('SELECT time, actor, action, target, detail FROM backend_audit ORDER BY time DESC, id LIMIT $1', [
        limit,
      ]);
      return r.map((x) => ({ ...x, time: Number(x.time) }));
    },
    async stats(now, onlineWithinMs) {
      const since = now - DAY;
      const hours = await q.query<{ venue_id: string; h: number; n: number }>(
        `SELECT venue_id, time / 3600000 AS h, COUNT(*) AS n FROM events
         WHERE type = 'checkin.decision' AND time >= $1 GROUP BY venue_id, time / 3600000 ORDER BY venue_id, h`,
        [since],
      );
      const dec = await q.query<{ venue_id: string; outcome: string; n: number }>(
        `SELECT venue_id, outcome, COUNT(*) AS n FROM events
         WHERE type = 'checkin.decision' AND time >= $1 GROUP BY venue_id, outcome`,
        [since],
      );
      const pend = await q.query<{ venue_id: string; n: number }>(
        `SELECT venue_id, COUNT(*) AS n FROM reviews WHERE status = 'pending' GROUP BY venue_id`,
      );
      const terms = await storage.listTerminals();
      const venueIds = new Set<string>([
        ...(await storage.listVenues()).map((v) => v.id),
        ...terms.map((t) => t.venueId),
        ...hours.map((h) => h.venue_id),
      ]);
      return {
        venues: [...venueIds].sort().map((venueId) => ({
          venueId,
          checkinsByHour: hours
            .filter((h) => h.venue_id === venueId)
            .map((h) => ({ hour: Number(h.h) * 3600000, count: Number(h.n) })),
          decisions: Object.fromEntries(
            dec.filter((d) => d.venue_id === venueId).map((d) => [d.outcome ?? 'none', Number(d.n)]),
          ),
          pendingReviews: Number(pend.find((p) => p.venue_id === venueId)?.n ?? 0),
        })),
        terminals: terms.map((t) => ({
          id: t.id,
          venueId: t.venueId,
          label: t.label,
          online: t.revokedAt === null && t.lastSeen !== null && now - t.lastSeen <= onlineWithinMs,
          revoked: t.revokedAt !== null,
          headSeq: t.headSeq,
          lastIngest: t.lastIngest,
          lagMs:
            t.lastIngest !== null && t.lastEventTime !== null
              ? Math.max(0, t.lastIngest - t.lastEventTime)
              : null,
        })),
      };
    },
    async purge(now) {
      let sealed = 0;
      let events = 0;
      for (const v of await storage.listVenues()) {
        sealed += await q.run('DELETE FROM sealed WHERE venue_id = $1 AND time < $2', [
          v.id,
          now - v.sealedKeepDays * DAY,
        ]);
        events += await q.tx(async (x) => {
          const cutoff = now - v.eventKeepDays * DAY;
          // per terminal: the run of oldest events older than the cutoff; keep an anchor for verification
          const heads = await x.query<{ terminal_id: string; seq: number }>(
            `SELECT terminal_id, MAX(seq) AS seq FROM events e WHERE venue_id = $1 AND time < $2
             AND NOT EXISTS (SELECT 1 FROM events n WHERE n.terminal_id = e.terminal_id AND n.seq < e.seq AND n.time >= $2)
             GROUP BY terminal_id`,
            [v.id, cutoff],
          );
          let n = 0;
          for (const h of heads) {
            const anchor = await x.query<{ hash: string }>(
              'SELECT hash FROM events WHERE terminal_id = $1 AND seq = $2',
              [h.terminal_id, h.seq],
            );
            await x.run('DELETE FROM sealed WHERE terminal_id = $1 AND seq <= $2', [h.terminal_id, h.seq]);
            n += await x.run('DELETE FROM events WHERE terminal_id = $1 AND seq <= $2', [
              h.terminal_id,
              h.seq,
            ]);
            await x.run('UPDATE terminals SET purged_seq = $1, purged_hash = $2 WHERE id = $3', [
              h.seq,
              anchor[0]?.hash ?? GENESIS_HASH,
              h.terminal_id,
            ]);
          }
          return n;
        });
      }
      if (sealed + events > 0) {
        await storage.audit({
          actor: 'system',
          action: 'purge',
          target: '*',
          detail: `sealed=${sealed} events=${events}`,
          now,
        });
      }
      return { sealed, events };
    },
    close: () => driver.close(),
  };
  return storage;
}

export { isUniqueViolation };
