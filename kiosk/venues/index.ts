// createVenue(): the venue workflow the check-in machine calls after "this is the person" (docs/venues.md).
// decide = core policy (credential + face) + the venue's own rules; act = the venue's action on a pass.
import { createServer, type Server } from 'node:http';
import type { ActionResult, Decision, IdentityDocument } from '../core/types.ts';
import { maskDocumentNumber, maskName } from '../core/mask.ts';
import { builtinBasePolicy } from './base-policy.ts';
import { createInternetCafe, type InternetCafe } from './cafe/internet-cafe.ts';
import { CONSENT_LANGUAGES, consentNotice } from './consent.ts';
import { createHotelFrontDesk, type HotelFrontDesk } from './hotel/hotel-front-desk.ts';
import { importFromUrl, importText, type ImportKind, type ImportReport } from './imports.ts';
import { DAY_MS, type ProfileContext, type ProfileImpl } from './profile.ts';
import { createStadiumGate, type StadiumGate } from './stadium/stadium-gate.ts';
import { openVenueDb } from './state.ts';
import { startOfLocalDay } from './time.ts';
import type {
  ActInput,
  DecideInput,
  DecisionRow,
  Throughput,
  Venue,
  VenueConfig,
  VenueDeps,
  VenueLogger,
} from './types.ts';

export type * from './types.ts';
export type { ImportReport, ImportKind } from './imports.ts';
export type { InternetCafe } from './cafe/internet-cafe.ts';
export type { StadiumGate } from './stadium/stadium-gate.ts';
export type { HotelFrontDesk, BookingStatus, SealedRecordRow } from './hotel/hotel-front-desk.ts';

export interface VenueHandle extends Venue {
  /** Present when profile = internet-cafe. */
  readonly internetCafe?: InternetCafe & {
    /** Serves billing callbacks (POST any path) on host:port; resolves with the bound port. */
    listen(port: number, host?: string): Promise<{ port: number; close(): Promise<void> }>;
  };
  readonly stadiumGate?: StadiumGate;
  readonly hotelFrontDesk?: HotelFrontDesk;
  /** Imports tickets, bans or bookings (CSV/JSON text) into this venue's state; all or nothing. */
  importText(kind: ImportKind, text: string): ImportReport;
  /** Same, from an HTTP feed. */
  importFromUrl(kind: ImportKind, url: string): Promise<ImportReport>;
  /** Stadium: re-imports venue.stadiumGate.ticketFeedUrl and banFeedUrl (those set); one report each. */
  refreshFeeds(): Promise<ImportReport[]>;
}

const silent: VenueLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function noneProfile(): ProfileImpl {
  return {
    needsFace: () => true,
    check: () => undefined,
    act: () => Promise.resolve({ ok: true }),
    settings: () => ({ venueRules: 'none (core policy only)' }),
    purge: () => ({}),
  };
}

/** Combines the core verdict with the venue's own: a venue deny wins, then any review, else pass. */
function combine(base: Decision, venue: Decision | undefined): Decision {
  if (base.outcome === 'deny') return base;
  if (venue?.outcome === 'deny') return { ...venue, ...(base.face ? { face: base.face } : {}) };
  if (base.outcome === 'review') return base;
  if (venue) return { ...venue, ...(base.face ? { face: base.face } : {}) };
  return base;
}

export function createVenue(config: VenueConfig, deps: VenueDeps): VenueHandle {
  const log = deps.log ?? silent;
  const db = openVenueDb(deps.db);
  const ctx: ProfileContext = {
    config,
    deps,
    db,
    log,
    fetch: deps.fetch ?? fetch,
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  };
  let cafe: InternetCafe | undefined;
  let stadium: StadiumGate | undefined;
  let hotel: HotelFrontDesk | undefined;
  let impl: ProfileImpl;
  try {
    switch (config.profile) {
      case 'internet-cafe':
        impl = cafe = createInternetCafe(ctx);
        break;
      case 'stadium-gate':
        impl = stadium = createStadiumGate(ctx);
        break;
      case 'hotel-front-desk':
        impl = hotel = createHotelFrontDesk(ctx);
        break;
      default:
        impl = noneProfile();
    }
  } catch (e) {
    db.close();
    throw e;
  }
  const basePolicy = deps.basePolicy ?? builtinBasePolicy(config.timeZone);
  const pseudonymOf = (doc: IdentityDocument): string | undefined =>
    doc.documentNumber.trim() === '' ? undefined : deps.pseudonym(doc.documentNumber);

  const insertDecision = db.prepare(
    `INSERT INTO decisions (at, outcome, reason, masked_name, masked_number, document_type)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const updateDecision = db.prepare(
    'UPDATE decisions SET outcome = ?, reason = ?, action_ok = ?, action_reason = ?, action_code = ? WHERE id = ?',
  );
  /** decision row per person awaiting act (keyed by pseudonym, or masked number when there is none). */
  const pendingRows = new Map<string, number>();
  const rowKey = (doc: IdentityDocument, p: string | undefined): string =>
    p ?? `masked:${maskName(doc.name)}`;

  const daysFor = (record: string): number | undefined =>
    config.retention.find((r) => r.record === record && r.where === 'kiosk')?.days;

  const purge = (now = deps.clock()): Record<string, number> => {
    const out = impl.purge(now, daysFor);
    const d = daysFor('decisions');
    if (d !== undefined)
      out['decisions'] = db.prepare('DELETE FROM decisions WHERE at < ?').run(now - d * DAY_MS).changes;
    return out;
  };
  purge();
  const purgeTimer = setInterval(() => {
    try {
      const n = purge();
      if (Object.values(n).some((x) => x > 0)) log.info({ purged: n }, 'venue retention purge');
    } catch (e) {
      log.error({ err: (e as Error).message }, 'venue retention purge failed');
    }
  }, 3_600_000);
  purgeTimer.unref();

  const servers = new Set<Server>();

  const throughputFromDecisions = (now: number, windowMinutes: number): Throughput => {
    const minuteNow = Math.floor(now / 60_000) * 60_000;
    const start = minuteNow - (windowMinutes - 1) * 60_000;
    const rows = db
      .prepare(
        `SELECT (at / 60000) * 60000 AS minute, COUNT(*) AS n FROM decisions
         WHERE at >= ? AND at <= ? AND action_ok = 1 GROUP BY minute`,
      )
      .all(start, now) as { minute: number; n: number }[];
    const by = new Map(rows.map((r) => [r.minute, r.n]));
    const perMinute = Array.from({ length: windowMinutes }, (_, i) => ({
      minute: start + i * 60_000,
      entries: by.get(start + i * 60_000) ?? 0,
    }));
    const total = perMinute.reduce((a, m) => a + m.entries, 0);
    return { perMinute, total, rate: total / windowMinutes, windowMinutes };
  };

  const venue: VenueHandle = {
    profile: config.profile,

    needsFace: (document) => impl.needsFace(document),

    decide(input: DecideInput): Promise<Decision> {
      try {
        const faceRequired = impl.needsFace(input.document);
        const base = basePolicy({ ...input, faceRequired });
        const p = pseudonymOf(input.document);
        // Venue rules run even when the core asks for review: a definite venue deny (underage, banned) wins.
        const own = base.outcome === 'deny' ? undefined : impl.check(input, p);
        const decision = combine(base, own);
        const id = insertDecision.run(
          input.now,
          decision.outcome,
          decision.reason,
          maskName(input.document.name),
          input.document.documentNumber ? maskDocumentNumber(input.document.documentNumber) : '',
          input.document.documentType,
        ).lastInsertRowid;
        const key = rowKey(input.document, p);
        pendingRows.delete(key);
        pendingRows.set(key, Number(id));
        if (pendingRows.size > 64) pendingRows.delete(pendingRows.keys().next().value as string);
        log.info({ outcome: decision.outcome, reason: decision.reason }, 'venue decision');
        return Promise.resolve(decision);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },

    async act({ decision, document }: ActInput): Promise<ActionResult> {
      const p = pseudonymOf(document);
      const now = deps.clock();
      let result: ActionResult;
      if (decision.outcome !== 'pass') {
        result = {
          ok: false,
          reason: decision.reason,
          detail: 'no venue action: the decision is not a pass',
        };
      } else {
        result = await impl.act({ decision, document }, p, now);
      }
      const key = rowKey(document, p);
      const id = pendingRows.get(key);
      if (id !== undefined) {
        pendingRows.delete(key);
        updateDecision.run(
          decision.outcome,
          decision.reason,
          result.ok ? 1 : 0,
          result.reason ?? null,
          result.displayCode ?? null,
          id,
        );
      }
      log.info({ ok: result.ok, reason: result.reason }, 'venue action');
      return result;
    },

    consent: {
      languages: CONSENT_LANGUAGES,
      notice: (language) => consentNotice(config, language),
    },

    attendant: {
      todaysDecisions(): DecisionRow[] {
        const start = startOfLocalDay(deps.clock(), config.timeZone);
        const rows = db
          .prepare(
            `SELECT at, outcome, reason, masked_name, masked_number, document_type, action_ok, action_reason,
                    action_code FROM decisions WHERE at >= ? ORDER BY at DESC, id DESC`,
          )
          .all(start) as {
          at: number;
          outcome: Decision['outcome'];
          reason: Decision['reason'];
          masked_name: string;
          masked_number: string;
          document_type: string;
          action_ok: number | null;
          action_reason: string | null;
          action_code: string | null;
        }[];
        return rows.map((r) => ({
          at: r.at,
          outcome: r.outcome,
          reason: r.reason,
          maskedName: r.masked_name,
          maskedNumber: r.masked_number,
          documentType: r.document_type,
          ...(r.action_ok === null
            ? {}
            : {
                action: {
                  ok: r.action_ok === 1,
                  ...(r.action_reason ? { reason: r.action_reason } : {}),
                  ...(r.action_code ? { displayCode: r.action_code } : {}),
                },
              }),
        }));
      },
      queueThroughput(windowMinutes = 15) {
        const now = deps.clock();
        return stadium ? stadium.throughput(now, windowMinutes) : throughputFromDecisions(now, windowMinutes);
      },
      async testRelay() {
        const relay = deps.relay;
        if (!relay) return { ok: false, ms: 0, detail: 'no relay configured' };
        const ms = config.stadiumGate.relayPulseMs;
        const t0 = performance.now();
        try {
          await relay.pulse(ms);
          return { ok: true, ms: Math.round(performance.now() - t0) };
        } catch (e) {
          return { ok: false, ms: Math.round(performance.now() - t0), detail: (e as Error).message };
        }
      },
      summary() {
        return {
          profile: config.profile,
          name: config.venueId,
          timeZone: config.timeZone,
          retention: config.retention,
          settings: impl.settings(),
        };
      },
    },

    importText: (kind, text) => importText(db, kind, text, { timeZone: config.timeZone, now: deps.clock() }),
    importFromUrl: (kind, url) =>
      importFromUrl(db, kind, url, { timeZone: config.timeZone, now: deps.clock(), fetch: ctx.fetch }),

    async refreshFeeds() {
      const feeds: [ImportKind, string][] = [];
      if (config.profile === 'stadium-gate') {
        if (config.stadiumGate.ticketFeedUrl) feeds.push(['tickets', config.stadiumGate.ticketFeedUrl]);
        if (config.stadiumGate.banFeedUrl) feeds.push(['bans', config.stadiumGate.banFeedUrl]);
      }
      const reports: ImportReport[] = [];
      for (const [kind, url] of feeds) {
        const r = await venue.importFromUrl(kind, url);
        if (r.ok) log.info({ kind, count: r.count }, 'venue feed imported');
        else log.warn({ kind, problems: r.problems.slice(0, 20) }, 'venue feed refused, nothing imported');
        reports.push(r);
      }
      return reports;
    },

    purge,

    close() {
      clearInterval(purgeTimer);
      clearInterval(feedTimer);
      for (const s of servers) s.close();
      servers.clear();
      impl.close?.();
      db.close();
    },
  };

  const refreshMinutes = config.stadiumGate.feedRefreshMinutes;
  const hasFeeds =
    config.profile === 'stadium-gate' &&
    (config.stadiumGate.ticketFeedUrl !== '' || config.stadiumGate.banFeedUrl !== '');
  const feedTimer = setInterval(
    () => {
      if (hasFeeds && refreshMinutes > 0) void venue.refreshFeeds();
    },
    Math.max(1, refreshMinutes) * 60_000,
  );
  feedTimer.unref();
  if (!hasFeeds || refreshMinutes === 0) clearInterval(feedTimer);

  if (cafe) {
    const c = cafe;
    const listen = (port: number, host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> =>
      new Promise((resolve, reject) => {
        const server = createServer((req, res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          req.on('data', (b: Buffer) => {
            size += b.length;
            if (size > 64 * 1024) req.destroy();
            else chunks.push(b);
          });
          req.on('end', () => {
            const out =
              req.method === 'POST'
                ? c.handleCallback({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
                : { status: 405, body: '{"error":"POST only"}' };
            res.writeHead(out.status, { 'content-type': 'application/json' }).end(out.body);
          });
        });
        server.once('error', reject);
        server.listen(port, host, () => {
          servers.add(server);
          const addr = server.address();
          resolve({
            port: typeof addr === 'object' && addr ? addr.port : port,
            close: () =>
              new Promise<void>((r) => {
                servers.delete(server);
                server.close(() => r());
              }),
          });
        });
      });
    Object.assign(venue, { internetCafe: Object.assign(c, { listen }) });
  }
  if (stadium) Object.assign(venue, { stadiumGate: stadium });
  if (hotel) Object.assign(venue, { hotelFrontDesk: hotel });
  return venue;
}
