// Venue benchmarks: decide() per profile on a real SQLite file, ticket import of a large CSV, and one billing
// registration over HTTP on 127.0.0.1. Run: npx tsx tests/bench/venues/venues.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { generateX25519 } from '../../../kiosk/audit/crypto.ts';
import { createVenue } from '../../../kiosk/venues/index.ts';
import { guestRecordSealer } from '../../../kiosk/venues/hotel/seal.ts';
import { config, deps, doc, fakeRelay, MATCH, testPseudonym } from '../../fixtures/venues/helpers.ts';

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  const total = ms.reduce((a, b) => a + b, 0);
  return `median ${q(0.5).toFixed(3)} ms, p95 ${q(0.95).toFixed(3)} ms, ${(ms.length / (total / 1000)).toFixed(0)}/s (n=${ms.length})`;
}

async function time(n: number, f: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    out.push(performance.now() - t);
  }
  return out;
}

const NOW = Date.UTC(2026, 10, 23, 10); // 18:00 Shanghai
const TICKETS = 100_000;
const people = Array.from({ length: 2000 }, (_, i) =>
  doc({ documentNumber: `P${String(i).padStart(8, '0')}` }),
);

console.log(
  `machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}, ${new Date().toISOString()}`,
);

// stadium: import 100k tickets, then decide for 2000 holders
{
  const rows = ['ticket_id,pseudonym,event,gate,valid_from,valid_to'];
  for (let i = 0; i < TICKETS; i++) {
    const p = i < people.length ? testPseudonym(people[i]!.documentNumber) : testPseudonym(`X${i}`);
    rows.push(`T${i},${p},final,A,2026-11-23 17:00,2026-11-23 20:00`);
  }
  const csv = rows.join('\n');
  const v = createVenue(
    config({ profile: 'stadium-gate', stadiumGate: { gate: 'A' } }),
    deps({ clock: () => NOW, relay: fakeRelay({ sensor: false }) }),
  );
  const t = performance.now();
  const r = v.importText('tickets', csv);
  const ms = performance.now() - t;
  console.log(
    `stadium import: ${TICKETS} tickets CSV (${(csv.length / 1e6).toFixed(1)} MB) ok=${r.ok} in ${ms.toFixed(0)} ms (${((TICKETS / ms) * 1000).toFixed(0)} rows/s)`,
  );
  const d = await time(people.length, (i) => v.decide({ document: people[i]!, face: MATCH, now: NOW }));
  console.log(`stadium decide (ticket + ban lookup, decision row) over ${TICKETS} tickets: ${stats(d)}`);
  const a = await time(people.length, async (i) => {
    const dec = await v.decide({ document: people[i]!, face: MATCH, now: NOW });
    return v.act({ decision: dec, document: people[i]! });
  });
  console.log(`stadium decide+act (relay fake, entry written): ${stats(a)}`);
  v.close();
}

// café: decide with a local session code
{
  const v = createVenue(config({ profile: 'internet-cafe' }), deps({ clock: () => NOW }));
  const d = await time(people.length, async (i) => {
    const dec = await v.decide({ document: people[i]!, face: MATCH, now: NOW });
    return v.act({ decision: dec, document: people[i]! });
  });
  console.log(`café decide+act (age, session check, local session code): ${stats(d)}`);
  v.close();
}

// café with a billing system on 127.0.0.1
{
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end('{"sessionId":"S","displayCode":"PC-1"}'),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let n = 0;
  const v = createVenue(
    config({ profile: 'internet-cafe', internetCafe: { billing: { url } } }),
    deps({ clock: () => NOW, billingSecret: 'bench-secret-bench-secret' }),
  );
  const d = await time(500, async (i) => {
    // a new session id each time so the one-session rule does not refuse
    const dec = await v.decide({ document: people[i]!, face: MATCH, now: NOW });
    n += 1;
    return v.act({ decision: dec, document: people[i]! });
  });
  console.log(`café decide+act with signed webhook to 127.0.0.1 (keep-alive): ${stats(d)}`);
  v.close();
  server.closeAllConnections();
  server.close();
  void n;
}

// hotel: decide+act with X25519 sealing
{
  const backend = generateX25519();
  const rows = ['booking_ref,room,guests,arrival,departure,guest_pseudonyms'];
  for (let i = 0; i < 1000; i++)
    rows.push(`B${i},${1000 + i},1,2026-11-23,2026-11-24,${testPseudonym(people[i]!.documentNumber)}`);
  const v = createVenue(
    config({ profile: 'hotel-front-desk' }),
    deps({ clock: () => NOW, seal: guestRecordSealer(backend.publicKey) }),
  );
  v.importText('bookings', rows.join('\n'));
  const d = await time(1000, async (i) => {
    const dec = await v.decide({ document: people[i]!, face: MATCH, now: NOW });
    return v.act({ decision: dec, document: people[i]! });
  });
  console.log(`hotel decide+act (booking lookup over 1000, seal guest record): ${stats(d)}`);
  v.close();
}
