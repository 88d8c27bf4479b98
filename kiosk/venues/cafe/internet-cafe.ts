// Internet café: adults only, one active session per person, session registered with the billing system.
import { randomInt, randomUUID } from 'node:crypto';
import type { ActionResult, Decision } from '../../core/types.ts';
import { maskDocumentNumber, maskName } from '../../core/mask.ts';
import { KioskError } from '../../shared/errors.ts';
import { DAY_MS, faceByPortrait, type ProfileContext, type ProfileImpl } from '../profile.ts';
import { ageOn, localDate } from '../time.ts';
import type { ActInput } from '../types.ts';
import { deliver, verify, HEADER_SIGNATURE, HEADER_TIMESTAMP } from './webhook.ts';

export interface CallbackRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}
export interface CallbackResponse {
  readonly status: number;
  readonly body: string;
}

export interface InternetCafe extends ProfileImpl {
  /** Ends a session (billing callback or attendant). Returns false when no such open session. */
  endSession(sessionId: string, at?: number): boolean;
  /** Handles a signed callback from the billing system (docs/venues.md, "Callbacks"). */
  handleCallback(req: CallbackRequest): CallbackResponse;
  activeSessions(): number;
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function header(h: CallbackRequest['headers'], name: string): string | undefined {
  const v = h[name] ?? h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function createInternetCafe(ctx: ProfileContext): InternetCafe {
  const cfg = ctx.config.internetCafe;
  const tz = ctx.config.timeZone;
  const { db } = ctx;
  if (cfg.billing.url !== '' && !ctx.deps.billingSecret) {
    throw new KioskError(
      'E_VENUE_DEPENDENCY_MISSING',
      'venue.internetCafe.billing.url is set but deps.billingSecret is missing (read venue.internetCafe.billing.secretFile)',
    );
  }
  const activeStmt = db.prepare(
    'SELECT id FROM sessions WHERE pseudonym = ? AND ended_at IS NULL AND expires_at > ? LIMIT 1',
  );
  const insertStmt = db.prepare(
    `INSERT INTO sessions (id, pseudonym, started_at, expires_at, display_code, idempotency_key)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET pseudonym = excluded.pseudonym, expires_at = excluded.expires_at,
       display_code = excluded.display_code, ended_at = NULL`,
  );
  const endStmt = db.prepare('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL');

  const ageProblem = (input: ActInput['document'], now: number): Decision | undefined => {
    if (input.birthDate) {
      const age = ageOn(input.birthDate, localDate(now, tz), cfg.leapDayBirthday);
      if (age === undefined)
        return { outcome: 'review', reason: 'policy-review', note: 'birth date unreadable' };
      return age < cfg.minAge
        ? { outcome: 'deny', reason: 'underage', note: `age under ${cfg.minAge}` }
        : undefined;
    }
    const claim = input.claims?.[`age_over_${cfg.minAge}`];
    if (cfg.acceptAgeOverClaim && claim === true) return undefined;
    if (claim === false)
      return { outcome: 'deny', reason: 'underage', note: `age_over_${cfg.minAge} is false` };
    return { outcome: 'review', reason: 'policy-review', note: 'no birth date and no age claim' };
  };

  const endSession = (sessionId: string, at?: number): boolean =>
    endStmt.run(at ?? ctx.deps.clock(), sessionId).changes > 0;

  const localCode = (): string =>
    Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

  return {
    needsFace: (doc) => faceByPortrait(cfg.faceCheck, doc),

    check({ document, now }, pseudonym) {
      const age = ageProblem(document, now);
      if (age?.outcome === 'deny') return age;
      if (pseudonym === undefined) {
        return {
          outcome: 'review',
          reason: 'policy-review',
          note: 'no document number: one-session rule unchecked',
        };
      }
      if (activeStmt.get(pseudonym, now)) {
        return { outcome: 'deny', reason: 'already-active-session' };
      }
      return age;
    },

    async act({ document }, pseudonym, now): Promise<ActionResult> {
      if (pseudonym === undefined)
        return { ok: false, reason: 'policy-review', detail: 'no document number' };
      if (activeStmt.get(pseudonym, now)) return { ok: false, reason: 'already-active-session' };
      const maxExpiry = now + cfg.sessionMaxHours * 3_600_000;
      const key = randomUUID();
      if (cfg.billing.url === '') {
        const code = localCode();
        insertStmt.run(`local-${key}`, pseudonym, now, maxExpiry, code, key);
        return { ok: true, displayCode: code };
      }
      const person: Record<string, unknown> = {
        pseudonym,
        maskedName: maskName(document.name),
        maskedNumber: maskDocumentNumber(document.documentNumber),
        documentType: document.documentType,
        ageVerified: true,
        minAge: cfg.minAge,
      };
      if (document.nationality) person['nationality'] = document.nationality;
      if (cfg.billing.identity === 'real-name') {
        person['name'] = document.name;
        if (document.nameLatin) person['nameLatin'] = document.nameLatin;
        person['documentNumber'] = document.documentNumber;
        if (document.birthDate) person['birthDate'] = document.birthDate;
        if (document.sex) person['sex'] = document.sex;
      }
      const body = JSON.stringify({
        type: 'session.start',
        id: key,
        occurredAt: new Date(now).toISOString(),
        venueId: ctx.config.venueId,
        kioskId: ctx.deps.kioskId ?? '',
        person,
        session: { maxHours: cfg.sessionMaxHours },
      });
      const d = await deliver({
        url: cfg.billing.url,
        secret: ctx.deps.billingSecret ?? '',
        body,
        idempotencyKey: key,
        timeoutMs: cfg.billing.timeoutMs,
        maxAttempts: cfg.billing.maxAttempts,
        backoffMs: cfg.billing.backoffMs,
        fetch: ctx.fetch,
        sleep: ctx.sleep,
        clock: ctx.deps.clock,
      });
      if (!d.ok) {
        ctx.log.warn({ kind: d.kind, status: d.status, attempts: d.attempts }, 'billing registration failed');
        if (d.kind === 'conflict')
          return { ok: false, reason: 'already-active-session', detail: 'billing: 409' };
        return { ok: false, reason: 'venue-system-down', detail: `billing ${d.kind}: ${d.detail}` };
      }
      const r = d.json as { sessionId?: unknown; displayCode?: unknown; expiresAt?: unknown } | null;
      if (typeof r?.sessionId !== 'string' || r.sessionId === '' || typeof r.displayCode !== 'string') {
        ctx.log.warn({ status: d.status }, 'billing answered without sessionId/displayCode');
        return {
          ok: false,
          reason: 'venue-system-down',
          detail: 'billing answered without sessionId/displayCode',
        };
      }
      const theirExpiry = typeof r.expiresAt === 'string' ? Date.parse(r.expiresAt) : NaN;
      const expires = Number.isFinite(theirExpiry) ? Math.min(theirExpiry, maxExpiry) : maxExpiry;
      insertStmt.run(r.sessionId, pseudonym, now, expires, r.displayCode.slice(0, 32), key);
      ctx.log.info({ attempts: d.attempts }, 'billing session registered');
      return { ok: true, displayCode: r.displayCode.slice(0, 32) };
    },

    endSession,

    handleCallback(req) {
      const secret = ctx.deps.billingSecret;
      if (!secret) return { status: 404, body: '{"error":"no billing system configured"}' };
      const v = verify(
        secret,
        {
          timestamp: header(req.headers, HEADER_TIMESTAMP),
          signature: header(req.headers, HEADER_SIGNATURE),
        },
        req.body,
        ctx.deps.clock(),
        cfg.billing.callbackToleranceSeconds,
      );
      if (!v.ok) {
        ctx.log.warn({ code: 'E_VENUE_CALLBACK_REJECTED', why: v.why }, 'billing callback rejected');
        return { status: 401, body: JSON.stringify({ error: v.why }) };
      }
      let msg: { type?: unknown; sessionId?: unknown; endedAt?: unknown };
      try {
        msg = JSON.parse(req.body) as typeof msg;
      } catch {
        return { status: 400, body: '{"error":"invalid JSON"}' };
      }
      if (msg?.type !== 'session.end' || typeof msg.sessionId !== 'string') {
        return { status: 400, body: '{"error":"expected {type:\\"session.end\\", sessionId}"}' };
      }
      const at =
        typeof msg.endedAt === 'string' && Number.isFinite(Date.parse(msg.endedAt))
          ? Date.parse(msg.endedAt)
          : undefined;
      const ended = endSession(msg.sessionId, at);
      // Idempotent: ending an unknown or already-ended session is not an error.
      return { status: 200, body: JSON.stringify({ ok: true, ended }) };
    },

    activeSessions() {
      const row = db
        .prepare('SELECT COUNT(*) AS n FROM sessions WHERE ended_at IS NULL AND expires_at > ?')
        .get(ctx.deps.clock()) as { n: number };
      return row.n;
    },

    settings: () => ({
      minAge: cfg.minAge,
      leapDayBirthday: cfg.leapDayBirthday,
      faceCheck: cfg.faceCheck,
      billing: cfg.billing.url === '' ? 'none (local session codes)' : new URL(cfg.billing.url).host,
      billingIdentity: cfg.billing.identity,
      sessionMaxHours: cfg.sessionMaxHours,
    }),

    purge(now, daysFor) {
      const days = daysFor('sessions');
      if (days === undefined) return {};
      const cutoff = now - days * DAY_MS;
      const n = db
        .prepare(
          'DELETE FROM sessions WHERE COALESCE(ended_at, expires_at) < ? AND (ended_at IS NOT NULL OR expires_at < ?)',
        )
        .run(cutoff, now).changes;
      return { sessions: n };
    },
  };
}
