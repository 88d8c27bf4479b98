// Child process for tests/bench/wallet/presentations.ts: one backend process running the verifier plugin on
// 127.0.0.1. Reads its setup as JSON on stdin, prints {"port": N} when listening, and serves
// GET /bench/latencies (ms from request arrival to notify) for the parent.
import Fastify from 'fastify';
import { registerVerifier } from '../../../backend/verifier/index.ts';

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const setup = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
  port: number;
  signingKey: Record<string, string>;
  certificateChain: string[];
  issuer: { iss: string; jwk: Record<string, unknown> };
  statusListJwt: string;
  verifyThreads: number;
};
const app = Fastify({ logger: false });
const arrival = new WeakMap<object, number>();
const latencies: number[] = [];
const pendingStart = new Map<string, number>();
app.addHook('onRequest', async (req) => {
  const m = /\/wallet\/response\/([^/?]+)/.exec(req.url);
  if (m) pendingStart.set(m[1]!, performance.now());
  arrival.set(req, performance.now());
});
app.get('/status/1', async (_req, reply) =>
  reply.header('content-type', 'application/statuslist+jwt').send(setup.statusListJwt),
);
app.get('/bench/latencies', async () => ({
  latencies,
  mem: process.memoryUsage().rss,
  cpu: process.cpuUsage(),
}));
let notified = 0;
await registerVerifier(app, {
  publicBaseUrl: `http://127.0.0.1:${setup.port}`,
  allowInsecureUrls: true,
  signingKey: setup.signingKey as never,
  certificateChain: setup.certificateChain,
  trustedIssuers: [{ iss: setup.issuer.iss, jwk: setup.issuer.jwk as never }],
  rateLimit: {
    perTerminal: { capacity: 100000, refillPerSecond: 10000 },
    perIp: { capacity: 100000, refillPerSecond: 10000 },
  },
  transactionTtlSeconds: 600,
  verifyThreads: setup.verifyThreads,
  notify: async (_terminal, message) => {
    const t0 = pendingStart.get(message.transactionId);
    if (t0 !== undefined) latencies.push(performance.now() - t0);
    if (message.ok) notified++;
    else process.stderr.write(`rejected: ${message.code} ${message.detail}\n`);
  },
  authenticateTerminal: () => 'bench-kiosk',
});
await app.listen({ host: '127.0.0.1', port: setup.port });
process.stdout.write(JSON.stringify({ port: setup.port }) + '\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
void notified;
