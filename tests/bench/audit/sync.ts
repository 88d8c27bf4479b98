// End-to-end sync throughput kiosk → backend (SQLite and PostgreSQL), and ingest latency per batch.
// The backend runs in this process on 127.0.0.1 (so kiosk and backend share the CPU, as on a one-box venue).
// Usage: npx tsx tests/bench/audit/sync.ts [EVENTS] [BATCH]
import { rmSync } from 'node:fs';
import { createSyncer } from '../../../kiosk/sync/syncer.ts';
import { createBackendClient } from '../../../kiosk/sync/client.ts';
import { STORAGES, decision, enrolledKiosk, startBackend } from '../../integration/backend/harness.ts';
import { f, machine, stats } from './common.ts';

const EVENTS = Number(process.argv[2] ?? 5000);
const BATCH = Number(process.argv[3] ?? 200);
console.log(`# audit sync — ${new Date().toISOString()}`);
console.log(`machine: ${machine()}`);
console.log(`input: ${EVENTS} check-in decision events (pseudonym, masks, face scores), batches of ${BATCH}`);
for (const kind of STORAGES) {
  const rig = await startBackend(kind);
  const k = await enrolledKiosk(rig.url);
  for (let i = 0; i < EVENTS; i++) k.store.append(decision());
  // throughput: the syncer drains the whole backlog
  const s = createSyncer({ store: k.store, backendUrl: rig.url, batchMaxEvents: BATCH, batchMaxAgeMs: 10 });
  const t0 = performance.now();
  s.start();
  while (s.status().backlog > 0) await s.flush();
  const total = performance.now() - t0;
  await s.stop();
  // latency: replaying batches as new events (fresh appends) one request at a time
  const lat: number[] = [];
  const client = createBackendClient({ backendUrl: rig.url, identity: k.store.identity });
  const rounds = Math.max(10, Math.floor(EVENTS / BATCH / 2));
  for (let i = 0; i < rounds * BATCH; i++) k.store.append(decision());
  let from = k.store.acked().seq + 1;
  for (let r = 0; r < rounds; r++) {
    const evs = k.store.events(from, BATCH);
    const a = performance.now();
    const ans = await client.request('POST', '/v1/ingest', { terminalId: k.store.terminalId, events: evs });
    lat.push(performance.now() - a);
    if (ans.status !== 200) throw new Error(`ingest ${ans.status} ${JSON.stringify(ans.body)}`);
    from += evs.length;
  }
  const l = stats(lat);
  console.log(
    `${kind.padEnd(6)}: sync ${EVENTS} events in ${f(total / 1000)} s = ${f((EVENTS / total) * 1000, 0)} events/s; ` +
      `ingest of ${BATCH}-event batches: median ${f(l.median, 1)} ms, p95 ${f(l.p95, 1)} ms (${rounds} batches)`,
  );
  k.store.close();
  rmSync(k.dir, { recursive: true, force: true });
  await rig.close();
}
