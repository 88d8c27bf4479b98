// The wallet path on a fleet: two backend instances on one PostgreSQL schema, each with its own verifier public
// URL (the sticky-routing rule of docs/wallet.md "Transactions and fleets"). The kiosk creates its QR at
// instance 1 but holds its kiosk channel at instance 2; the wallet follows the QR to instance 1; the result
// crosses to instance 2 through LISTEN/NOTIFY (with the portrait: a parked, encrypted frame) and reaches the
// kiosk. A response sent to the wrong instance finds no transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildBackend } from '../../../backend/app.ts';
import { loadBackendConfig, mountVerifier } from '../../../backend/config-file.ts';
import { makeDevKeys } from '../../../backend/dev-keys.ts';
import { loadOrCreateTerminalIdentity } from '../../../kiosk/audit/identity.ts';
import { connectKioskChannel } from '../../../kiosk/sync/channel.ts';
import { enrolTerminal } from '../../../kiosk/sync/enrol.ts';
import { httpWalletBackend } from '../../../kiosk/wallet/backend-client.ts';
import { startWalletQrRotation } from '../../../kiosk/wallet/qr-rotation.ts';
import type { WalletMachineEvent, WalletQr, WalletQrRotation } from '../../../kiosk/wallet/qr-rotation.ts';
import { terminalSignedFetch } from '../../../kiosk/wallet/signed-fetch.ts';
import type { WalletResultMessage } from '../../../kiosk/credentials/wallet/messages.ts';
import { SAMPLE_PID, issuePid, makeHolder, walletPrepares } from '../../fixtures/wallet/oid4vp.ts';
import type { Holder, TestIssuer } from '../../fixtures/wallet/oid4vp.ts';
import { freePort } from '../../fixtures/wallet/net.ts';
import { PG_URL, TOKENS, dropSchema, enrolmentCode, tempDir, waitFor } from '../backend/harness.ts';
import { issuerFromJwk, portraitDataUrl } from './helpers.ts';

const nowS = () => Math.floor(Date.now() / 1000);

describe('wallet check-in on a two-instance fleet (PostgreSQL)', () => {
  const schema = `t_${process.pid}_fleet_${Date.now().toString(36)}`;
  let dir: string;
  const apps: FastifyInstance[] = [];
  const urls: string[] = [];
  let issuer: TestIssuer;
  let holder: Holder;
  let rotation: WalletQrRotation;
  let channel: ReturnType<typeof connectKioskChannel>;
  const qrs: (WalletQr | null)[] = [];
  const events: (WalletMachineEvent | null)[] = [];

  beforeAll(async () => {
    dir = tempDir('eid-wallet-fleet-');
    const ports = [await freePort(), await freePort()];
    // one set of keys (the same verifier certificate and trust list on every instance)
    const keys = makeDevKeys({ out: join(dir, 'keys'), publicUrl: `http://127.0.0.1:${ports[0]}` });
    issuer = await issuerFromJwk(
      keys.issuer.iss,
      keys.issuer.kid,
      keys.issuer.privateJwk,
      keys.issuer.publicJwk,
    );
    holder = await makeHolder();
    for (const port of ports) {
      const url = `http://127.0.0.1:${port}`;
      const cfg = await loadBackendConfig({
        BACKEND_CONFIG: keys.configFile,
        DATABASE_URL: PG_URL,
        BACKEND_PG_SCHEMA: schema,
        BACKEND_VERIFIER_PUBLIC_URL: url, // per instance: the wallet comes back to the one that made the QR
      });
      const app = await buildBackend({
        ...cfg.backend,
        logger: false,
        purgeIntervalMs: 0,
        pgPoolSize: 3,
        tokens: [...(cfg.backend.tokens ?? []), ...TOKENS],
        register: mountVerifier(cfg.verifier!),
      });
      await app.listen({ host: '127.0.0.1', port });
      apps.push(app);
      urls.push(url);
    }
    const keyDir = join(dir, 'kiosk');
    const identity = loadOrCreateTerminalIdentity(keyDir);
    await enrolTerminal({
      backendUrl: urls[0]!,
      identity,
      code: await enrolmentCode(urls[0]!, 'hotel-1'),
      keyDir,
    });
    rotation = startWalletQrRotation({
      backend: httpWalletBackend({
        verifierUrl: urls[0]!,
        authHeaders: () => ({}),
        fetch: terminalSignedFetch({ identity }),
      }),
      profile: 'hotel-front-desk',
      rotateMs: 60_000,
      onQr: (qr) => qrs.push(qr),
    });
    channel = connectKioskChannel({
      url: urls[1]!,
      identity,
      onMessage: (body) => {
        if ((body as { type?: unknown }).type === 'wallet.result')
          events.push(rotation.handleResult(body as WalletResultMessage));
      },
    });
    await waitFor(() => channel.state() === 'ready', 10_000, 'channel at instance 2');
    await waitFor(() => qrs.some((q) => q !== null), 10_000, 'QR from instance 1');
  }, 60_000);

  afterAll(async () => {
    rotation?.stop();
    channel?.close();
    for (const a of apps) await a.close();
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the QR points at instance 1, the result reaches the kiosk connected to instance 2 (portrait included)', async () => {
    expect(apps[1]!.kioskChannel.connectedHere()).toHaveLength(1);
    expect(apps[0]!.kioskChannel.connectedHere()).toHaveLength(0);
    const qr = qrs[qrs.length - 1]!;
    const picture = portraitDataUrl();
    const credential = await issuePid(issuer, holder, {
      iat: nowS() - 60,
      exp: nowS() + 86_400,
      claims: { ...SAMPLE_PID, picture },
    });
    const p = await walletPrepares(qr.uri, credential, holder);
    expect(p.responseUri.startsWith(`${urls[0]}/wallet/response/`)).toBe(true);

    // posted to the other instance, the response finds no transaction there and the kiosk hears nothing
    const wrong = await fetch(p.responseUri.replace(urls[0]!, urls[1]!), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: p.responseBody,
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('E_WALLET_TX_UNKNOWN');

    const right = await fetch(p.responseUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: p.responseBody,
    });
    expect(right.status).toBe(200);
    await waitFor(() => events.length === 1, 10_000, 'the result via NOTIFY at instance 2');
    const ev = events[0];
    if (ev?.type !== 'document.read') throw new Error(`expected document.read, got ${JSON.stringify(ev)}`);
    expect(ev.document).toMatchObject({ documentType: 'wallet-pid', documentNumber: 'T22000129' });
    expect(Buffer.from(ev.document.portrait!.bytes).toString('base64')).toBe(picture.split(',')[1]);
  });
});
