// Export of unsealed hotel guest records for the venue's reporting duty to the authorities (backend side).
// Formats: CSV (RFC 4180, UTF-8, header = EXPORT_FIELDS) and JSON ({format, version, ..., records}).
// Both parse back to the same records (tests/unit/venues/hotel-export.test.ts). Pure.
import { KioskError } from '../../shared/errors.ts';
import { formatCsv, parseCsv } from '../csv.ts';
import { localDate } from '../time.ts';
import { EXPORT_FIELDS, GUEST_RECORD_KIND, guestRecordSchema, type GuestRecord } from './guest-record.ts';

export const EXPORT_FORMAT = 'eid-kiosk.hotel-guests';

export interface ExportMeta {
  readonly venueId: string;
  /** Local dates, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  readonly timeZone: string;
}

function invalid(where: string, message: string): KioskError {
  return new KioskError('E_VENUE_EXPORT_INVALID', `${where}: ${message}`);
}

/** Validates one unsealed record (from the backend's store, or from JSONL). */
export function parseGuestRecord(value: unknown, where: string): GuestRecord {
  const r = guestRecordSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw invalid(where, `${i?.path.join('.') || 'record'}: ${i?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** Reads JSON Lines of unsealed guest records (blank lines skipped). */
export function parseGuestRecordsJsonl(text: string): GuestRecord[] {
  const out: GuestRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw invalid(`line ${i + 1}`, 'not valid JSON');
    }
    out.push(parseGuestRecord(v, `line ${i + 1}`));
  });
  return out;
}

/** Records whose verification falls on a local date in [from, to] (inclusive), oldest first. */
export function recordsInPeriod(
  records: readonly GuestRecord[],
  from: string,
  to: string,
  timeZone: string,
): GuestRecord[] {
  return records
    .map((r) => ({ r, t: Date.parse(r.verifiedAt) }))
    .filter(({ r, t }) => {
      if (!Number.isFinite(t)) throw invalid(`record ${r.recordId}`, 'verifiedAt is not a time');
      const d = localDate(t, timeZone);
      return d >= from && d <= to;
    })
    .sort((a, b) => a.t - b.t || a.r.recordId.localeCompare(b.r.recordId))
    .map(({ r }) => r);
}

export function toCsv(records: readonly GuestRecord[]): string {
  const rows: string[][] = [[...EXPORT_FIELDS]];
  for (const r of records) rows.push(EXPORT_FIELDS.map((f) => (r[f] === undefined ? '' : String(r[f]))));
  return formatCsv(rows);
}

export function fromCsv(text: string): GuestRecord[] {
  const { records, problems } = parseCsv(text);
  const p = problems[0];
  if (p) throw invalid(`line ${p.line}`, p.message);
  const [header, ...body] = records;
  if (!header || header.cells.join(',') !== EXPORT_FIELDS.join(',')) {
    throw invalid('line 1', `header must be ${EXPORT_FIELDS.join(',')}`);
  }
  return body.map((rec) => {
    const o: Record<string, unknown> = { kind: GUEST_RECORD_KIND, version: 1 };
    EXPORT_FIELDS.forEach((f, i) => {
      const cell = rec.cells[i] ?? '';
      if (f === 'guestIndex' || f === 'guestCount') o[f] = /^\d+$/.test(cell) ? Number(cell) : cell;
      else if (cell !== '') o[f] = cell;
    });
    return parseGuestRecord(o, `line ${rec.line}`);
  });
}

export function toJson(records: readonly GuestRecord[], meta: ExportMeta): string {
  return (
    JSON.stringify(
      {
        format: EXPORT_FORMAT,
        version: 1,
        ...meta,
        count: records.length,
        fields: EXPORT_FIELDS,
        records: records.map((r) =>
          Object.fromEntries(EXPORT_FIELDS.filter((f) => r[f] !== undefined).map((f) => [f, r[f]])),
        ),
      },
      null,
      2,
    ) + '\n'
  );
}

export function fromJson(text: string): { meta: ExportMeta; records: GuestRecord[] } {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw invalid('export', 'not valid JSON');
  }
  if (v['format'] !== EXPORT_FORMAT || v['version'] !== 1 || !Array.isArray(v['records'])) {
    throw invalid('export', `not an ${EXPORT_FORMAT} v1 document`);
  }
  const records = (v['records'] as unknown[]).map((r, i) =>
    parseGuestRecord({ kind: GUEST_RECORD_KIND, version: 1, ...(r as object) }, `record ${i + 1}`),
  );
  const meta: ExportMeta = {
    venueId: String(v['venueId'] ?? ''),
    from: String(v['from'] ?? ''),
    to: String(v['to'] ?? ''),
    generatedAt: String(v['generatedAt'] ?? ''),
    timeZone: String(v['timeZone'] ?? ''),
  };
  return { meta, records };
}
