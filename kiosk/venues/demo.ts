// Demo and e2e seeding: makes the given (synthetic) people ticket holders and hotel guests, so `npm start`
// and the browser e2e can run every profile without a ticketing or booking system. Never for production.
import type { ImportReport, VenueHandle } from './index.ts';
import { formatVenueTime, localDate } from './time.ts';

export interface DemoSeed {
  /** Document numbers of the demo people (e.g. the simulators' SYNTHETIC_CARDS numbers). */
  readonly numbers: readonly string[];
  /** The same pseudonym function the venue was given. */
  readonly pseudonym: (documentNumber: string) => string;
  readonly now: number;
  readonly timeZone: string;
  /** Stadium gate/event the tickets are for (defaults: any gate, event 'demo'). */
  readonly gate?: string;
  readonly event?: string;
}

/**
 * Stadium: one ticket per person, valid from an hour ago for twelve hours, with re-entry (a demo can be
 * repeated). Hotel: one booking per two people (room 1201, 1202, …), arriving today, the first person named.
 * Other profiles need no seed. Returns the import reports (all or nothing each).
 */
export function seedDemo(venue: VenueHandle, seed: DemoSeed): ImportReport[] {
  const tz = seed.timeZone;
  if (venue.profile === 'stadium-gate') {
    const from = formatVenueTime(seed.now - 3_600_000, tz);
    const to = formatVenueTime(seed.now + 12 * 3_600_000, tz);
    const rows = seed.numbers.map(
      (n, i) =>
        `DEMO-${i + 1},${seed.pseudonym(n)},${seed.event ?? 'demo'},${seed.gate ?? '*'},${from},${to},yes`,
    );
    return [
      venue.importText(
        'tickets',
        ['ticket_id,pseudonym,event,gate,valid_from,valid_to,reentry', ...rows].join('\n'),
      ),
    ];
  }
  if (venue.profile === 'hotel-front-desk') {
    const today = localDate(seed.now, tz);
    const tomorrow = localDate(seed.now + 86_400_000, tz);
    const rows: string[] = [];
    for (let i = 0; i < seed.numbers.length; i += 2) {
      const guests = Math.min(2, seed.numbers.length - i);
      rows.push(
        `DEMO-${i / 2 + 1},${1201 + i / 2},${guests},${today},${tomorrow},${seed.pseudonym(seed.numbers[i]!)}`,
      );
    }
    return [
      venue.importText(
        'bookings',
        ['booking_ref,room,guests,arrival,departure,guest_pseudonyms', ...rows].join('\n'),
      ),
    ];
  }
  return [];
}
