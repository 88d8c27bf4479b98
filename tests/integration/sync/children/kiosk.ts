// A kiosk in its own process (so a test can SIGKILL it): opens the store, syncs, and (mode 'write') appends
// check-ins as fast as it can, printing "C <seq>" after each durable commit; (mode 'drain') only syncs and
// prints "DONE <ackedSeq>" when the backlog is empty.
import { join } from 'node:path';
import { openAuditStore } from '../../../../kiosk/audit/store.ts';
import { createSyncer } from '../../../../kiosk/sync/syncer.ts';
import { decision } from '../../backend/harness.ts';

const [dir, backendUrl, mode] = process.argv.slice(2) as [string, string, 'write' | 'drain'];
const store = openAuditStore({
  path: join(dir, 'audit.sqlite'),
  keyDir: join(dir, 'keys'),
  venueSecret: 'venue-secret-for-tests-0001',
});
const syncer = createSyncer({
  store,
  backendUrl,
  batchMaxEvents: 7,
  batchMaxAgeMs: 15,
  retryBaseMs: 20,
  retryMaxMs: 200,
  housekeepingMs: 60_000,
  requestTimeoutMs: 3_000,
});
syncer.start();
if (mode === 'drain') {
  for (;;) {
    await syncer.flush();
    const s = syncer.status();
    if (s.backlog === 0) {
      process.stdout.write(`DONE ${s.lastAck?.seq ?? 0}\n`);
      await syncer.stop();
      store.close();
      process.exit(0);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
} else {
  for (;;) {
    const e = store.append(decision(Math.random() < 0.8 ? 'pass' : 'deny'));
    process.stdout.write(`C ${e.seq}\n`);
    await new Promise((r) => setImmediate(r));
  }
}
