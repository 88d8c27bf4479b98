// Second verifier configuration: plain direct_post, issuers trusted through an x5c chain to a CA, tight rate
// limits. Covers E_WALLET_STATE_MISMATCH, x5c trust (good and untrusted chain) and E_WALLET_RATE_LIMITED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { registerVerifier } from '../../../backend/verifier/index.ts';
import type { VerifierHandle } from '../../../backend/verifier/index.ts';
import type { WalletResultMessage } from '../../../kiosk/credentials/wallet/messages.ts';
import { httpWalletBackend } from '../../../kiosk/wallet/backend-client.ts';
import {
  StatusList,
  issuePid,
  makeHolder,
  makeVerifierCert,
  makeX5cIssuer,
  walletPrepares,
  walletPresents,
} from '../../fixtures/wallet/oid4vp.ts';
import type { Holder, TestIssuer } from '../../fixtures/wallet/oid4vp.ts';
import { freePort } from '../../fixtures/wallet/net.ts';

let app: FastifyInstance;
let base: string;
let holder: Holder;
let verifier: VerifierHandle;
let x5cIssuer: TestIssuer;
let x5c: string[];
let strangerIssuer: TestIssuer;
let strangerX5c: string[];
const inbox: { terminalId: string; message: WalletResultMessage }[] = [];
const nowS = () => Math.floor(Date.now() / 1000);
const list = new StatusList(new Array(16).fill(0), 1);

beforeAll(async () => {
  holder = await makeHolder();
  const a = await makeX5cIssuer();
  x5cIssuer = a.issuer;
  x5c = a.x5c;
  const b = await makeX5cIssuer('https://stranger.example');
  strangerIssuer = b.issuer;
  strangerX5c = b.x5c;
  const cert = makeVerifierCert('127.0.0.1');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = Fastify({ logger: false });
  app.get('/status/1', async (_req, reply) =>
    reply
      .header('content-type', 'application/statuslist+jwt')
      .send(await x5cIssuer.signStatusList(list, `${base}/status/1`, nowS())),
  );
  verifier = await registerVerifier(app, {
    publicBaseUrl: base,
    allowInsecureUrls: true,
    responseMode: 'direct_post',
    verifyThreads: 1, // this configuration verifies in a worker thread
    clientIdPrefix: 'x509_san_dns',
    signingKey: cert.signingKey as never,
    certificateChain: cert.certificateChain,
    trustedCertificates: [a.caPem],
    notify: async (terminalId, message) => void inbox.push({ terminalId, message }),
    authenticateTerminal: (req) => /^Terminal (\S+)$/.exec(req.headers.authorization ?? '')?.[1],
    rateLimit: {
      perTerminal: { capacity: 6, refillPerSecond: 0.01 },
      perIp: { capacity: 500, refillPerSecond: 100 },
    },
  });
  await app.listen({ host: '127.0.0.1', port });
});

afterAll(async () => {
  await app?.close();
});

const kiosk = (id: string) =>
  httpWalletBackend({ verifierUrl: base, authHeaders: () => ({ authorization: `Terminal ${id}` }) });

async function ticket(id: string) {
  const r = await kiosk(id).createTransaction('stadium-gate');
  if (!r.ok) throw new Error(r.code);
  return r.ticket;
}

describe('direct_post, x509_san_dns, x5c issuer trust', () => {
  it('accepts a credential whose x5c chains to the trusted CA (plain direct_post)', async () => {
    const t = await ticket('k1');
    expect(t.uri).toContain(encodeURIComponent('x509_san_dns:127.0.0.1'));
    const cred = await issuePid(x5cIssuer, holder, {
      iat: nowS() - 10,
      exp: nowS() + 3600,
      statusUri: `${base}/status/1`,
      header: { x5c },
    });
    const run = await walletPresents(t.uri, cred, holder);
    expect(run.status).toBe(200);
    expect(run.responseBody).toContain('vp_token=');
    const m = inbox.find((x) => x.terminalId === 'k1')!.message;
    if (!m.ok) throw new Error(`${m.code} ${m.detail}`);
    expect(m.credential.trustAnchor).toContain('Test PID CA');
    expect(Object.keys(m.credential.claims).sort()).toEqual(['document_number', 'family_name', 'given_name']);
    // verified in the worker thread, not by the in-process fallback
    expect(verifier.stats()).toMatchObject({ byWorker: 1, workerFallback: 0 });
  });

  it('E_WALLET_ISSUER_UNTRUSTED for an x5c chain to another CA', async () => {
    const t = await ticket('k2');
    const cred = await issuePid(strangerIssuer, holder, {
      iat: nowS() - 10,
      exp: nowS() + 3600,
      header: { x5c: strangerX5c },
    });
    const run = await walletPresents(t.uri, cred, holder);
    expect(run.status).toBe(400);
    const m = inbox.find((x) => x.terminalId === 'k2')!.message;
    expect(m.ok ? 'ok' : m.code).toBe('E_WALLET_ISSUER_UNTRUSTED');
  });

  it('E_WALLET_STATE_MISMATCH: refused to the sender; the QR stays usable and the kiosk is not disturbed', async () => {
    const t = await ticket('k3');
    const cred = await issuePid(x5cIssuer, holder, { iat: nowS() - 10, exp: nowS() + 3600, header: { x5c } });
    const p = await walletPrepares(t.uri, cred, holder);
    const body = new URLSearchParams(p.responseBody);
    body.set('state', 'not-the-state');
    const post = (b: string) =>
      fetch(p.responseUri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: b,
      });
    const r = await post(body.toString());
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('E_WALLET_STATE_MISMATCH');
    expect(inbox.filter((x) => x.terminalId === 'k3')).toHaveLength(0);
    const good = await post(p.responseBody);
    expect(await good.text()).toBe('{}');
    expect(good.status).toBe(200);
    expect(inbox.filter((x) => x.terminalId === 'k3').map((x) => x.message.ok)).toEqual([true]);
  });

  it('E_WALLET_WALLET_ERROR: the person declined in the wallet (error response with the right state)', async () => {
    const t = await ticket('k4');
    const cred = await issuePid(x5cIssuer, holder, { iat: nowS() - 10, exp: nowS() + 3600, header: { x5c } });
    const p = await walletPrepares(t.uri, cred, holder);
    const state = new URLSearchParams(p.responseBody).get('state')!;
    const r = await fetch(p.responseUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ error: 'access_denied', state }).toString(),
    });
    expect(r.status).toBe(400);
    const m = inbox.find((x) => x.terminalId === 'k4')!.message;
    expect(m.ok ? 'ok' : m.code).toBe('E_WALLET_WALLET_ERROR');
  });

  it('E_WALLET_RATE_LIMITED: a kiosk asking for QRs too fast is told to wait', async () => {
    const k = kiosk('greedy');
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await k.createTransaction('internet-cafe'));
    expect(results.slice(0, 6).every((r) => r.ok)).toBe(true);
    const limited = results[7]!;
    expect(limited.ok).toBe(false);
    if (!limited.ok) {
      expect(limited.code).toBe('E_WALLET_RATE_LIMITED');
      expect(limited.retryAfterMs).toBeGreaterThan(0);
    }
    // Another kiosk is not affected.
    expect((await kiosk('polite').createTransaction('internet-cafe')).ok).toBe(true);
  });

  it('E_WALLET_UNAUTHENTICATED and E_WALLET_BACKEND_UNREACHABLE from the kiosk client', async () => {
    const anon = httpWalletBackend({ verifierUrl: base, authHeaders: () => ({}) });
    expect(await anon.createTransaction('internet-cafe')).toMatchObject({
      ok: false,
      code: 'E_WALLET_UNAUTHENTICATED',
    });
    const port = await freePort();
    const down = httpWalletBackend({
      verifierUrl: `http://127.0.0.1:${port}`,
      authHeaders: () => ({}),
      timeoutMs: 500,
    });
    expect(await down.createTransaction('internet-cafe')).toMatchObject({
      ok: false,
      code: 'E_WALLET_BACKEND_UNREACHABLE',
    });
  });
});
