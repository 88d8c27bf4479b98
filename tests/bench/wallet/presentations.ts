// Presentations verified per second by one backend process (the verifier plugin alone in a child process on
// 127.0.0.1), and latency from the presentation POST arriving to notify() being called.
// The wallet side (resolve the request object, build the SD-JWT presentation + KB-JWT, encrypt the response)
// is done ahead of time in this process; then all responses are posted with a fixed concurrency.
// Input: PID SD-JWT VCs (ES256, 5 selectively disclosable claims + nested age claims, status list reference)
// issued by @sd-jwt/sd-jwt-vc; response mode direct_post.jwt (ECDH-ES + A128GCM); hotel profile DCQL.
// Run: npx tsx tests/bench/wallet/presentations.ts [--n 2000] [--concurrency 32] [--threads 0|1|2]
// (--threads: verifier worker threads for the SD-JWT step; 0 = all in the request thread)
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import {
  issuePid,
  makeHolder,
  makeIssuer,
  makeVerifierCert,
  StatusList,
  walletPrepares,
} from '../../fixtures/wallet/oid4vp.ts';
import { freePort } from '../../fixtures/wallet/net.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('n', 2000);
const C = arg('concurrency', 32);
const THREADS = arg('threads', 0);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const issuer = await makeIssuer();
const holder = await makeHolder();
const cert = makeVerifierCert('127.0.0.1');
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const now = Math.floor(Date.now() / 1000);
const statusListJwt = await issuer.signStatusList(
  new StatusList(new Array(1024).fill(0), 1),
  `${base}/status/1`,
  now,
);

const child = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
    '--import',
    'tsx',
    new URL('./verifier-server.ts', import.meta.url).pathname,
  ],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
child.stdin.end(
  JSON.stringify({
    port,
    signingKey: cert.signingKey,
    certificateChain: cert.certificateChain,
    issuer: { iss: issuer.iss, jwk: issuer.publicJwk },
    statusListJwt,
    verifyThreads: THREADS,
  }),
);
const rl = createInterface({ input: child.stdout });
const [line] = (await once(rl, 'line')) as [string];
JSON.parse(line);

try {
  console.log(
    `machine: ${cpus()[0]?.model} × ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`,
  );
  const t0 = performance.now();
  const credential = await issuePid(issuer, holder, {
    iat: now - 60,
    exp: now + 86400,
    statusUri: `${base}/status/1`,
    statusIdx: 5,
  });
  const prepared: { responseUri: string; body: string }[] = [];
  for (let i = 0; i < N; i++) {
    const res = await fetch(`${base}/wallet/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"profile":"hotel-front-desk"}',
    });
    const tx = (await res.json()) as { uri: string };
    const p = await walletPrepares(tx.uri, credential, holder);
    prepared.push({ responseUri: p.responseUri, body: p.responseBody });
  }
  console.log(
    `prepared ${N} encrypted presentations in ${((performance.now() - t0) / 1000).toFixed(1)} s (wallet side, not timed below)`,
  );

  const before = (await (await fetch(`${base}/bench/latencies`)).json()) as {
    latencies: number[];
    cpu: NodeJS.CpuUsage;
  };
  const skip = before.latencies.length;
  let next = 0;
  let ok = 0;
  const client: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < prepared.length) {
        const p = prepared[next++]!;
        const s = performance.now();
        const r = await fetch(p.responseUri, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: p.body,
        });
        await r.text();
        client.push(performance.now() - s);
        if (r.status === 200) ok++;
      }
    }),
  );
  const secs = (performance.now() - start) / 1000;
  const stats = (await (await fetch(`${base}/bench/latencies`)).json()) as {
    latencies: number[];
    mem: number;
    cpu: NodeJS.CpuUsage;
  };
  stats.latencies = stats.latencies.slice(skip);
  const cpuMs = (stats.cpu.user + stats.cpu.system - before.cpu.user - before.cpu.system) / 1000;
  console.log(
    `server CPU: ${(cpuMs / ok).toFixed(2)} ms per verified presentation (user+system, all threads) → ${((ok / cpuMs) * 1000).toFixed(0)} presentations per CPU-second`,
  );
  console.log(
    `verified ${ok}/${N} presentations in ${secs.toFixed(2)} s with concurrency ${C}, ${THREADS} verify thread(s): ${(ok / secs).toFixed(0)} presentations/s (one backend process; the load generator runs on the other core)`,
  );
  console.log(
    `POST arrival → notify: median ${pct(stats.latencies, 50).toFixed(2)} ms, p95 ${pct(stats.latencies, 95).toFixed(2)} ms, p99 ${pct(stats.latencies, 99).toFixed(2)} ms (includes queueing at concurrency ${C})`,
  );
  console.log(
    `client round trip: median ${pct(client, 50).toFixed(2)} ms, p95 ${pct(client, 95).toFixed(2)} ms; server RSS ${(stats.mem / 1e6).toFixed(0)} MB`,
  );
} finally {
  child.kill('SIGTERM');
}
