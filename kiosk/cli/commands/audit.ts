// `eid-kiosk audit ...`: verify an event store (chain, signatures, seq continuity), show its events, its
// sync state. Reads the store read-only; never needs the terminal's private key.
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { verifyStoreFile, rowToEvent } from '../../audit/store.ts';
import { isKioskError } from '../../shared/errors.ts';
import type { CliIo } from '../io.ts';

const USAGE = [
  'usage: eid-kiosk audit verify DB [--public-key KEY] [--json]   check chain, signatures, seq continuity',
  '       eid-kiosk audit show DB [--from SEQ] [--limit N]        print events as JSON lines',
  '       eid-kiosk audit status DB                                seq range, acknowledged seq, backlog',
];

function usage(io: CliIo, why: string): number {
  io.err(`E_CLI_USAGE: ${why}`);
  for (const l of USAGE) io.err(l);
  return 2;
}

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        'public-key': { type: 'string' },
        json: { type: 'boolean', default: false },
        from: { type: 'string', default: '0' },
        limit: { type: 'string', default: '100' },
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const db = parsed.positionals[0];
  if (!sub || sub === '--help' || sub === 'help') return usage(io, 'a subcommand is required');
  if (!db) return usage(io, 'the store file (DB) is required');
  try {
    switch (sub) {
      case 'verify': {
        const v = verifyStoreFile(db, parsed.values['public-key']);
        if (parsed.values.json) io.out(JSON.stringify(v));
        else {
          const range = v.count > 0 ? `seq ${v.firstSeq}..${v.lastSeq}` : 'no events kept';
          if (v.ok)
            io.out(
              `OK: ${v.count} events, ${range}, terminal ${v.terminalId}; chain, signatures and seq continuity verified`,
            );
          else {
            io.out(
              `FAIL: ${v.problems.length} problem(s) in ${v.count} events (${range}), terminal ${v.terminalId}`,
            );
            for (const p of v.problems.slice(0, 20)) io.out(`  seq ${p.seq}: ${p.fault}: ${p.message}`);
          }
        }
        return v.ok ? 0 : 1;
      }
      case 'show':
      case 'status': {
        const d = new Database(db, { readonly: true, fileMustExist: true });
        try {
          const terminalId =
            d.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'terminalId'").get()
              ?.value ?? '?';
          if (sub === 'show') {
            const from = Number(parsed.values.from);
            const limit = Number(parsed.values.limit);
            if (!Number.isInteger(from) || !Number.isInteger(limit) || limit < 1)
              return usage(io, '--from/--limit must be integers');
            const rows = d
              .prepare('SELECT * FROM events WHERE seq >= ? ORDER BY seq LIMIT ?')
              .all(from, limit);
            for (const r of rows)
              io.out(JSON.stringify(rowToEvent(terminalId, r as Parameters<typeof rowToEvent>[1])));
            return 0;
          }
          const range = d
            .prepare<[], { lo: number | null; hi: number | null; n: number }>(
              'SELECT MIN(seq) AS lo, MAX(seq) AS hi, COUNT(*) AS n FROM events',
            )
            .get();
          const ack = d
            .prepare<[], { acked_seq: number; acked_at: number | null }>(
              'SELECT acked_seq, acked_at FROM sync_state',
            )
            .get();
          const anchor = d.prepare<[], { seq: number }>('SELECT seq FROM purge_anchor').get();
          io.out(
            JSON.stringify({
              terminalId,
              events: range?.n ?? 0,
              firstSeq: range?.lo ?? null,
              lastSeq: range?.hi ?? null,
              purgedThroughSeq: anchor?.seq ?? 0,
              ackedSeq: ack?.acked_seq ?? 0,
              ackedAt: ack?.acked_at ?? null,
              backlog: (range?.hi ?? 0) - (ack?.acked_seq ?? 0),
            }),
          );
          return 0;
        } finally {
          d.close();
        }
      }
      default:
        return usage(io, `unknown subcommand '${sub}'`);
    }
  } catch (e) {
    if (isKioskError(e)) {
      io.err(`${e.code}: ${e.message}`);
      return 1;
    }
    io.err(`E_AUDIT_STORE_CORRUPT: cannot read ${db}: ${(e as Error).message}`);
    return 1;
  }
}
