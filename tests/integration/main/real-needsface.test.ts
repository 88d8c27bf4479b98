// The venue's faceRequired guard through compose(): with stadiumGate.faceCheck 'when-portrait' a credential
// without a portrait (a phone identity QR) skips the face step; a card with a portrait still goes through it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { compose } from '../../../kiosk/main/compose.ts';
import type { Composition } from '../../../kiosk/main/compose.ts';
import type { RealAdapters } from '../../../kiosk/main/real-adapters.ts';
import { buildRealAdapters, demoOverrides, prepareDemo } from '../../../kiosk/main/real-adapters.ts';
import type { KioskView } from '../../../kiosk/shared/view.ts';

const repoDir = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'eid-real-needsface-'));
let real: RealAdapters;
let comp: Composition;
const screens: string[] = [];

function until(pred: (v: KioskView) => boolean, ms: number): Promise<KioskView> {
  return new Promise((resolve, reject) => {
    if (pred(comp.engine.view())) return resolve(comp.engine.view());
    const timer = setTimeout(() => (off(), reject(new Error(JSON.stringify(comp.engine.view())))), ms);
    const off = comp.engine.subscribe((v) => {
      if (pred(v)) {
        clearTimeout(timer);
        off();
        resolve(v);
      }
    });
  });
}

beforeAll(async () => {
  const prep = prepareDemo(dataDir);
  const config = loadConfig({
    profile: 'stadium-gate',
    overrides: {
      ...demoOverrides(prep.rigPaths, { repoDir, issuer: prep.issuer }),
      venue: { stadiumGate: { faceCheck: 'when-portrait' } },
      timeouts: { resultMs: 1_000, reviewMs: 5_000 },
    },
  });
  real = await buildRealAdapters(config, {
    demo: true,
    dataDir,
    repoDir,
    log: pino({ level: 'silent' }),
    demoPrep: prep,
  });
  comp = compose(config, real.adapters, { demo: true });
  comp.engine.subscribe((v) => screens.push(v.screen));
  await until((v) => v.screen === 'welcome', 10_000);
}, 60_000);

afterAll(async () => {
  comp?.stop();
  await real?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the venue's faceRequired guard", () => {
  it('an identity QR (no portrait) skips the face screen', async () => {
    await until((v) => v.screen === 'welcome', 15_000);
    screens.length = 0;
    await real.rig!.scanIdentityQr(0);
    await until((v) => v.screen === 'result' || v.screen === 'review', 20_000);
    expect(screens).not.toContain('face');
    await until((v) => v.screen === 'welcome', 10_000);
  }, 40_000);

  it('a card with a portrait still shows the face screen and passes', async () => {
    await until((v) => v.screen === 'welcome', 15_000);
    screens.length = 0;
    await real.rig!.presentCard(0);
    const v = await until((x) => x.screen === 'result' || x.screen === 'review', 40_000);
    expect(screens).toContain('face');
    expect(v.result).toMatchObject({ outcome: 'pass' });
  }, 60_000);
});
