// Local dates and ages on the kiosk's wall clock. Pure (Intl only).

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    dateFormatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(epochMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts['year'] ?? 0,
    month: parts['month'] ?? 0,
    day: parts['day'] ?? 0,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The calendar date at `epochMs` in `timeZone`, as YYYY-MM-DD. */
export function localDate(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** Offset of `timeZone` from UTC at `epochMs`, in ms (Asia/Shanghai: +8 h). */
function offsetAt(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** UTC offset of `timeZone` at `epochMs`, in minutes (Asia/Shanghai: 480). */
export function utcOffsetMinutes(epochMs: number, timeZone: string): number {
  return Math.round(offsetAt(epochMs, timeZone) / 60_000);
}

/** Epoch ms of a wall-clock time in `timeZone` (the earlier instant when ambiguous, shifted when skipped). */
export function fromWallClock(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  timeZone: string,
): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  return Math.min(first, second);
}

/** Epoch ms at which the local day containing `epochMs` starts. */
export function startOfLocalDay(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  return fromWallClock(w.year, w.month, w.day, 0, 0, 0, timeZone);
}

/** The local day `date` (YYYY-MM-DD) as [start, end) epoch ms. */
export function localDayRange(date: string, timeZone: string): [number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const start = fromWallClock(y, mo, d, 0, 0, 0, timeZone);
  const next = new Date(Date.UTC(y, mo - 1, d + 1));
  const end = fromWallClock(
    next.getUTCFullYear(),
    next.getUTCMonth() + 1,
    next.getUTCDate(),
    0,
    0,
    0,
    timeZone,
  );
  return [start, end];
}

/**
 * Parses a ticket/booking time: ISO 8601 with an offset or Z ('2026-11-23T18:00:00+08:00'), or a local
 * wall-clock time without one ('2026-11-23 18:00', '2026-11-23T18:00:00', '2026-11-23' = midnight) read in
 * `timeZone`. Returns epoch ms, or undefined when it is not a valid time.
 */
export function parseVenueTime(text: string, timeZone: string): number | undefined {
  const s = text.trim();
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      s,
    );
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!isValidDate(y, mo, d) || h > 23 || mi > 59 || sec > 59) return undefined;
  const zone = m[7];
  if (zone === undefined) return fromWallClock(y, mo, d, h, mi, sec, timeZone);
  if (m[4] === undefined) return undefined; // an offset on a bare date makes no sense
  const utc = Date.UTC(y, mo - 1, d, h, mi, sec);
  if (zone === 'Z') return utc;
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!z) return undefined;
  const off = (Number(z[2]) * 60 + Number(z[3])) * 60_000 * (z[1] === '-' ? -1 : 1);
  return utc - off;
}

/** ISO 8601 with the zone's offset, e.g. 2026-11-23T18:00:00+08:00. */
export function formatVenueTime(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  const off = Math.round(offsetAt(epochMs, timeZone) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return (
    `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
    `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`
  );
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

export function isValidDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export type LeapDayRule = 'mar-1' | 'feb-28';

/**
 * Age in completed years on the local date `today` (YYYY-MM-DD) of someone born on `birthDate`.
 * Partial birth dates (MRZ with unknown day or month: 'YYYY-MM', 'YYYY', or 'XX'/'00' parts) are read as
 * the LATEST possible date, so an adults-only check never lets an unknown day pass early.
 * Someone born on 29 February has their birthday on 1 March ('mar-1') or 28 February ('feb-28') in
 * non-leap years. Returns undefined when the birth date cannot be read or lies after `today`.
 */
export function ageOn(birthDate: string, today: string, leapDay: LeapDayRule = 'mar-1'): number | undefined {
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!t) return undefined;
  const [ty, tm, td] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const b = /^(\d{4})(?:-(\d{2}|XX|xx)(?:-(\d{2}|XX|xx))?)?$/.exec(birthDate.trim());
  if (!b) return undefined;
  const by = Number(b[1]);
  const rawM = b[2];
  const rawD = b[3];
  let bm = rawM === undefined || /x/i.test(rawM) || rawM === '00' ? 12 : Number(rawM);
  const unknownMonth = rawM === undefined || /x/i.test(rawM) || rawM === '00';
  if (bm < 1 || bm > 12) return undefined;
  let bd =
    unknownMonth || rawD === undefined || /x/i.test(rawD) || rawD === '00'
      ? daysInMonth(by, bm)
      : Number(rawD);
  if (!isValidDate(by, bm, bd)) return undefined;
  let age = ty - by;
  // The birthday in year `ty`:
  if (bm === 2 && bd === 29 && !isLeapYear(ty)) {
    if (leapDay === 'mar-1') {
      bm = 3;
      bd = 1;
    } else {
      bd = 28;
    }
  }
  if (tm < bm || (tm === bm && td < bd)) age -= 1;
  return age < 0 ? undefined : age;
}
