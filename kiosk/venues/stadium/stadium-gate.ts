// Stadium gate: real-name ticket (by pseudonym) for this event and gate, inside its entry window, not used
// (unless re-entry), not banned. On pass the gate relay is pulsed; with a passage sensor the entry is only
// consumed when someone actually walks through.
import type { ActionResult, Decision } from '../../core/types.ts';
import { DAY_MS, faceByPortrait, type ProfileContext, type ProfileImpl } from '../profile.ts';
import type { VenueDb } from '../state.ts';
import type { PassageEvent, Throughput, VenueRelay } from '../types.ts';

interface TicketRow {
  ticket_id: string;
  event: string;
  gate: string;
  valid_from: number;
  valid_to: number;
  reentry: number;
  used: number;
}

export interface StadiumGate extends ProfileImpl {
  throughput(now: number, windowMinutes?: number): Throughput;
}

/** Waits for the first passage event, up to `ms`. The subscription starts before the gate opens. */
async function openAndWaitForPassage(
  relay: VenueRelay,
  pulseMs: number,
  timeoutMs: number,
): Promise<boolean> {
  const it = relay.passage!()[Symbol.asyncIterator]();
  const first = it.next();
  let timer: NodeJS.Timeout | undefined;
  try {
    await relay.pulse(pulseMs);
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const r: IteratorResult<PassageEvent> | 'timeout' = await Promise.race([first, timeout]);
    return r !== 'timeout' && r.done !== true;
  } finally {
    clearTimeout(timer);
    void it.return?.()?.catch(() => undefined);
  }
}

/** Gate entries per minute over the last `windowMinutes` minutes (the current minute included). */
export function entriesThroughput(db: VenueDb, now: number, windowMinutes = 15): Throughput {
  const minuteNow = Math.floor(now / 60_000) * 60_000;
  const start = minuteNow - (windowMinutes - 1) * 60_000;
  const rows = db
    .prepare(
      'SELECT (at / 60000) * 60000 AS minute, COUNT(*) AS n FROM entries WHERE at >= ? AND at <= ? GROUP BY minute',
    )
    .all(start, now) as { minute: number; n: number }[];
  const byMinute = new Map(rows.map((r) => [r.minute, r.n]));
  const perMinute = Array.from({ length: windowMinutes }, (_, i) => {
    const minute = start + i * 60_000;
    return { minute, entries: byMinute.get(minute) ?? 0 };
  });
  const total = perMinute.reduce((a, m) => a + m.entries, 0);
  return { perMinute, total, rate: total / windowMinutes, windowMinutes };
}

export function createStadiumGate(ctx: ProfileContext): StadiumGate {
  const cfg = ctx.config.stadiumGate;
  const { db } = ctx;
  const banStmt = db.prepare('SELECT 1 FROM bans WHERE pseudonym = ? AND (until IS NULL OR until > ?)');
  const ticketsStmt = db.prepare(
    `SELECT t.ticket_id, t.event, t.gate, t.valid_from, t.valid_to, t.reentry,
            EXISTS (SELECT 1 FROM entries e WHERE e.ticket_id = t.ticket_id) AS used
     FROM tickets t WHERE t.pseudonym = ? ORDER BY t.valid_from`,
  );
  const entryStmt = db.prepare('INSERT INTO entries (ticket_id, pseudonym, gate, at) VALUES (?, ?, ?, ?)');

  const gateOk = (t: TicketRow): boolean =>
    cfg.gate === '' || t.gate === '' || t.gate === '*' || t.gate.toLowerCase() === cfg.gate.toLowerCase();

  /** The usable ticket, or the reason none is usable. */
  const evaluate = (pseudonym: string, now: number): { ticket: TicketRow } | { decision: Decision } => {
    const all = (ticketsStmt.all(pseudonym) as TicketRow[]).filter(
      (t) => cfg.event === '' || t.event === cfg.event,
    );
    if (all.length === 0) return { decision: { outcome: 'deny', reason: 'no-ticket' } };
    const inWindow = (t: TicketRow): boolean => t.valid_from <= now && now < t.valid_to;
    const unused = (t: TicketRow): boolean => !t.used || t.reentry === 1 || cfg.reentry;
    const ok = all.find((t) => gateOk(t) && inWindow(t) && unused(t));
    if (ok) return { ticket: ok };
    const used = all.find((t) => gateOk(t) && inWindow(t));
    if (used) return { decision: { outcome: 'deny', reason: 'ticket-used' } };
    const wrongGate = all.find((t) => inWindow(t) && unused(t));
    if (wrongGate) {
      return {
        decision: {
          outcome: 'deny',
          reason: 'ticket-wrong-gate',
          note: `ticket is for gate ${wrongGate.gate}`,
        },
      };
    }
    const early = all.some((t) => now < t.valid_from);
    return {
      decision: { outcome: 'deny', reason: 'ticket-outside-window', note: early ? 'too early' : 'too late' },
    };
  };

  return {
    needsFace: (doc) => faceByPortrait(cfg.faceCheck, doc),

    check({ now }, pseudonym) {
      if (pseudonym === undefined)
        return { outcome: 'deny', reason: 'no-ticket', note: 'no document number' };
      if (banStmt.get(pseudonym, now)) return { outcome: 'deny', reason: 'banned' };
      const r = evaluate(pseudonym, now);
      return 'decision' in r ? r.decision : undefined;
    },

    async act({ decision }, pseudonym, now): Promise<ActionResult> {
      if (pseudonym === undefined) return { ok: false, reason: 'no-ticket' };
      const r = evaluate(pseudonym, now);
      let ticketId: string | null = null;
      if ('ticket' in r) ticketId = r.ticket.ticket_id;
      else if (decision.reason !== 'attendant-approved') return { ok: false, reason: r.decision.reason };
      const relay = ctx.deps.relay;
      if (!relay) return { ok: false, reason: 'venue-system-down', detail: 'no gate relay configured' };
      const consume = (): void => void entryStmt.run(ticketId, pseudonym, cfg.gate, ctx.deps.clock());
      try {
        if (cfg.passageSensor && relay.passage) {
          const passed = await openAndWaitForPassage(relay, cfg.relayPulseMs, cfg.passageTimeoutMs);
          if (!passed) {
            ctx.log.info({ gate: cfg.gate }, 'gate opened, nobody passed');
            return {
              ok: false,
              reason: 'timeout',
              detail: `gate opened, nobody passed within ${cfg.passageTimeoutMs} ms; entry not consumed`,
            };
          }
          consume();
        } else {
          await relay.pulse(cfg.relayPulseMs);
          consume();
        }
      } catch (e) {
        ctx.log.error({ err: (e as Error).message }, 'gate relay failed');
        return { ok: false, reason: 'venue-system-down', detail: `gate relay: ${(e as Error).message}` };
      }
      return { ok: true, ...(cfg.gate ? { displayCode: cfg.gate } : {}) };
    },

    throughput: (now, windowMinutes = 15) => entriesThroughput(db, now, windowMinutes),

    settings: () => ({
      gate: cfg.gate || '(any)',
      event: cfg.event || '(any open window)',
      reentry: cfg.reentry,
      faceCheck: cfg.faceCheck,
      relayPulseMs: cfg.relayPulseMs,
      passageSensor: cfg.passageSensor,
      passageTimeoutMs: cfg.passageTimeoutMs,
    }),

    purge(now, daysFor) {
      const out: Record<string, number> = {};
      const e = daysFor('entries');
      if (e !== undefined)
        out['entries'] = db.prepare('DELETE FROM entries WHERE at < ?').run(now - e * DAY_MS).changes;
      const t = daysFor('tickets');
      if (t !== undefined) {
        out['tickets'] = db.prepare('DELETE FROM tickets WHERE valid_to < ?').run(now - t * DAY_MS).changes;
      }
      const b = daysFor('bans');
      if (b !== undefined) {
        out['bans'] = db
          .prepare('DELETE FROM bans WHERE until IS NOT NULL AND until < ?')
          .run(now - b * DAY_MS).changes;
      }
      return out;
    },
  };
}
