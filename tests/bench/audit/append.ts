// Durable append rate on the kiosk: each append is one SQLite transaction (WAL, synchronous=FULL: fsync per
// commit) carrying pseudonym, masks, face scores, hash, Ed25519 signature; half the runs also seal the guest
// record (X25519 + HKDF + AES-256-GCM). Usage: npx tsx tests/bench/audit/append.ts [N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditStore } from '../../../kiosk/audit/store.ts';
import { generateX25519 } from '../../../kiosk/audit/crypto.ts';
import { decision } from '../../integration/backend/harness.ts';
import { f, machine, stats } from './common.ts';

const N = Number(process.argv[2] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'eid-bench-append-'));
console.log(`# audit append — ${new Date().toISOString()}`);
console.log(`machine: ${machine()}`);
console.log(`store: ${dir} (filesystem of the temp dir)`);
for (const sealed of [false, true]) {
  const backend = generateX25519();
  const store = openAuditStore({
    path: join(dir, `audit-${sealed}.sqlite`),
    keyDir: join(dir, 'keys'),
    venueSecret: 'bench-venue-secret-000001',
    backendPublicKey: backend.publicKey,
    sealFields: sealed ? ['documentNumber', 'name', 'sex', 'birthDate', 'nationality'] : [],
  });
  for (let i = 0; i < 50; i++) store.append(decision()); // warm-up
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const a = performance.now();
    store.append(decision());
    lat.push(performance.now() - a);
  }
  const total = performance.now() - t0;
  const s = stats(lat);
  const v0 = performance.now();
  const verdict = store.verify();
  const verifyMs = performance.now() - v0;
  store.close();
  console.log(
    `${sealed ? 'sealed guest record' : 'check-in decision  '}: ${N} appends, median ${f(s.median)} ms, p95 ${f(s.p95)} ms, ` +
      `${f((N / total) * 1000, 0)} events/s durable; verify ${verdict.count} events in ${f(verifyMs, 0)} ms (${f((verdict.count / verifyMs) * 1000, 0)}/s) ok=${verdict.ok}`,
  );
}
rmSync(dir, { recursive: true, force: true });
