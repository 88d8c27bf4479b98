// Ticket and ban imports into a real SQLite file: from CSV, from an HTTP feed on 127.0.0.1, and through
// the CLI (`tickets pseudonymise`, `tickets import`).
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../kiosk/cli/io.ts';
import { run as tickets } from '../../../kiosk/cli/commands/tickets.ts';
import { pseudonymOf } from '../../../kiosk/audit/record.ts';
import { importError, importFromUrl, importText } from '../../../kiosk/venues/imports.ts';
import { openVenueDb } from '../../../kiosk/venues/state.ts';
import { SECRET, testPseudonym, tmpDb } from '../../fixtures/venues/helpers.ts';

const OPTS = { timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 10, 23) };
const P1 = testPseudonym('11010519491231002X');
const P2 = testPseudonym('E12345678');

const GOOD = [
  'ticket_id,pseudonym,event,gate,valid_from,valid_to',
  `T1,${P1},final,A,2026-11-23 17:00,2026-11-23 20:00`,
  `T2,${P2},final,B,2026-11-23T17:00:00+08:00,2026-11-23T20:00:00+08:00`,
].join('\r\n');

const BAD = [
  'ticket_id,pseudonym,event,gate,valid_from,valid_to', // line 1
  `T1,${P1},final,A,2026-11-23 17:00,2026-11-23 20:00`, // 2 ok
  `T2,11010519491231002X,final,A,2026-11-23 17:00,2026-11-23 20:00`, // 3 real number, not a pseudonym
  `T3,${P2},final,A,2026-11-23 17:00`, // 4 too few fields
  `T4,${P2},final,A,2026-11-23 21:00,2026-11-23 20:00`, // 5 window backwards
  '', // 6 blank: skipped
  `T1,${P2},final,A,2026-11-23 17:00,2026-11-23 20:00`, // 7 duplicate ticket id
  `T5,${P2},,A,yesterday,2026-11-23 20:00`, // 8 empty event, bad time
  `"T6,${P2},final,A,2026-11-23 17:00,2026-11-23 20:00`, // 9 unclosed quote (runs to the end)
].join('\n');

function count(path: string, table: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('ticket import from CSV', () => {
  it('imports a good file into the SQLite state', () => {
    const path = tmpDb();
    const db = openVenueDb(path);
    expect(importText(db, 'tickets', GOOD, OPTS)).toEqual({ ok: true, kind: 'tickets', count: 2 });
    const row = db.prepare('SELECT * FROM tickets WHERE ticket_id = ?').get('T2') as Record<string, unknown>;
    expect(row['valid_from']).toBe(Date.UTC(2026, 10, 23, 9));
    db.close();
    expect(count(path, 'tickets')).toBe(2);
  });

  it('reports every malformed row by line and imports nothing', () => {
    const path = tmpDb();
    const db = openVenueDb(path);
    const r = importText(db, 'tickets', BAD, OPTS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.problems.map((p) => p.where);
    expect(lines).toEqual(
      expect.arrayContaining(['line 3', 'line 4', 'line 5', 'line 7', 'line 8', 'line 9']),
    );
    expect(lines).not.toContain('line 2');
    expect(lines).not.toContain('line 6');
    const msg = (l: string) =>
      r.problems
        .filter((p) => p.where === l)
        .map((p) => p.message)
        .join(' | ');
    expect(msg('line 3')).toContain('pseudonymise');
    expect(msg('line 4')).toContain('5 fields, the header has 6');
    expect(msg('line 5')).toContain('valid_to is not after valid_from');
    expect(msg('line 7')).toContain('duplicate of line 2');
    expect(msg('line 8')).toMatch(/event is empty.*valid_from 'yesterday' is not a time/);
    expect(msg('line 9')).toContain('not closed');
    expect(importError(r)?.code).toBe('E_VENUE_IMPORT_INVALID');
    db.close();
    expect(count(path, 'tickets')).toBe(0);
  });

  it('leaves earlier imports untouched when a later file is bad', () => {
    const path = tmpDb();
    const db = openVenueDb(path);
    expect(importText(db, 'tickets', GOOD, OPTS).ok).toBe(true);
    const changed =
      GOOD.replace('final,A', 'final,C') + '\nT9,short,final,A,2026-11-23 17:00,2026-11-23 20:00';
    expect(importText(db, 'tickets', changed, OPTS).ok).toBe(false);
    expect(
      (db.prepare("SELECT gate FROM tickets WHERE ticket_id = 'T1'").get() as { gate: string }).gate,
    ).toBe('A');
    db.close();
  });

  it('rejects unknown and missing columns at the header line', () => {
    const db = openVenueDb(':memory:');
    const r = importText(db, 'tickets', 'ticket,pseudonym,event,valid_from,valid_to\nT1,x,y,z,w\n', OPTS);
    expect(r.ok ? [] : r.problems).toEqual([
      { where: 'line 1', message: "unknown column 'ticket'" },
      { where: 'line 1', message: "missing column 'ticket_id'" },
    ]);
    db.close();
  });
});

describe('ticket import from an HTTP feed on 127.0.0.1', () => {
  let server: Server;
  let base = '';
  const routes: Record<string, { status: number; type: string; body: string }> = {
    '/tickets.csv': { status: 200, type: 'text/csv', body: GOOD },
    '/bad.csv': { status: 200, type: 'text/csv; charset=utf-8', body: BAD },
    '/tickets.json': {
      status: 200,
      type: 'application/json',
      body: JSON.stringify({
        tickets: [
          {
            ticket_id: 'J1',
            pseudonym: P1,
            event: 'final',
            gate: 'A',
            valid_from: '2026-11-23 17:00',
            valid_to: '2026-11-23 20:00',
          },
          {
            ticket_id: 'J2',
            pseudonym: P2,
            event: 'final',
            valid_from: '2026-11-23 17:00',
            valid_to: '2026-11-23 20:00',
            reentry: true,
          },
        ],
      }),
    },
    '/bad.json': {
      status: 200,
      type: 'application/json',
      body: JSON.stringify([
        {
          ticket_id: 'J1',
          pseudonym: P1,
          event: 'final',
          valid_from: '2026-11-23 17:00',
          valid_to: '2026-11-23 20:00',
        },
        { ticket_id: 'J2', pseudonym: P2, event: 'final', valid_from: '2026-11-23 17:00', seat: '12' },
        'nonsense',
      ]),
    },
    '/down': { status: 503, type: 'text/plain', body: 'maintenance' },
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const r = routes[req.url ?? ''] ?? { status: 404, type: 'text/plain', body: 'no' };
      res.writeHead(r.status, { 'content-type': r.type }).end(r.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('imports CSV and JSON feeds', async () => {
    const db = openVenueDb(tmpDb());
    expect(await importFromUrl(db, 'tickets', `${base}/tickets.csv`, OPTS)).toMatchObject({
      ok: true,
      count: 2,
    });
    expect(await importFromUrl(db, 'tickets', `${base}/tickets.json`, OPTS)).toMatchObject({
      ok: true,
      count: 2,
    });
    expect((db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n).toBe(4);
    expect(
      (db.prepare("SELECT reentry FROM tickets WHERE ticket_id = 'J2'").get() as { reentry: number }).reentry,
    ).toBe(1);
    db.close();
  });

  it('reports bad feeds by line or item and imports nothing; an HTTP error imports nothing', async () => {
    const db = openVenueDb(tmpDb());
    const csv = await importFromUrl(db, 'tickets', `${base}/bad.csv`, OPTS);
    expect(csv.ok ? [] : csv.problems.map((p) => p.where)).toContain('line 3');
    const json = await importFromUrl(db, 'tickets', `${base}/bad.json`, OPTS);
    expect(json.ok ? [] : json.problems).toEqual(
      expect.arrayContaining([
        { where: 'item 2', message: "unknown field 'seat'" },
        { where: 'item 2', message: "missing field 'valid_to'" },
        { where: 'item 3', message: 'not an object' },
      ]),
    );
    const down = await importFromUrl(db, 'tickets', `${base}/down`, OPTS);
    expect(down).toMatchObject({
      ok: false,
      problems: [{ where: 'feed', message: expect.stringContaining('HTTP 503') }],
    });
    expect(importError(down)?.code).toBe('E_VENUE_IMPORT_UNREACHABLE');
    expect((db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n).toBe(0);
    db.close();
  });
});

describe('CLI: tickets pseudonymise and import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickets-cli-'));
  const secretFile = join(dir, 'venue.secret');
  writeFileSync(secretFile, Buffer.concat([Buffer.from(SECRET), Buffer.from('\n')]), { mode: 0o600 });

  it('turns a real-name list into pseudonyms the kiosk computes the same way, then imports it', async () => {
    const realNames = join(dir, 'real.csv');
    writeFileSync(
      realNames,
      'ticket_id,document_number,event,gate,valid_from,valid_to\n' +
        'T1,11010519491231002X,final,A,2026-11-23 17:00,2026-11-23 20:00\n' +
        'T2,"110105 19491231 002x",final,B,2026-11-23 17:00,2026-11-23 20:00\n',
    );
    const out = join(dir, 'pseudo.csv');
    const io = memoryIo();
    expect(await tickets(['pseudonymise', '--secret-file', secretFile, realNames, out], io)).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('11010519491231002X');
    expect(text.split('\r\n')[0]).toBe('ticket_id,pseudonym,event,gate,valid_from,valid_to');
    const expected = pseudonymOf(SECRET, '11010519491231002X');
    expect(text).toContain(`T1,${expected},`);
    expect(text).toContain(`T2,${expected},`); // spaces and case normalised as the kiosk does
    const db = join(dir, 'venue.sqlite');
    const io2 = memoryIo();
    expect(await tickets(['import', out, '--db', db], io2)).toBe(0);
    expect(io2.stdout).toEqual(['imported 2 tickets']);
    expect(count(db, 'tickets')).toBe(2);
  });

  it('writes nothing when a row has no number, and reports the line', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'ticket_id,document_number,event\nT1,11010519491231002X,final\nT2,,final\nT3,E1\n');
    const out = join(dir, 'never.csv');
    const io = memoryIo();
    expect(await tickets(['pseudonymise', '--secret-file', secretFile, bad, out], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/line 3: document_number is empty[\s\S]*line 4: 2 fields/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a short secret and prints usage for bad arguments', async () => {
    const short = join(dir, 'short.secret');
    writeFileSync(short, 'abc\n');
    const io = memoryIo();
    expect(await tickets(['pseudonymise', '--secret-file', short, 'a.csv', 'b.csv'], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/^E_VENUE_SECRET_INVALID/);
    const io2 = memoryIo();
    expect(await tickets(['import', 'x.csv'], io2)).toBe(2);
    expect(io2.stderr[0]).toMatch(/^E_CLI_USAGE/);
  });

  it('imports a ban list and reports a malformed one with exit code 1', async () => {
    const db = join(dir, 'bans.sqlite');
    const good = join(dir, 'bans.csv');
    writeFileSync(good, `pseudonym,reason,until\n${P1},fight,\n${P2},,2027-01-01\n`);
    expect(await tickets(['bans', good, '--db', db], memoryIo())).toBe(0);
    expect(count(db, 'bans')).toBe(2);
    const bad = join(dir, 'bans-bad.csv');
    writeFileSync(bad, `pseudonym,reason\n${P1},x\nnot-a-pseudonym,y\n`);
    const io = memoryIo();
    expect(await tickets(['bans', bad, '--db', db], io)).toBe(1);
    expect(io.stderr[0]).toContain('E_VENUE_IMPORT_INVALID');
    expect(io.stderr[0]).toContain('line 3');
    expect(count(db, 'bans')).toBe(2); // the old list stays
    const io3 = memoryIo();
    expect(await tickets(['throughput', '--db', db, '--minutes', '5'], io3)).toBe(0);
    expect(JSON.parse(io3.stdout[0]!)).toMatchObject({ total: 0, windowMinutes: 5 });
  });
});
