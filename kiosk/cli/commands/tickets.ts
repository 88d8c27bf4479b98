// `eid-kiosk tickets ...`: real-name tickets and the ban list for the stadium-gate profile (docs/venues.md).
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pseudonymOf } from '../../audit/record.ts';
import { columns, formatCsv, parseCsv } from '../../venues/csv.ts';
import {
  importError,
  importFromUrl,
  importText,
  type ImportKind,
  type ImportReport,
} from '../../venues/imports.ts';
import { readVenueSecret } from '../../venues/secret.ts';
import { openVenueDb } from '../../venues/state.ts';
import { entriesThroughput } from '../../venues/stadium/stadium-gate.ts';
import { venueSection } from '../../../config/schema/venue.ts';
import { commandFailure } from '../io.ts';
import type { CliIo } from '../io.ts';

const USAGE = [
  'usage:',
  '  eid-kiosk tickets pseudonymise --secret-file F IN.csv OUT.csv [--column document_number]',
  '      replace the real document-number column of a ticket or ban list with the venue pseudonym',
  '  eid-kiosk tickets import FILE|URL --db DB [--time-zone Asia/Shanghai]   (CSV or JSON; all or nothing)',
  '  eid-kiosk tickets bans FILE|URL --db DB [--time-zone Asia/Shanghai]     (replaces the ban list)',
  '  eid-kiosk tickets throughput --db DB [--minutes 15]                      (entries per minute)',
];

function usage(io: CliIo, why?: string): number {
  if (why) io.err(`E_CLI_USAGE: ${why}`);
  for (const l of USAGE) io.err(l);
  return 2;
}

/** Pseudonymises a CSV: the `column` of real numbers becomes `pseudonym`. All rows or nothing. */
export function pseudonymiseCsv(
  text: string,
  secret: Uint8Array,
  column = 'document_number',
): { ok: true; csv: string; rows: number } | { ok: false; problems: string[] } {
  const { records, problems: csvProblems } = parseCsv(text);
  const problems = csvProblems.map((p) => `line ${p.line}: ${p.message}`);
  const [header, ...body] = records;
  if (!header) return { ok: false, problems: [...problems, 'line 1: no header row'] };
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const { index } = columns(
    header,
    [column],
    names.filter((n) => n !== column),
  );
  const col = index[column];
  if (col === undefined)
    return { ok: false, problems: [...problems, `line ${header.line}: missing column '${column}'`] };
  if (names.includes('pseudonym')) {
    return { ok: false, problems: [...problems, `line ${header.line}: already has a 'pseudonym' column`] };
  }
  const out: string[][] = [names.map((n, i) => (i === col ? 'pseudonym' : (header.cells[i] ?? n)))];
  for (const rec of body) {
    if (rec.cells.length !== header.cells.length) {
      problems.push(`line ${rec.line}: ${rec.cells.length} fields, the header has ${header.cells.length}`);
      continue;
    }
    const number = (rec.cells[col] ?? '').trim();
    if (number === '' || !/[0-9A-Za-z]/.test(number)) {
      problems.push(`line ${rec.line}: ${column} is empty`);
      continue;
    }
    out.push(rec.cells.map((c, i) => (i === col ? pseudonymOf(secret, number) : c)));
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, csv: formatCsv(out), rows: out.length - 1 };
}

async function runImport(kind: ImportKind, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { db: { type: 'string' }, 'time-zone': { type: 'string' } },
  });
  const source = positionals[0];
  if (!source || !values.db || positionals.length > 1)
    return usage(io, `${kind} import needs FILE|URL and --db`);
  const tz = venueSection.parse({ timeZone: values['time-zone'] ?? 'Asia/Shanghai' }).timeZone;
  const db = openVenueDb(values.db);
  try {
    const opts = { timeZone: tz, now: Date.now() };
    let report: ImportReport;
    if (/^https?:\/\//.test(source)) report = await importFromUrl(db, kind, source, opts);
    else report = importText(db, kind, readFileSync(source, 'utf8'), opts);
    if (!report.ok) {
      const e = importError(report);
      io.err(`${e?.code}: ${e?.message}`);
      return 1;
    }
    io.out(`imported ${report.count} ${kind}`);
    return 0;
  } finally {
    db.close();
  }
}

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'pseudonymise':
      case 'pseudonymize': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { 'secret-file': { type: 'string' }, column: { type: 'string' } },
        });
        const [input, output] = positionals;
        if (!values['secret-file'] || !input || !output || positionals.length !== 2) {
          return usage(io, 'pseudonymise needs --secret-file F IN.csv OUT.csv');
        }
        const secret = readVenueSecret(values['secret-file']);
        const r = pseudonymiseCsv(readFileSync(input, 'utf8'), secret, values.column ?? 'document_number');
        secret.fill(0);
        if (!r.ok) {
          io.err(`E_VENUE_IMPORT_INVALID: ${input} has malformed rows; nothing was written:`);
          for (const p of r.problems) io.err(`  ${p}`);
          return 1;
        }
        const tmp = `${output}.tmp-${process.pid}`;
        writeFileSync(tmp, r.csv, { mode: 0o644 });
        renameSync(tmp, output);
        io.out(`pseudonymised ${r.rows} rows → ${output}`);
        return 0;
      }
      case 'import':
        return await runImport('tickets', rest, io);
      case 'bans':
        return await runImport('bans', rest, io);
      case 'throughput': {
        const { values } = parseArgs({
          args: rest,
          options: { db: { type: 'string' }, minutes: { type: 'string' } },
        });
        if (!values.db) return usage(io, 'throughput needs --db');
        const minutes = Number(values.minutes ?? 15);
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
          return usage(io, '--minutes 1..1440');
        const db = openVenueDb(values.db);
        try {
          io.out(JSON.stringify(entriesThroughput(db, Date.now(), minutes)));
          return 0;
        } finally {
          db.close();
        }
      }
      default:
        return usage(io, sub === undefined ? undefined : `unknown subcommand '${sub}'`);
    }
  } catch (e) {
    return commandFailure(e, io, usage);
  }
}
