// Hotel front desk: every guest of a booking is verified; each guest record is sealed to the backend on the
// kiosk (never stored in plaintext) and the booking completes when all its guests are counted.
import { randomUUID } from 'node:crypto';
import type { ActionResult } from '../../core/types.ts';
import { KioskError } from '../../shared/errors.ts';
import { DAY_MS, faceByPortrait, type ProfileContext, type ProfileImpl } from '../profile.ts';
import { formatVenueTime, localDate } from '../time.ts';
import { GUEST_RECORD_KIND, type GuestRecord } from './guest-record.ts';

interface BookingRow {
  ref: string;
  room: string;
  expected_guests: number;
  arrival: string;
  departure: string;
  opened_at: number | null;
  completed_at: number | null;
  counted: number;
}

export interface SealedRecordRow {
  readonly id: number;
  readonly kind: string;
  readonly createdAt: number;
  /** The sealed blob as stored (JSON). */
  readonly blob: string;
}

export interface BookingStatus {
  readonly ref: string;
  readonly room: string;
  readonly expected: number;
  readonly verified: number;
  readonly complete: boolean;
}

export interface HotelFrontDesk extends ProfileImpl {
  /** Attendant: make `ref` the booking that the next unnamed guests at this kiosk are counted towards. */
  openBooking(ref: string): BookingStatus | undefined;
  bookingStatus(ref: string): BookingStatus | undefined;
  /** Current bookings (arriving by today, not yet departed), incomplete first: for the attendant console. */
  currentBookings(): BookingStatus[];
  /** Sealed guest records not yet handed to the backend (for the sync / audit outbox). */
  pendingSealed(limit?: number): SealedRecordRow[];
  markSynced(ids: readonly number[]): void;
}

/** Blobs are stored as JSON; byte arrays become {"$b64": "..."}. */
function blobToJson(blob: unknown): string {
  return JSON.stringify(blob, (_k, v: unknown) =>
    v instanceof Uint8Array ? { $b64: Buffer.from(v).toString('base64') } : v,
  );
}

export function createHotelFrontDesk(ctx: ProfileContext): HotelFrontDesk {
  const cfg = ctx.config.hotelFrontDesk;
  const tz = ctx.config.timeZone;
  const { db } = ctx;
  const seal = ctx.deps.seal;
  if (!seal) {
    throw new KioskError(
      'E_VENUE_DEPENDENCY_MISSING',
      'hotel-front-desk needs deps.seal: guest records are sealed to the backend, never kept in plaintext',
    );
  }
  const bookingCols = `b.ref, b.room, b.expected_guests, b.arrival, b.departure, b.opened_at, b.completed_at,
    (SELECT COUNT(*) FROM booking_guests g WHERE g.ref = b.ref) AS counted`;
  const current = 'b.arrival <= @earliest AND b.departure > @today';
  const byRef = db.prepare(`SELECT ${bookingCols} FROM bookings b WHERE b.ref = ?`);
  const countedIn = db.prepare(
    `SELECT ${bookingCols}, g.guest_index FROM booking_guests g JOIN bookings b ON b.ref = g.ref
     WHERE g.pseudonym = @p AND ${current} ORDER BY b.arrival LIMIT 1`,
  );
  const namedIn = db.prepare(
    `SELECT * FROM (SELECT ${bookingCols} FROM booking_names n JOIN bookings b ON b.ref = n.ref
     WHERE n.pseudonym = @p AND ${current}) WHERE counted < expected_guests ORDER BY arrival LIMIT 1`,
  );
  const openOne = db.prepare(
    `SELECT * FROM (SELECT ${bookingCols} FROM bookings b WHERE b.opened_at >= @since AND ${current})
     WHERE counted < expected_guests ORDER BY opened_at DESC LIMIT 1`,
  );

  const window = (now: number) => ({
    today: localDate(now, tz),
    earliest: localDate(now + cfg.earlyArrivalDays * DAY_MS, tz),
  });
  const isCurrent = (b: BookingRow, now: number): boolean => {
    const w = window(now);
    return b.arrival <= w.earliest && w.today < b.departure;
  };

  /** The booking this person belongs to now, and their guest index if already counted. */
  const resolve = (pseudonym: string, now: number): { booking: BookingRow; index?: number } | undefined => {
    const w = window(now);
    const counted = countedIn.get({ p: pseudonym, ...w }) as
      (BookingRow & { guest_index: number }) | undefined;
    if (counted) return { booking: counted, index: counted.guest_index };
    const named = namedIn.get({ p: pseudonym, ...w }) as BookingRow | undefined;
    if (named) return { booking: named };
    const since = now - cfg.bookingWindowMinutes * 60_000;
    const open = openOne.get({ since, ...w }) as BookingRow | undefined;
    return open ? { booking: open } : undefined;
  };

  const status = (b: BookingRow): BookingStatus => ({
    ref: b.ref,
    room: b.room,
    expected: b.expected_guests,
    verified: b.counted,
    complete: b.counted >= b.expected_guests,
  });
  const code = (room: string, i: number, n: number): string => `room ${room}, guest ${i} of ${n}`;

  const insertSealed = db.prepare('INSERT INTO sealed_records (kind, created_at, blob) VALUES (?, ?, ?)');
  const insertGuest = db.prepare(
    'INSERT INTO booking_guests (ref, pseudonym, guest_index, at) VALUES (?, ?, ?, ?)',
  );
  const touch = db.prepare('UPDATE bookings SET opened_at = ?, completed_at = ? WHERE ref = ?');

  return {
    needsFace: (doc) => faceByPortrait(cfg.faceCheck, doc),

    check({ now }, pseudonym) {
      if (pseudonym === undefined)
        return { outcome: 'review', reason: 'policy-review', note: 'no document number' };
      return resolve(pseudonym, now)
        ? undefined
        : {
            outcome: 'review',
            reason: 'no-booking',
            note: 'no current booking names this guest and none is open',
          };
    },

    async act({ document }, pseudonym, now): Promise<ActionResult> {
      if (pseudonym === undefined)
        return { ok: false, reason: 'policy-review', detail: 'no document number' };
      const found = resolve(pseudonym, now);
      if (!found)
        return { ok: false, reason: 'no-booking', detail: 'open the booking from the attendant console' };
      const b = found.booking;
      if (found.index !== undefined) {
        return {
          ok: true,
          displayCode: code(b.room, found.index, b.expected_guests),
          detail: 'guest already verified',
        };
      }
      const index = b.counted + 1;
      const record: GuestRecord = {
        kind: GUEST_RECORD_KIND,
        version: 1,
        recordId: randomUUID(),
        venueId: ctx.config.venueId,
        kioskId: ctx.deps.kioskId ?? '',
        bookingRef: b.ref,
        room: b.room,
        guestIndex: index,
        guestCount: b.expected_guests,
        name: document.name,
        ...(document.nameLatin ? { nameLatin: document.nameLatin } : {}),
        ...(document.sex ? { sex: document.sex } : {}),
        documentType: document.documentType,
        documentNumber: document.documentNumber,
        ...(document.nationality ? { nationality: document.nationality } : {}),
        ...(document.birthDate ? { birthDate: document.birthDate } : {}),
        stayFrom: b.arrival,
        stayTo: b.departure,
        verifiedAt: formatVenueTime(now, tz),
        credentialSource: document.source,
      };
      let sealed: string;
      try {
        sealed = blobToJson(await seal(record));
      } catch (e) {
        ctx.log.error({ err: (e as Error).message }, 'sealing the guest record failed');
        return { ok: false, reason: 'venue-system-down', detail: 'guest record could not be sealed' };
      }
      const complete = index >= b.expected_guests;
      db.transaction(() => {
        insertSealed.run(GUEST_RECORD_KIND, now, sealed);
        insertGuest.run(b.ref, pseudonym, index, now);
        touch.run(now, complete ? now : null, b.ref);
      })();
      return {
        ok: true,
        displayCode: code(b.room, index, b.expected_guests),
        ...(complete ? { detail: 'booking complete' } : {}),
      };
    },

    openBooking(ref) {
      const now = ctx.deps.clock();
      const b = byRef.get(ref) as BookingRow | undefined;
      if (!b || !isCurrent(b, now)) return undefined;
      db.prepare('UPDATE bookings SET opened_at = ? WHERE ref = ?').run(now, ref);
      return status(b);
    },

    bookingStatus(ref) {
      const b = byRef.get(ref) as BookingRow | undefined;
      return b ? status(b) : undefined;
    },

    currentBookings() {
      const w = window(ctx.deps.clock());
      return (
        db
          .prepare(`SELECT ${bookingCols} FROM bookings b WHERE ${current} ORDER BY b.arrival, b.ref`)
          .all(w) as BookingRow[]
      )
        .map(status)
        .sort((a, b) => Number(a.complete) - Number(b.complete));
    },

    pendingSealed(limit = 100) {
      return (
        db
          .prepare(
            'SELECT id, kind, created_at, blob FROM sealed_records WHERE synced_at IS NULL ORDER BY id LIMIT ?',
          )
          .all(limit) as { id: number; kind: string; created_at: number; blob: string }[]
      ).map((r) => ({ id: r.id, kind: r.kind, createdAt: r.created_at, blob: r.blob }));
    },

    markSynced(ids) {
      const stmt = db.prepare('UPDATE sealed_records SET synced_at = ? WHERE id = ? AND synced_at IS NULL');
      const now = ctx.deps.clock();
      db.transaction(() => ids.forEach((id) => stmt.run(now, id)))();
    },

    settings: () => ({
      bookingWindowMinutes: cfg.bookingWindowMinutes,
      earlyArrivalDays: cfg.earlyArrivalDays,
      faceCheck: cfg.faceCheck,
      guestRecords: 'sealed to the backend',
    }),

    purge(now, daysFor) {
      const out: Record<string, number> = {};
      const s = daysFor('guest-records');
      if (s !== undefined) {
        // On the kiosk a sealed record is kept only until the backend has it (plus `days`).
        out['guest-records'] = db
          .prepare('DELETE FROM sealed_records WHERE synced_at IS NOT NULL AND synced_at < ?')
          .run(now - s * DAY_MS).changes;
      }
      const k = daysFor('bookings');
      if (k !== undefined) {
        const cutoff = localDate(now - k * DAY_MS, tz);
        db.transaction(() => {
          const refs = db.prepare('SELECT ref FROM bookings WHERE departure < ?').all(cutoff) as {
            ref: string;
          }[];
          const delG = db.prepare('DELETE FROM booking_guests WHERE ref = ?');
          const delN = db.prepare('DELETE FROM booking_names WHERE ref = ?');
          const delB = db.prepare('DELETE FROM bookings WHERE ref = ?');
          for (const { ref } of refs) {
            delG.run(ref);
            delN.run(ref);
            delB.run(ref);
          }
          out['bookings'] = refs.length;
        })();
      }
      return out;
    },
  };
}
