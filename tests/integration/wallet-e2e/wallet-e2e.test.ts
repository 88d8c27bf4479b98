// The wallet path across areas, end to end, with real parts only:
//  - the backend as backend/main.ts builds it (buildBackend + the verifier mounted from a config file made by
//    backend/dev-keys.ts), SQLite in a temp dir or PostgreSQL in its own schema, listening on 127.0.0.1;
//  - two kiosks, each with a terminal key on disk, enrolled with a one-time code, holding the real kiosk channel
//    (connectKioskChannel) and rotating a real wallet QR (httpWalletBackend + startWalletQrRotation with signed
//    requests);
//  - an independent holder (@openid4vc/openid4vp's client) with PIDs issued by @sd-jwt/sd-jwt-vc under the demo
//    issuer key, which "scans" the QR from a synthetic camera frame (qrcode → zxing-wasm) and presents;
//  - the issuer's Token Status List served over HTTP by a separate server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildBackend } from '../../../backend/app.ts';
import { loadBackendConfig, mountVerifier } from '../../../backend/config-file.ts';
import { makeDevKeys } from '../../../backend/dev-keys.ts';
import { loadOrCreateTerminalIdentity } from '../../../kiosk/audit/identity.ts';
import type { TerminalIdentity } from '../../../kiosk/audit/identity.ts';
import { connectKioskChannel } from '../../../kiosk/sync/channel.ts';
import { enrolTerminal } from '../../../kiosk/sync/enrol.ts';
import { httpWalletBackend } from '../../../kiosk/wallet/backend-client.ts';
import { startWalletQrRotation } from '../../../kiosk/wallet/qr-rotation.ts';
import type { WalletMachineEvent, WalletQr, WalletQrRotation } from '../../../kiosk/wallet/qr-rotation.ts';
import { terminalSignedFetch } from '../../../kiosk/wallet/signed-fetch.ts';
import { createQrDecoder } from '../../../kiosk/wallet/qr-decode.ts';
import type { QrDecoder } from '../../../kiosk/wallet/qr-decode.ts';
import type { WalletResultMessage } from '../../../kiosk/credentials/wallet/messages.ts';
import {
  SAMPLE_PID,
  StatusList,
  issuePid,
  makeHolder,
  walletPrepares,
  walletPresents,
} from '../../fixtures/wallet/oid4vp.ts';
import type { Holder, TestIssuer } from '../../fixtures/wallet/oid4vp.ts';
import { freePort } from '../../fixtures/wallet/net.ts';
import { syntheticFrame } from '../../fixtures/wallet/synthetic-frame.ts';
import { issuerFromJwk, portraitDataUrl } from './helpers.ts';
import {
  ADMIN_TOKEN,
  TOKENS,
  dropSchema,
  enrolmentCode,
  storageOptions,
  tempDir,
  waitFor,
} from '../backend/harness.ts';

const nowS = () => Math.floor(Date.now() / 1000);
const REVOKED_IDX = 7;

interface Kiosk {
  readonly identity: TerminalIdentity;
  readonly qrs: (WalletQr | null)[];
  /** Raw channel messages, in arrival order. */
  readonly inbox: unknown[];
  /** What rotation.handleResult made of them (null: not for a QR this kiosk showed). */
  readonly events: (WalletMachineEvent | null)[];
  readonly errors: string[];
  rotation: WalletQrRotation;
  channel: ReturnType<typeof connectKioskChannel>;
  currentQr(): WalletQr;
}

for (const kind of ['sqlite', 'pg'] as const) {
  describe(`wallet check-in end to end (${kind})`, () => {
    let dir: string;
    let schema: string | undefined;
    let app: FastifyInstance;
    let url: string;
    let statusServer: Server;
    let statusUri: string;
    let issuer: TestIssuer;
    let holder: Holder;
    let decoder: QrDecoder;
    let kioskA: Kiosk;
    let kioskB: Kiosk;
    const statusList = new StatusList(new Array(64).fill(0), 1);
    statusList.setStatus(REVOKED_IDX, 1);

    async function startKiosk(name: string): Promise<Kiosk> {
      const keyDir = join(dir, `kiosk-${name}`);
      const identity = loadOrCreateTerminalIdentity(keyDir);
      const e = await enrolTerminal({
        backendUrl: url,
        identity,
        code: await enrolmentCode(url, 'hotel-1', `desk ${name}`),
        keyDir,
      });
      expect(e.terminalId).toBe(identity.terminalId);
      const k = { identity, qrs: [], inbox: [], events: [], errors: [] } as unknown as Kiosk;
      k.rotation = startWalletQrRotation({
        backend: httpWalletBackend({
          verifierUrl: url,
          authHeaders: () => ({}),
          fetch: terminalSignedFetch({ identity }),
        }),
        profile: 'hotel-front-desk',
        rotateMs: 60_000,
        onQr: (qr) => k.qrs.push(qr),
        onError: (code, detail) => k.errors.push(`${code} ${detail}`),
      });
      k.channel = connectKioskChannel({
        url,
        identity,
        onMessage: (body) => {
          k.inbox.push(body);
          if ((body as { type?: unknown }).type === 'wallet.result')
            k.events.push(k.rotation.handleResult(body as WalletResultMessage));
        },
      });
      k.currentQr = () => {
        const q = k.qrs[k.qrs.length - 1];
        if (!q) throw new Error(`kiosk ${name} shows no QR (${k.errors.join('; ')})`);
        return q;
      };
      await waitFor(() => k.channel.state() === 'ready', 10_000, `kiosk ${name} channel`);
      await waitFor(() => k.qrs.some((q) => q !== null), 10_000, `kiosk ${name} QR`);
      return k;
    }

    /** The holder's phone camera: the QR as drawn on screen, decoded from a noisy frame. */
    async function scan(k: Kiosk): Promise<string> {
      const qr = k.currentQr();
      const found = await decoder.decode(syntheticFrame(qr.uri, 3));
      expect(found).toEqual([qr.uri]);
      return found[0]!;
    }

    const credential = (o: { statusIdx?: number; picture?: string } = {}) =>
      issuePid(issuer, holder, {
        iat: nowS() - 60,
        exp: nowS() + 86_400,
        statusUri,
        statusIdx: o.statusIdx ?? 3,
        ...(o.picture ? { claims: { ...SAMPLE_PID, picture: o.picture } } : {}),
      });

    /** Wait for the next machine event at this kiosk (after `before` of them). */
    async function nextEvent(k: Kiosk, before: number): Promise<WalletMachineEvent | null> {
      await waitFor(() => k.events.length > before, 10_000, 'the result over the kiosk channel');
      return k.events[before]!;
    }

    beforeAll(async () => {
      dir = tempDir('eid-wallet-e2e-');
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      const keys = makeDevKeys({ out: join(dir, 'dev-backend'), publicUrl: url });
      issuer = await issuerFromJwk(
        keys.issuer.iss,
        keys.issuer.kid,
        keys.issuer.privateJwk,
        keys.issuer.publicJwk,
      );
      holder = await makeHolder();
      decoder = await createQrDecoder('zxing-wasm');

      const statusPort = await freePort();
      statusUri = `http://127.0.0.1:${statusPort}/status/1`;
      statusServer = createServer((req, res) => {
        if (req.url !== '/status/1') return void res.writeHead(404).end();
        void issuer.signStatusList(statusList, statusUri, nowS()).then((jwt) => {
          res.writeHead(200, { 'content-type': 'application/statuslist+jwt' }).end(jwt);
        });
      });
      await new Promise<void>((r) => statusServer.listen(statusPort, '127.0.0.1', r));

      // the storage of this run, as backend/main.ts would take it from the environment
      const so = storageOptions(kind, dir);
      schema = so.pgSchemaName;
      const env: Record<string, string> = { BACKEND_CONFIG: keys.configFile };
      if (so.databaseUrl) {
        env.DATABASE_URL = so.databaseUrl;
        env.BACKEND_PG_SCHEMA = so.pgSchema!;
      } else env.BACKEND_SQLITE_PATH = so.sqlitePath!;
      const cfg = await loadBackendConfig(env);
      expect(cfg.verifier?.publicBaseUrl).toBe(url);
      app = await buildBackend({
        ...cfg.backend,
        logger: false,
        purgeIntervalMs: 0,
        tokens: [...(cfg.backend.tokens ?? []), ...TOKENS],
        ...(so.pgPoolSize ? { pgPoolSize: so.pgPoolSize } : {}),
        register: mountVerifier(cfg.verifier!),
      });
      await app.listen({ host: '127.0.0.1', port });
      expect(app.verifier?.clientId.startsWith('x509_hash:')).toBe(true);
      void ADMIN_TOKEN;

      kioskA = await startKiosk('A');
      kioskB = await startKiosk('B');
    }, 60_000);

    afterAll(async () => {
      for (const k of [kioskA, kioskB]) {
        k?.rotation.stop();
        k?.channel.close();
      }
      await app?.close();
      await new Promise((r) => statusServer?.close(r));
      await dropSchema(schema);
      rmSync(dir, { recursive: true, force: true });
    });

    it('only an enrolled terminal gets a QR: an unsigned or unknown-key request is refused', async () => {
      const unsigned = await httpWalletBackend({
        verifierUrl: url,
        authHeaders: () => ({}),
      }).createTransaction('hotel-front-desk');
      expect(unsigned).toMatchObject({ ok: false, code: 'E_WALLET_UNAUTHENTICATED' });
      const stranger = loadOrCreateTerminalIdentity(join(dir, 'never-enrolled'));
      const r = await httpWalletBackend({
        verifierUrl: url,
        authHeaders: () => ({}),
        fetch: terminalSignedFetch({ identity: stranger }),
      }).createTransaction('hotel-front-desk');
      expect(r).toMatchObject({ ok: false, code: 'E_WALLET_UNAUTHENTICATED' });
    });

    it('a presentation reaches the kiosk that showed the QR as document.read; the other kiosk gets nothing', async () => {
      const before = kioskA.events.length;
      const qrsBefore = kioskA.qrs.length;
      const txId = kioskA.rotation.currentTransactionId;
      const uri = await scan(kioskA);
      const run = await walletPresents(uri, await credential(), holder);
      expect(run.status).toBe(200);
      expect(run.responseBody.startsWith('response=')).toBe(true); // encrypted (direct_post.jwt)

      const ev = await nextEvent(kioskA, before);
      if (ev?.type !== 'document.read') throw new Error(`expected document.read, got ${JSON.stringify(ev)}`);
      expect(ev.document).toMatchObject({
        source: 'wallet',
        documentType: 'wallet-pid',
        documentNumber: SAMPLE_PID.document_number,
        name: `${SAMPLE_PID.family_name} ${SAMPLE_PID.given_name}`,
        birthDate: SAMPLE_PID.birthdate,
        nationality: 'DEU',
      });
      expect(ev.document.claims).toMatchObject({
        family_name: 'MUSTERMANN',
        given_name: 'ERIKA',
        birthdate: '1984-01-26',
        nationalities: ['DE'],
        document_number: 'T22000129',
      });
      // not asked for by the hotel profile, so not passed on
      expect(ev.document.claims).not.toHaveProperty('age_equal_or_over');
      const msg = kioskA.inbox[kioskA.inbox.length - 1] as WalletResultMessage;
      expect(msg.transactionId).toBe(txId);
      expect(msg.terminalId).toBe(kioskA.identity.terminalId);

      // the result rotated A's QR at once
      await waitFor(() => kioskA.qrs.length > qrsBefore, 10_000, 'a fresh QR after the result');
      expect(kioskA.rotation.currentTransactionId).not.toBe(txId);

      // B saw nothing, and would not accept A's result if it were handed one
      await new Promise((r) => setTimeout(r, 300));
      expect(kioskB.inbox).toHaveLength(0);
      expect(kioskB.rotation.handleResult(msg)).toBeNull();
    });

    it('a replayed response is refused and the kiosk hears nothing more', async () => {
      const uri = await scan(kioskA);
      const before = kioskA.events.length;
      const run = await walletPresents(uri, await credential(), holder);
      expect(run.status).toBe(200);
      await nextEvent(kioskA, before);
      const heard = kioskA.inbox.length;

      const again = await fetch(run.responseUri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: run.responseBody,
      });
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('E_WALLET_REPLAYED');
      // the same presentation wrapped for the kiosk's new QR fails too (nonce and key belong to the old one)
      const fresh = await walletPrepares(await scan(kioskA), await credential(), holder);
      const crossed = await fetch(fresh.responseUri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: run.responseBody,
      });
      expect(crossed.status).toBe(400);
      await new Promise((r) => setTimeout(r, 300));
      expect(kioskA.inbox.length).toBe(heard);
      expect(kioskB.inbox).toHaveLength(0);
    });

    it('a photographed QR dies with the next rotation', async () => {
      const old = await scan(kioskA);
      const qrsBefore = kioskA.qrs.length;
      kioskA.rotation.rotateNow();
      await waitFor(() => kioskA.qrs.length > qrsBefore, 10_000, 'rotation');
      const heard = kioskA.inbox.length;
      await expect(walletPresents(old, await credential(), holder)).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 200));
      expect(kioskA.inbox.length).toBe(heard);
    });

    it('a revoked credential becomes document.rejected (credential-revoked) at that kiosk only', async () => {
      const uri = await scan(kioskB);
      const before = kioskB.events.length;
      const heardA = kioskA.inbox.length;
      const run = await walletPresents(uri, await credential({ statusIdx: REVOKED_IDX }), holder);
      expect(run.status).toBe(400);
      expect(run.body).toContain('E_WALLET_REVOKED');
      const ev = await nextEvent(kioskB, before);
      expect(ev).toEqual({
        type: 'document.rejected',
        code: 'E_WALLET_REVOKED',
        reason: 'credential-revoked',
        source: 'wallet',
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(kioskA.inbox.length).toBe(heardA);
    });

    it('the portrait reaches the kiosk (a realistic JPEG, for the face match)', async () => {
      const picture = portraitDataUrl();
      expect(picture.length).toBeGreaterThan(8_000);
      const uri = await scan(kioskA);
      const before = kioskA.events.length;
      const run = await walletPresents(uri, await credential({ picture }), holder);
      expect(run.status).toBe(200);
      const ev = await nextEvent(kioskA, before);
      if (ev?.type !== 'document.read') throw new Error(`expected document.read, got ${JSON.stringify(ev)}`);
      expect(ev.document.portrait?.format).toBe('jpeg');
      expect(Buffer.from(ev.document.portrait!.bytes).toString('base64')).toBe(picture.split(',')[1]);
    });
  });
}
