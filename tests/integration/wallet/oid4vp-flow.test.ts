// The cross-device OpenID4VP flow against an independent holder (@openid4vc/openid4vp's Openid4vpClient) with a
// credential from an independent issuer (@sd-jwt/sd-jwt-vc), over real HTTP on 127.0.0.1. Then one negative
// test per rejection code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { registerVerifier } from '../../../backend/verifier/index.ts';
import type { VerifierHandle } from '../../../backend/verifier/index.ts';
import type { WalletProfile, WalletResultMessage } from '../../../kiosk/credentials/wallet/messages.ts';
import { walletResultToDocument } from '../../../kiosk/credentials/wallet/document.ts';
import { walletRejection } from '../../../kiosk/credentials/wallet/reasons.ts';
import {
  PID_VCT,
  SAMPLE_PID,
  StatusList,
  issuePid,
  makeHolder,
  makeIssuer,
  makeVerifierCert,
  walletPresents,
} from '../../fixtures/wallet/oid4vp.ts';
import type { Holder, TestIssuer } from '../../fixtures/wallet/oid4vp.ts';
import { freePort } from '../../fixtures/wallet/net.ts';

let app: FastifyInstance;
let base: string;
let verifier: VerifierHandle;
let issuer: TestIssuer;
let holder: Holder;
let rogue: TestIssuer;
const inbox: { terminalId: string; message: WalletResultMessage }[] = [];
const list = new StatusList(new Array(64).fill(0), 1);
list.setStatus(7, 1); // index 7 is revoked
let statusUp = true;
const nowS = () => Math.floor(Date.now() / 1000);

async function newTx(terminal: string, profile: WalletProfile = 'hotel-front-desk', replaces?: string) {
  const res = await fetch(`${base}/wallet/transactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Terminal ${terminal}` },
    body: JSON.stringify({ profile, ...(replaces ? { replaces } : {}) }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { transactionId: string; uri: string; expiresAt: number };
}

const resultsFor = (terminal: string) => inbox.filter((m) => m.terminalId === terminal).map((m) => m.message);

async function credential(opts: Partial<Parameters<typeof issuePid>[2]> = {}, who: TestIssuer = issuer) {
  return issuePid(who, holder, {
    iat: nowS() - 60,
    exp: nowS() + 86400,
    statusUri: `${base}/status/1`,
    statusIdx: 3,
    ...opts,
  });
}

/** Run one presentation expected to fail; returns the code the kiosk was told. */
async function rejectedWith(
  terminal: string,
  run: (uri: string) => Promise<{ status: number; body: string }>,
) {
  const tx = await newTx(terminal);
  const r = await run(tx.uri);
  expect(r.status).toBe(400);
  const msgs = resultsFor(terminal);
  expect(msgs).toHaveLength(1);
  const m = msgs[0]!;
  expect(m.ok).toBe(false);
  expect(m.transactionId).toBe(tx.transactionId);
  return m.ok ? 'ok' : m.code;
}

beforeAll(async () => {
  issuer = await makeIssuer();
  rogue = await makeIssuer('https://rogue.example', 'rogue-key');
  holder = await makeHolder();
  const cert = makeVerifierCert('127.0.0.1');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = Fastify({ logger: false });
  app.get('/status/1', async (_req, reply) => {
    if (!statusUp) return reply.code(503).send('down');
    return reply
      .header('content-type', 'application/statuslist+jwt')
      .send(await issuer.signStatusList(list, `${base}/status/1`, nowS()));
  });
  verifier = await registerVerifier(app, {
    publicBaseUrl: base,
    allowInsecureUrls: true,
    signingKey: cert.signingKey as never,
    certificateChain: cert.certificateChain,
    trustedIssuers: [{ iss: issuer.iss, jwk: issuer.publicJwk as never, name: 'Test PID issuer' }],
    vctValues: [PID_VCT],
    statusList: { cacheSeconds: 0 },
    notify: async (terminalId, message) => void inbox.push({ terminalId, message }),
    authenticateTerminal: (req) => /^Terminal (\S+)$/.exec(req.headers.authorization ?? '')?.[1],
    rateLimit: {
      perTerminal: { capacity: 200, refillPerSecond: 50 },
      perIp: { capacity: 500, refillPerSecond: 100 },
    },
  });
  await app.listen({ host: '127.0.0.1', port });
});

afterAll(async () => {
  await app?.close();
});

describe('OpenID4VP cross-device flow with an independent holder and issuer', () => {
  it('verifies a PID presentation (direct_post.jwt) and notifies exactly the kiosk that showed the QR', async () => {
    const other = await newTx('kiosk-B');
    const tx = await newTx('kiosk-A');
    expect(tx.uri.startsWith('openid4vp://?')).toBe(true);
    expect(tx.uri).toContain('request_uri=');
    expect(tx.uri).toContain(encodeURIComponent(verifier.clientId));
    expect(verifier.clientId.startsWith('x509_hash:')).toBe(true);
    expect(tx.expiresAt).toBeGreaterThan(Date.now());

    const run = await walletPresents(tx.uri, await credential(), holder);
    expect(run.status).toBe(200);
    // The response really was encrypted: the posted body is a JWE, not a vp_token.
    expect(run.responseBody.startsWith('response=')).toBe(true);
    expect(run.responseBody).not.toContain('vp_token');

    const a = resultsFor('kiosk-A');
    expect(a).toHaveLength(1);
    expect(resultsFor('kiosk-B')).toHaveLength(0);
    const m = a[0]!;
    if (!m.ok) throw new Error(`expected ok, got ${m.code}: ${m.detail}`);
    expect(m.transactionId).toBe(tx.transactionId);
    expect(m.credential.vct).toBe(PID_VCT);
    expect(m.credential.trustAnchor).toBe(issuer.kid);
    expect(m.credential.claims).toMatchObject({
      family_name: 'MUSTERMANN',
      given_name: 'ERIKA',
      birthdate: '1984-01-26',
      document_number: 'T22000129',
    });
    // Only requested claims are passed on: no age list, no cnf, no status.
    expect(Object.keys(m.credential.claims).sort()).toEqual(
      ['birthdate', 'document_number', 'family_name', 'given_name', 'nationalities'].sort(),
    );
    const doc = walletResultToDocument(m);
    expect(doc).toMatchObject({
      source: 'wallet',
      documentType: 'wallet-pid',
      documentNumber: 'T22000129',
      name: 'MUSTERMANN ERIKA',
      birthDate: '1984-01-26',
      nationality: 'DEU',
    });
    expect(doc.checks.length).toBeGreaterThan(5);
    void other;
  });

  it('internet café: only age_equal_or_over.18 is disclosed, portrait optional', async () => {
    const tx = await newTx('cafe-1', 'internet-cafe');
    const run = await walletPresents(tx.uri, await credential(), holder);
    expect(run.status).toBe(200);
    const m = resultsFor('cafe-1')[0]!;
    if (!m.ok) throw new Error(m.code);
    expect(m.credential.claims).toEqual({ age_equal_or_over: { '18': true } });
    const doc = walletResultToDocument(m);
    expect(doc.documentNumber).toBe('');
    expect(doc.claims).toEqual({ age_equal_or_over: { '18': true } });
    expect(run.presentation).not.toContain(Buffer.from('T22000129').toString('base64url').slice(0, 8));
  });

  it('passes the portrait through when disclosed', async () => {
    const picture =
      'data:image/jpeg;base64,' + Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]).toString('base64');
    const tx = await newTx('cafe-2', 'internet-cafe');
    const run = await walletPresents(
      tx.uri,
      await credential({ claims: { ...SAMPLE_PID, picture } }),
      holder,
    );
    expect(run.status).toBe(200);
    const m = resultsFor('cafe-2')[0]!;
    if (!m.ok) throw new Error(m.code);
    const doc = walletResultToDocument(m);
    expect(doc.portrait?.format).toBe('jpeg');
    expect(Array.from(doc.portrait!.bytes.slice(0, 3))).toEqual([0xff, 0xd8, 0xff]);
  });
});

describe('each rejection has its own code', () => {
  it('E_WALLET_REPLAYED: the same response posted again', async () => {
    const tx = await newTx('replay');
    const run = await walletPresents(tx.uri, await credential(), holder);
    expect(run.status).toBe(200);
    const again = await fetch(run.responseUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: run.responseBody,
    });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('E_WALLET_REPLAYED');
    expect(resultsFor('replay')).toHaveLength(1); // the kiosk is not disturbed by the replay
  });

  it('E_WALLET_NONCE_MISMATCH: a presentation bound to another transaction', async () => {
    const cred = await credential();
    const code = await rejectedWith('nonce', (uri) =>
      walletPresents(uri, cred, holder, { kb: { nonce: 'someone-elses-nonce' } }),
    );
    expect(code).toBe('E_WALLET_NONCE_MISMATCH');
  });

  it('E_WALLET_AUDIENCE_MISMATCH', async () => {
    const cred = await credential();
    expect(
      await rejectedWith('aud', (uri) =>
        walletPresents(uri, cred, holder, { kb: { aud: 'x509_hash:another-verifier' } }),
      ),
    ).toBe('E_WALLET_AUDIENCE_MISMATCH');
  });

  it('E_WALLET_KB_STALE', async () => {
    const cred = await credential();
    expect(
      await rejectedWith('stale', (uri) => walletPresents(uri, cred, holder, { kb: { iat: nowS() - 3600 } })),
    ).toBe('E_WALLET_KB_STALE');
  });

  it('E_WALLET_CREDENTIAL_EXPIRED and E_WALLET_CREDENTIAL_NOT_YET_VALID', async () => {
    const expired = await credential({ iat: nowS() - 7200, exp: nowS() - 3600 });
    expect(await rejectedWith('expired', (uri) => walletPresents(uri, expired, holder))).toBe(
      'E_WALLET_CREDENTIAL_EXPIRED',
    );
    const future = await credential({ iat: nowS() + 3600, exp: nowS() + 7200 });
    expect(await rejectedWith('future', (uri) => walletPresents(uri, future, holder))).toBe(
      'E_WALLET_CREDENTIAL_NOT_YET_VALID',
    );
  });

  it('E_WALLET_REVOKED: the status list marks the credential', async () => {
    const revoked = await credential({ statusIdx: 7 });
    expect(await rejectedWith('revoked', (uri) => walletPresents(uri, revoked, holder))).toBe(
      'E_WALLET_REVOKED',
    );
  });

  it('E_WALLET_STATUS_UNAVAILABLE: fail closed when the status list cannot be fetched', async () => {
    const cred = await credential();
    statusUp = false;
    try {
      expect(await rejectedWith('status-down', (uri) => walletPresents(uri, cred, holder))).toBe(
        'E_WALLET_STATUS_UNAVAILABLE',
      );
    } finally {
      statusUp = true;
    }
  });

  it('E_WALLET_ISSUER_UNTRUSTED: a credential from an issuer not on the trust list', async () => {
    const cred = await credential({}, rogue);
    expect(await rejectedWith('untrusted', (uri) => walletPresents(uri, cred, holder))).toBe(
      'E_WALLET_ISSUER_UNTRUSTED',
    );
  });

  it('E_WALLET_SIGNATURE_INVALID: a rogue issuer claiming the trusted kid', async () => {
    const forged = await issuePid(rogue, holder, {
      iat: nowS() - 60,
      exp: nowS() + 3600,
      kid: issuer.kid,
      statusUri: `${base}/status/1`,
    });
    // same kid and iss as the trusted issuer, signed with the rogue key
    const fixedIss = await (async () => {
      const r = await makeIssuer(issuer.iss, issuer.kid);
      return issuePid(r, holder, { iat: nowS() - 60, exp: nowS() + 3600, statusUri: `${base}/status/1` });
    })();
    void forged;
    expect(await rejectedWith('forged', (uri) => walletPresents(uri, fixedIss, holder))).toBe(
      'E_WALLET_SIGNATURE_INVALID',
    );
  });

  it('E_WALLET_DISCLOSURE_TAMPERED: a disclosure altered by the holder (KB re-signed over it)', async () => {
    const cred = await credential();
    // Swap the family_name disclosure for one the issuer never signed; the holder signs a fresh KB-JWT over the
    // result, so sd_hash matches and only the digest check can catch it.
    const fake = Buffer.from(JSON.stringify(['c2FsdHNhbHRzYWx0', 'family_name', 'SOMEONE-ELSE'])).toString(
      'base64url',
    );
    const rewrite = (sd: string) =>
      sd
        .split('~')
        .map((p, i) => (i > 0 && Buffer.from(p, 'base64url').toString().includes('"family_name"') ? fake : p))
        .join('~');
    expect(
      await rejectedWith('tamper', (uri) => walletPresents(uri, cred, holder, { rewriteBeforeKb: rewrite })),
    ).toBe('E_WALLET_DISCLOSURE_TAMPERED');
  });

  it('E_WALLET_KB_INVALID: a KB-JWT signed by a key that is not the credential key', async () => {
    const thief = await makeHolder();
    const cred = await credential(); // bound to `holder`
    expect(await rejectedWith('kb', (uri) => walletPresents(uri, cred, thief))).toBe('E_WALLET_KB_INVALID');
  });

  it('E_WALLET_CLAIMS_MISSING: a presentation that withholds a required claim', async () => {
    const cred = await credential();
    const frame = { family_name: true, given_name: true, birthdate: true, nationalities: true }; // no document_number
    expect(await rejectedWith('missing', (uri) => walletPresents(uri, cred, holder, { frame }))).toBe(
      'E_WALLET_CLAIMS_MISSING',
    );
  });

  it('E_WALLET_TX_EXPIRED: a QR replaced by a newer one is dead', async () => {
    const old = await newTx('rotate');
    const fresh = await newTx('rotate', 'hotel-front-desk', old.transactionId);
    const res = await fetch(
      old.uri
        .replace(/^.*request_uri=/, '')
        .replace(/%3A/g, ':')
        .replace(/%2F/g, '/'),
    );
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('E_WALLET_TX_EXPIRED');
    expect(fresh.transactionId).not.toBe(old.transactionId);
  });

  it('E_WALLET_TX_UNKNOWN and E_WALLET_UNAUTHENTICATED', async () => {
    const r = await fetch(`${base}/wallet/response/nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'response=x',
    });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('E_WALLET_TX_UNKNOWN');
    const u = await fetch(`${base}/wallet/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"profile":"hotel-front-desk"}',
    });
    expect(u.status).toBe(401);
  });

  it('E_WALLET_RESPONSE_INVALID: garbage posted to a live transaction neither burns the QR nor reaches the kiosk', async () => {
    const tx = await newTx('plain');
    for (const body of [
      'vp_token=%7B%7D&state=x',
      'response=not.a.jwe.at.all',
      'response=' + 'A'.repeat(64),
    ]) {
      const r = await fetch(`${base}/wallet/response/${tx.transactionId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(r.status).toBe(400);
      expect(await r.text()).toContain('E_WALLET_RESPONSE_INVALID');
    }
    expect(resultsFor('plain')).toHaveLength(0);
    // The genuine wallet still gets through afterwards.
    const run = await walletPresents(tx.uri, await credential(), holder);
    expect(run.status).toBe(200);
    expect(resultsFor('plain').map((m) => m.ok)).toEqual([true]);
  });

  it('maps every code to a document.rejected event with a plain reason', () => {
    expect(walletRejection('E_WALLET_REVOKED')).toEqual({
      type: 'document.rejected',
      code: 'E_WALLET_REVOKED',
      reason: 'credential-revoked',
      source: 'wallet',
    });
    expect(walletRejection('E_WALLET_REPLAYED').reason).toBe('credential-replayed');
    expect(walletRejection('E_WALLET_ISSUER_UNTRUSTED').reason).toBe('credential-untrusted');
  });
});
