// buildRealAdapters outside demo mode with an enrolled terminal: the wallet adapter is the real one, asking the
// backend's OpenID4VP verifier (backend/main.ts's wiring: buildBackend + the verifier mounted from a dev-keys
// config, SQLite, 127.0.0.1) for transactions with signed requests; the welcome screen shows its QR.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBackend } from '../../../backend/app.ts';
import { loadBackendConfig, mountVerifier } from '../../../backend/config-file.ts';
import { makeDevKeys } from '../../../backend/dev-keys.ts';
import { loadConfig } from '../../../config/load.ts';
import { loadOrCreateTerminalIdentity } from '../../../kiosk/audit/identity.ts';
import { compose } from '../../../kiosk/main/compose.ts';
import type { Composition } from '../../../kiosk/main/compose.ts';
import { buildRealAdapters, DEMO_VIDEO } from '../../../kiosk/main/real-adapters.ts';
import type { RealAdapters } from '../../../kiosk/main/real-adapters.ts';
import { enrolTerminal } from '../../../kiosk/sync/enrol.ts';
import { freePort } from '../../fixtures/wallet/net.ts';
import { TOKENS, enrolmentCode, tempDir, waitFor } from '../backend/harness.ts';

const repoDir = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
let app: FastifyInstance;
let real: RealAdapters;
let comp: Composition;

beforeAll(async () => {
  dir = tempDir('eid-real-wallet-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const keys = makeDevKeys({ out: join(dir, 'dev-backend'), publicUrl: url });
  const cfg = await loadBackendConfig({
    BACKEND_CONFIG: keys.configFile,
    BACKEND_SQLITE_PATH: join(dir, 'backend.sqlite'),
  });
  app = await buildBackend({
    ...cfg.backend,
    logger: false,
    purgeIntervalMs: 0,
    tokens: [...(cfg.backend.tokens ?? []), ...TOKENS],
    register: mountVerifier(cfg.verifier!),
  });
  await app.listen({ host: '127.0.0.1', port });

  // The kiosk's data dir; the audit runtime finds its key and enrolment under <dataDir>/keys.
  const dataDir = join(dir, 'kiosk');
  const keyDir = join(dataDir, 'keys');
  const identity = loadOrCreateTerminalIdentity(keyDir);
  await enrolTerminal({
    backendUrl: url,
    identity,
    code: await enrolmentCode(url, 'hotel-1', 'desk'),
    keyDir,
  });

  const config = loadConfig({
    profile: 'hotel-front-desk',
    overrides: {
      audit: { backendUrl: url },
      wallet: { verifierUrl: url },
      face: { camera: { source: join(repoDir, DEMO_VIDEO), loop: true, realtime: true } },
    },
  });
  real = await buildRealAdapters(config, { demo: false, dataDir, repoDir, log: pino({ level: 'silent' }) });
  comp = compose(config, real.adapters, {});
}, 60_000);

afterAll(async () => {
  comp?.stop();
  await real?.close();
  await app?.close();
});

describe('real wallet adapter', () => {
  it('is wired when enrolled, and the welcome screen shows the verifier QR (signed request accepted)', async () => {
    expect(real.adapters.wallet).toBeDefined();
    await waitFor(() => (comp.engine.view().walletQr?.uri ?? '').length > 0, 15_000, 'a wallet QR');
    const qr = comp.engine.view().walletQr!;
    expect(qr.uri).toMatch(/^(openid4vp|eudi-openid4vp|haip):\/\/|request_uri=/);
    expect(qr.expiresAt).toBeGreaterThan(Date.now());
    expect(app.verifier!.stats()).toBeDefined();
  });
});
