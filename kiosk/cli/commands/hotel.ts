// `eid-kiosk hotel ...`: bookings for the hotel-front-desk profile and the guest-record export for the
// venue's reporting duty (docs/venues.md, "Hotel guest records").
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { x25519PrivateFromPem } from '../../audit/crypto.ts';
import { venueSection } from '../../../config/schema/venue.ts';
import { importError, importFromUrl, importText, type ImportReport } from '../../venues/imports.ts';
import { openVenueDb } from '../../venues/state.ts';
import { parseGuestRecordsJsonl, recordsInPeriod, toCsv, toJson } from '../../venues/hotel/export.ts';
import type { GuestRecord } from '../../venues/hotel/guest-record.ts';
import { openGuestRecord } from '../../venues/hotel/seal.ts';
import { commandFailure } from '../io.ts';
import type { CliIo } from '../io.ts';

const USAGE = [
  'usage:',
  '  eid-kiosk hotel bookings FILE|URL --db DB [--time-zone TZ]          import bookings (CSV or JSON; all or nothing)',
  '  eid-kiosk hotel sealed --db DB [--out FILE]                          pending sealed guest records as JSON lines',
  '  eid-kiosk hotel export --from YYYY-MM-DD --to YYYY-MM-DD',
  '      (--in RECORDS.jsonl | --sealed SEALED.jsonl --key BACKEND-X25519.pem)',
  '      [--format csv|json] [--out FILE] [--time-zone TZ] [--venue-id ID]',
];

function usage(io: CliIo, why?: string): number {
  if (why) io.err(`E_CLI_USAGE: ${why}`);
  for (const l of USAGE) io.err(l);
  return 2;
}

function writeOut(io: CliIo, out: string | undefined, text: string): void {
  if (!out) {
    io.out(text.replace(/\r?\n$/, ''));
    return;
  }
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 }); // personal data: owner only
  renameSync(tmp, out);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'bookings': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { db: { type: 'string' }, 'time-zone': { type: 'string' } },
        });
        const source = positionals[0];
        if (!source || !values.db || positionals.length > 1)
          return usage(io, 'bookings needs FILE|URL and --db');
        const tz = venueSection.parse({ timeZone: values['time-zone'] ?? 'Asia/Shanghai' }).timeZone;
        const db = openVenueDb(values.db);
        try {
          const opts = { timeZone: tz, now: Date.now() };
          const report: ImportReport = /^https?:\/\//.test(source)
            ? await importFromUrl(db, 'bookings', source, opts)
            : importText(db, 'bookings', readFileSync(source, 'utf8'), opts);
          if (!report.ok) {
            const e = importError(report);
            io.err(`${e?.code}: ${e?.message}`);
            return 1;
          }
          io.out(`imported ${report.count} bookings`);
          return 0;
        } finally {
          db.close();
        }
      }
      case 'sealed': {
        const { values } = parseArgs({
          args: rest,
          options: { db: { type: 'string' }, out: { type: 'string' } },
        });
        if (!values.db) return usage(io, 'sealed needs --db');
        const db = openVenueDb(values.db);
        try {
          const rows = db
            .prepare('SELECT blob FROM sealed_records WHERE synced_at IS NULL AND kind = ? ORDER BY id')
            .all('hotel.guest') as { blob: string }[];
          writeOut(io, values.out, rows.map((r) => r.blob + '\n').join(''));
          if (values.out) io.out(`${rows.length} sealed records → ${values.out}`);
          return 0;
        } finally {
          db.close();
        }
      }
      case 'export': {
        const { values } = parseArgs({
          args: rest,
          options: {
            from: { type: 'string' },
            to: { type: 'string' },
            in: { type: 'string' },
            sealed: { type: 'string' },
            key: { type: 'string' },
            format: { type: 'string' },
            out: { type: 'string' },
            'time-zone': { type: 'string' },
            'venue-id': { type: 'string' },
          },
        });
        const { from, to } = values;
        if (!from || !to || !DATE.test(from) || !DATE.test(to) || to < from) {
          return usage(io, 'export needs --from and --to as YYYY-MM-DD, from ≤ to');
        }
        const format = values.format ?? 'csv';
        if (format !== 'csv' && format !== 'json') return usage(io, '--format csv|json');
        if (Boolean(values.in) === Boolean(values.sealed) || (values.sealed && !values.key)) {
          return usage(io, 'give either --in RECORDS.jsonl or --sealed SEALED.jsonl with --key');
        }
        const tz = venueSection.parse({ timeZone: values['time-zone'] ?? 'Asia/Shanghai' }).timeZone;
        let records: GuestRecord[];
        if (values.in) {
          records = parseGuestRecordsJsonl(readFileSync(values.in, 'utf8'));
        } else {
          const key = x25519PrivateFromPem(readFileSync(values.key!, 'utf8'));
          records = [];
          readFileSync(values.sealed!, 'utf8')
            .split(/\r?\n/)
            .forEach((line, i) => {
              if (line.trim() !== '') records.push(openGuestRecord(key, line, `line ${i + 1}`));
            });
        }
        const chosen = recordsInPeriod(records, from, to, tz);
        const text =
          format === 'csv'
            ? toCsv(chosen)
            : toJson(chosen, {
                venueId: values['venue-id'] ?? chosen[0]?.venueId ?? '',
                from,
                to,
                generatedAt: new Date().toISOString(),
                timeZone: tz,
              });
        writeOut(io, values.out, text);
        if (values.out) io.out(`exported ${chosen.length} guest records (${from}..${to}) → ${values.out}`);
        return 0;
      }
      default:
        return usage(io, sub === undefined ? undefined : `unknown subcommand '${sub}'`);
    }
  } catch (e) {
    return commandFailure(e, io, usage);
  }
}
