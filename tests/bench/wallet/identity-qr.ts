// Identity-QR verifications per second (one thread): base45 → inflate → COSE_Sign1 → signature → claims →
// replay cache, for ES256 and EdDSA codes, with the in-memory and the SQLite (WAL file) replay cache.
// Input: codes issued by kiosk/credentials/identity-qr/issue.ts with the full claim set (name, Latin name, birth
// date, nationality, sex, masked number, document kind, portrait digest, age flag), each code distinct.
// Run: npx tsx tests/bench/wallet/identity-qr.ts [--n 5000]
import { cpus } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  memoryReplayCache,
  prepareTrustList,
  verifyIdentityQr,
} from '../../../kiosk/credentials/identity-qr/verify.ts';
import { openReplayCache } from '../../../kiosk/wallet/replay-cache.ts';
import { issueSample, makeIssuer } from '../../fixtures/wallet/identity-qr-keys.ts';

const i = process.argv.indexOf('--n');
const N = i > 0 ? Number(process.argv[i + 1]) : 5000;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
console.log(
  `machine: ${cpus()[0]?.model} × ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`,
);

const dir = mkdtempSync(join(tmpdir(), 'idqr-bench-'));
try {
  for (const kind of ['ES256', 'EdDSA'] as const) {
    const issuer = makeIssuer(kind);
    const trustList = prepareTrustList([issuer.trust]);
    const T = 1_795_000_000;
    const codes = Array.from({ length: N }, () => issueSample(issuer, T));
    for (const cacheKind of ['memory', 'sqlite'] as const) {
      const sqlite =
        cacheKind === 'sqlite'
          ? openReplayCache(join(dir, `${kind}.sqlite`), { now: () => T * 1000 })
          : undefined;
      const replayCache = sqlite ?? memoryReplayCache(() => T * 1000);
      const times: number[] = [];
      let ok = 0;
      const t0 = performance.now();
      for (const code of codes) {
        const s = performance.now();
        const r = verifyIdentityQr(code, { trustList, now: (T + 5) * 1000, replayCache });
        times.push(performance.now() - s);
        if (r.ok) ok++;
      }
      const secs = (performance.now() - t0) / 1000;
      sqlite?.close();
      console.log(
        `${kind} code (${codes[0]!.length} chars), ${cacheKind} replay cache: ${ok}/${N} verified, ${(N / secs).toFixed(0)} verifications/s, median ${(pct(times, 50) * 1000).toFixed(0)} µs, p95 ${(pct(times, 95) * 1000).toFixed(0)} µs`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
