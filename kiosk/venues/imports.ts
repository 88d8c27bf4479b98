// Imports of tickets, ban lists and bookings from CSV or JSON text, or from an HTTP feed. All or nothing:
// every row is validated first, every problem is reported by line (CSV) or item (JSON), and only a file
// without problems is written, in one transaction.
import { KioskError } from '../shared/errors.ts';
import { columns, parseCsv, type CsvRecord } from './csv.ts';
import type { VenueDb } from './state.ts';
import { parseVenueTime } from './time.ts';

export type ImportKind = 'tickets' | 'bans' | 'bookings';

export interface ImportProblem {
  /** 'line 7' for CSV, 'item 3' for JSON, 'feed' for the transport. */
  readonly where: string;
  readonly message: string;
}

export type ImportReport =
  | { readonly ok: true; readonly kind: ImportKind; readonly count: number }
  | { readonly ok: false; readonly kind: ImportKind; readonly problems: readonly ImportProblem[] };

export interface ImportOptions {
  readonly timeZone: string;
  readonly now: number;
  /** 'auto' looks at the first character: '[' or '{' is JSON, anything else CSV. */
  readonly format?: 'csv' | 'json' | 'auto';
}

const PSEUDONYM = /^[A-Za-z0-9_-]{32,128}$/;
const PSEUDONYM_HINT =
  'pseudonym must be 32-128 characters of [A-Za-z0-9_-] (real document numbers? run `eid-kiosk tickets pseudonymise`)';

interface Ticket {
  ticket_id: string;
  pseudonym: string;
  event: string;
  gate: string;
  valid_from: number;
  valid_to: number;
  reentry: number;
}
interface Ban {
  pseudonym: string;
  reason: string;
  until: number | null;
}
interface Booking {
  ref: string;
  room: string;
  expected_guests: number;
  arrival: string;
  departure: string;
  pseudonyms: string[];
}

const SPEC = {
  tickets: {
    required: ['ticket_id', 'pseudonym', 'event', 'valid_from', 'valid_to'],
    optional: ['gate', 'reentry'],
  },
  bans: { required: ['pseudonym'], optional: ['reason', 'until'] },
  bookings: {
    required: ['booking_ref', 'room', 'guests', 'arrival', 'departure'],
    optional: ['guest_pseudonyms'],
  },
} as const;

type Row = Readonly<Record<string, string>>;
type Validated = Ticket | Ban | Booking;

function parseBool(v: string): boolean | undefined {
  const s = v.trim().toLowerCase();
  if (s === '' || s === '0' || s === 'false' || s === 'no') return false;
  if (s === '1' || s === 'true' || s === 'yes') return true;
  return undefined;
}

function validateRow(
  kind: ImportKind,
  row: Row,
  opts: ImportOptions,
  problems: string[],
  time: (text: string) => number | undefined,
): Validated | undefined {
  const text = (k: string, max = 128): string => {
    const v = (row[k] ?? '').trim();
    if (v.length > max) problems.push(`${k} longer than ${max} characters`);
    return v;
  };
  const need = (k: string, max = 128): string => {
    const v = text(k, max);
    if (v === '') problems.push(`${k} is empty`);
    return v;
  };
  const pseudonym = (v: string): string => {
    if (v !== '' && !PSEUDONYM.test(v)) problems.push(PSEUDONYM_HINT);
    return v;
  };
  if (kind === 'tickets') {
    const t = {
      ticket_id: need('ticket_id'),
      pseudonym: pseudonym(need('pseudonym')),
      event: need('event'),
      gate: text('gate'),
      valid_from: NaN,
      valid_to: NaN,
      reentry: 0,
    };
    const from = time(row['valid_from'] ?? '');
    const to = time(row['valid_to'] ?? '');
    if (from === undefined) problems.push(`valid_from '${row['valid_from'] ?? ''}' is not a time`);
    if (to === undefined) problems.push(`valid_to '${row['valid_to'] ?? ''}' is not a time`);
    if (from !== undefined && to !== undefined && to <= from)
      problems.push('valid_to is not after valid_from');
    const re = parseBool(row['reentry'] ?? '');
    if (re === undefined) problems.push(`reentry '${row['reentry'] ?? ''}' is not yes/no`);
    t.valid_from = from ?? NaN;
    t.valid_to = to ?? NaN;
    t.reentry = re ? 1 : 0;
    return problems.length ? undefined : t;
  }
  if (kind === 'bans') {
    const b: Ban = { pseudonym: pseudonym(need('pseudonym')), reason: text('reason', 500), until: null };
    const u = (row['until'] ?? '').trim();
    if (u !== '') {
      const t = time(u);
      if (t === undefined) problems.push(`until '${u}' is not a time`);
      else b.until = t;
    }
    return problems.length ? undefined : b;
  }
  const b: Booking = {
    ref: need('booking_ref'),
    room: need('room', 32),
    expected_guests: 0,
    arrival: need('arrival'),
    departure: need('departure'),
    pseudonyms: [],
  };
  const g = (row['guests'] ?? '').trim();
  if (!/^\d{1,2}$/.test(g) || Number(g) < 1 || Number(g) > 20) problems.push(`guests '${g}' is not 1-20`);
  else b.expected_guests = Number(g);
  for (const k of ['arrival', 'departure'] as const) {
    const v = b[k];
    if (v !== '' && (!/^\d{4}-\d{2}-\d{2}$/.test(v) || time(v) === undefined)) {
      problems.push(`${k} '${v}' is not a date YYYY-MM-DD`);
    }
  }
  if (b.arrival && b.departure && b.departure <= b.arrival) problems.push('departure is not after arrival');
  const list = (row['guest_pseudonyms'] ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const p of list) pseudonym(p);
  if (new Set(list).size !== list.length) problems.push('guest_pseudonyms lists someone twice');
  if (b.expected_guests && list.length > b.expected_guests)
    problems.push('more guest_pseudonyms than guests');
  b.pseudonyms = list;
  return problems.length ? undefined : b;
}

function keyOf(kind: ImportKind, v: Validated): string {
  if (kind === 'tickets') return (v as Ticket).ticket_id;
  if (kind === 'bans') return (v as Ban).pseudonym;
  return (v as Booking).ref;
}

/** Validates import text; returns the rows or every problem. Writes nothing. */
export function validateImport(
  kind: ImportKind,
  text: string,
  opts: ImportOptions,
): { rows: Validated[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const entries: { where: string; row: Row }[] = [];
  const format = opts.format && opts.format !== 'auto' ? opts.format : /^\s*[[{]/.test(text) ? 'json' : 'csv';
  const spec = SPEC[kind];
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return { rows: [], problems: [{ where: 'feed', message: `not valid JSON: ${(e as Error).message}` }] };
    }
    const items = Array.isArray(data) ? data : (data as Record<string, unknown> | null)?.[kind];
    if (!Array.isArray(items)) {
      return { rows: [], problems: [{ where: 'feed', message: `expected an array or {"${kind}": [...]}` }] };
    }
    const known = new Set<string>([...spec.required, ...spec.optional]);
    items.forEach((item: unknown, i) => {
      const where = `item ${i + 1}`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        problems.push({ where, message: 'not an object' });
        return;
      }
      const row: Record<string, string> = {};
      for (const [k, v] of Object.entries(item)) {
        if (!known.has(k)) problems.push({ where, message: `unknown field '${k}'` });
        else if (Array.isArray(v) && k === 'guest_pseudonyms') row[k] = v.map(String).join(';');
        else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') row[k] = String(v);
        else if (v !== null) problems.push({ where, message: `field '${k}' is not a string or number` });
      }
      for (const r of spec.required)
        if (!(r in row)) problems.push({ where, message: `missing field '${r}'` });
      entries.push({ where, row });
    });
  } else {
    const { records, problems: csvProblems } = parseCsv(text);
    for (const p of csvProblems) problems.push({ where: `line ${p.line}`, message: p.message });
    const [header, ...body] = records;
    if (!header) {
      if (!problems.length) problems.push({ where: 'line 1', message: 'no header row' });
      return { rows: [], problems };
    }
    const { index, problems: hp } = columns<string>(header, spec.required, spec.optional);
    for (const p of hp) problems.push({ where: `line ${p.line}`, message: p.message });
    if (hp.length) return { rows: [], problems: sortProblems(problems) };
    body.forEach((rec: CsvRecord) => {
      const where = `line ${rec.line}`;
      if (rec.cells.length !== header.cells.length) {
        problems.push({
          where,
          message: `${rec.cells.length} fields, the header has ${header.cells.length}`,
        });
        return;
      }
      const row: Record<string, string> = {};
      for (const [name, i] of Object.entries(index)) if (i !== undefined) row[name] = rec.cells[i] ?? '';
      entries.push({ where, row });
    });
  }
  const rows: Validated[] = [];
  const seen = new Map<string, string>();
  // Feeds repeat the same few times (one entry window per event): parse each distinct text once.
  const times = new Map<string, number | undefined>();
  const time = (text: string): number | undefined => {
    if (!times.has(text)) times.set(text, parseVenueTime(text, opts.timeZone));
    return times.get(text);
  };
  for (const { where, row } of entries) {
    const rowProblems: string[] = [];
    const v = validateRow(kind, row, opts, rowProblems, time);
    for (const message of rowProblems) problems.push({ where, message });
    if (!v) continue;
    const key = keyOf(kind, v);
    const first = seen.get(key);
    if (first) problems.push({ where, message: `duplicate of ${first}` });
    else {
      seen.set(key, where);
      rows.push(v);
    }
  }
  if (!entries.length && !problems.length) problems.push({ where: 'feed', message: 'no rows' });
  return { rows, problems: sortProblems(problems) };
}

function sortProblems(p: ImportProblem[]): ImportProblem[] {
  const n = (w: string): number => Number(/\d+/.exec(w)?.[0] ?? 0);
  return [...p].sort((a, b) => n(a.where) - n(b.where));
}

function write(db: VenueDb, kind: ImportKind, rows: Validated[], now: number): void {
  if (kind === 'tickets') {
    const stmt = db.prepare(
      `INSERT INTO tickets (ticket_id, pseudonym, event, gate, valid_from, valid_to, reentry, imported_at)
       VALUES (@ticket_id, @pseudonym, @event, @gate, @valid_from, @valid_to, @reentry, @now)
       ON CONFLICT(ticket_id) DO UPDATE SET pseudonym = excluded.pseudonym, event = excluded.event,
         gate = excluded.gate, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
         reentry = excluded.reentry, imported_at = excluded.imported_at`,
    );
    for (const r of rows) stmt.run({ ...(r as Ticket), now });
  } else if (kind === 'bans') {
    // The ban list is replaced as a whole: the venue's list is the authority.
    db.prepare('DELETE FROM bans').run();
    const stmt = db.prepare(
      'INSERT INTO bans (pseudonym, reason, until, imported_at) VALUES (@pseudonym, @reason, @until, @now)',
    );
    for (const r of rows) stmt.run({ ...(r as Ban), now });
  } else {
    const stmt = db.prepare(
      `INSERT INTO bookings (ref, room, expected_guests, arrival, departure, imported_at)
       VALUES (@ref, @room, @expected_guests, @arrival, @departure, @now)
       ON CONFLICT(ref) DO UPDATE SET room = excluded.room, expected_guests = excluded.expected_guests,
         arrival = excluded.arrival, departure = excluded.departure, imported_at = excluded.imported_at`,
    );
    const clearNames = db.prepare('DELETE FROM booking_names WHERE ref = ?');
    const addName = db.prepare('INSERT INTO booking_names (ref, pseudonym) VALUES (?, ?)');
    for (const r of rows) {
      const { pseudonyms, ...b } = r as Booking;
      stmt.run({ ...b, now });
      clearNames.run(b.ref);
      for (const p of pseudonyms) addName.run(b.ref, p);
    }
  }
}

/** Validates and, only if every row is valid, writes the import in one transaction. */
export function importText(db: VenueDb, kind: ImportKind, text: string, opts: ImportOptions): ImportReport {
  const { rows, problems } = validateImport(kind, text, opts);
  if (problems.length) return { ok: false, kind, problems };
  db.transaction(() => write(db, kind, rows, opts.now))();
  return { ok: true, kind, count: rows.length };
}

/** Fetches a feed (CSV or JSON, by Content-Type or content) and imports it; a failed fetch imports nothing. */
export async function importFromUrl(
  db: VenueDb,
  kind: ImportKind,
  url: string,
  opts: ImportOptions & { readonly fetch?: typeof fetch; readonly timeoutMs?: number },
): Promise<ImportReport> {
  const f = opts.fetch ?? fetch;
  let text: string;
  let format: 'csv' | 'json' | 'auto' = 'auto';
  try {
    const res = await f(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000) });
    if (!res.ok) {
      return { ok: false, kind, problems: [{ where: 'feed', message: `HTTP ${res.status} from ${url}` }] };
    }
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('json')) format = 'json';
    else if (type.includes('csv')) format = 'csv';
    text = await res.text();
  } catch (e) {
    return {
      ok: false,
      kind,
      problems: [{ where: 'feed', message: `cannot fetch ${url}: ${(e as Error).message}` }],
    };
  }
  return importText(db, kind, text, { ...opts, format });
}

/** Turns a failed report into the typed error (for callers that throw). */
export function importError(report: ImportReport): KioskError | undefined {
  if (report.ok) return undefined;
  const code =
    report.problems.length === 1 &&
    report.problems[0]?.where === 'feed' &&
    /^(cannot fetch|HTTP )/.test(report.problems[0].message)
      ? 'E_VENUE_IMPORT_UNREACHABLE'
      : 'E_VENUE_IMPORT_INVALID';
  return new KioskError(
    code,
    `${report.kind} import refused, nothing imported:\n` +
      report.problems.map((p) => `  ${p.where}: ${p.message}`).join('\n'),
  );
}
