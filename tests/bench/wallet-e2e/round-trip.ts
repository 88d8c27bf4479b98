// Wallet check-in end to end, timed: the wallet's response POST → the kiosk's document.read over the kiosk channel,
// through a real backend (verifier mounted from a dev-keys config) on SQLite or PostgreSQL, an enrolled kiosk
// with signed QR rotation and the real channel client. One wallet at a time (the holder's own preparation —
// request fetch, SD-JWT presentation, JWE — is not timed).
//
//   npx tsx tests/bench/wallet-e2e/round-trip.ts [--n 100] [--storage sqlite|pg] [--portrait]
import { cpus, release, type as osType } from 'node:os';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildBackend } from '../../../backend/app.ts';
import { loadBackendConfig, mountVerifier } from '../../../backend/config-file.ts';
import { makeDevKeys } from '../../../backend/dev-keys.ts';
import { loadOrCreateTerminalIdentity } from '../../../kiosk/audit/identity.ts';
import { connectKioskChannel } from '../../../kiosk/sync/channel.ts';
import { enrolTerminal } from '../../../kiosk/sync/enrol.ts';
import { httpWalletBackend } from '../../../kiosk/wallet/backend-client.ts';
import { startWalletQrRotation } from '../../../kiosk/wallet/qr-rotation.ts';
import type { WalletMachineEvent, WalletQr } from '../../../kiosk/wallet/qr-rotation.ts';
import { terminalSignedFetch } from '../../../kiosk/wallet/signed-fetch.ts';
import type { WalletResultMessage } from '../../../kiosk/credentials/wallet/messages.ts';
import { SAMPLE_PID, issuePid, makeHolder, walletPrepares } from '../../fixtures/wallet/oid4vp.ts';
import { freePort } from '../../fixtures/wallet/net.ts';
import { PG_URL, dropSchema, tempDir, waitFor } from '../../integration/backend/harness.ts';
import { issuerFromJwk, portraitDataUrl } from '../../integration/wallet-e2e/helpers.ts';

const args = process.argv.slice(2);
const arg = (n: string, d: string) => {
  const i = args.indexOf(n);
  return i >= 0 ? (args[i + 1] ?? d) : d;
};
const n = Number(arg('--n', '100'));
const storage = arg('--storage', 'sqlite');
const withPortrait = args.includes('--portrait');
const nowS = () => Math.floor(Date.now() / 1000);

const dir = tempDir('eid-wallet-bench-');
const schema = storage === 'pg' ? `bench_${process.pid}` : undefined;
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const keys = makeDevKeys({ out: join(dir, 'keys'), publicUrl: url });
const cfg = await loadBackendConfig({
  BACKEND_CONFIG: keys.configFile,
  ...(schema
    ? { DATABASE_URL: PG_URL, BACKEND_PG_SCHEMA: schema }
    : { BACKEND_SQLITE_PATH: join(dir, 'b.sqlite') }),
});
const app = await buildBackend({
  ...cfg.backend,
  logger: false,
  purgeIntervalMs: 0,
  register: mountVerifier({
    ...cfg.verifier!,
    rateLimit: {
      perTerminal: { capacity: 10_000, refillPerSecond: 1000 },
      perIp: { capacity: 10_000, refillPerSecond: 1000 },
    },
  }),
});
await app.listen({ host: '127.0.0.1', port });
const issuer = await issuerFromJwk(
  keys.issuer.iss,
  keys.issuer.kid,
  keys.issuer.privateJwk,
  keys.issuer.publicJwk,
);
const holder = await makeHolder();

const identity = loadOrCreateTerminalIdentity(join(dir, 'kiosk'));
// enrolment codes need an 'enrol' token: the dev config's admin token
const codeRes = await fetch(`${url}/v1/admin/enrolment-codes`, {
  method: 'POST',
  headers: { authorization: `Bearer ${keys.adminToken}`, 'content-type': 'application/json' },
  body: JSON.stringify({ venueId: 'bench' }),
});
const code = ((await codeRes.json()) as { code: string }).code;
await enrolTerminal({ backendUrl: url, identity, code });
const qrs: (WalletQr | null)[] = [];
const events: { at: number; ev: WalletMachineEvent | null }[] = [];
const rotation = startWalletQrRotation({
  backend: httpWalletBackend({
    verifierUrl: url,
    authHeaders: () => ({}),
    fetch: terminalSignedFetch({ identity }),
  }),
  profile: 'hotel-front-desk',
  rotateMs: 60_000,
  onQr: (q) => qrs.push(q),
});
const channel = connectKioskChannel({
  url,
  identity,
  onMessage: (body) => {
    if ((body as { type?: unknown }).type === 'wallet.result')
      events.push({ at: performance.now(), ev: rotation.handleResult(body as WalletResultMessage) });
  },
});
await waitFor(() => channel.state() === 'ready' && qrs.length > 0, 10_000, 'kiosk ready');

const picture = withPortrait ? portraitDataUrl() : undefined;
const credential = await issuePid(issuer, holder, {
  iat: nowS() - 60,
  exp: nowS() + 86_400,
  ...(picture ? { claims: { ...SAMPLE_PID, picture } } : {}),
});
const lat: number[] = [];
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const qrCount = qrs.length;
  const uri = qrs[qrs.length - 1]!.uri;
  const p = await walletPrepares(uri, credential, holder);
  const before = events.length;
  const start = performance.now();
  const res = await fetch(p.responseUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: p.responseBody,
  });
  await res.text();
  if (res.status !== 200) throw new Error(`presentation ${i}: HTTP ${res.status}`);
  await waitFor(() => events.length > before, 10_000, 'result');
  const e = events[before]!;
  if (e.ev?.type !== 'document.read') throw new Error(`presentation ${i}: ${JSON.stringify(e.ev)}`);
  lat.push(e.at - start);
  await waitFor(() => qrs.length > qrCount, 10_000, 'rotation'); // the next person gets a fresh QR
}
const total = (performance.now() - t0) / 1000;
lat.sort((a, b) => a - b);
const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(1);
console.log(
  `wallet e2e round trip (${storage}${withPortrait ? ', with a ' + Math.round(picture!.length / 1024) + ' KiB portrait' : ''}), ` +
    `n=${n} sequential, hotel profile, direct_post.jwt:\n` +
    `  response POST → kiosk document.read: median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${lat[lat.length - 1]!.toFixed(1)} ms\n` +
    `  throughput incl. holder preparation and QR rotation: ${(n / total).toFixed(1)} check-ins/s\n` +
    `  machine: ${cpus()[0]?.model} × ${cpus().length}, ${osType()} ${release()}, Node ${process.version}`,
);
rotation.stop();
channel.close();
await app.close();
await dropSchema(schema);
rmSync(dir, { recursive: true, force: true });
