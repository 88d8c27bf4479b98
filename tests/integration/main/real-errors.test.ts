// buildRealAdapters fails clearly when the face models are missing, and releases what it had opened.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { buildRealAdapters, DEMO_VIDEO } from '../../../kiosk/main/real-adapters.ts';
import { startAuditRuntime } from '../../../kiosk/sync/runtime.ts';

const repoDir = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'eid-real-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildRealAdapters failures', () => {
  it('missing models: a KioskError naming `npm run setup`; the audit store it opened is closed again', async () => {
    const modelsDir = join(dir, 'no-models');
    mkdirSync(modelsDir);
    const dataDir = join(dir, 'data');
    const config = loadConfig({
      overrides: { face: { camera: { source: join(repoDir, DEMO_VIDEO) } } },
    });
    const err = await buildRealAdapters(config, {
      demo: false,
      dataDir,
      repoDir,
      modelsDir,
      log: pino({ level: 'silent' }),
    }).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(err?.code).toBe('E_FACE_MODEL_MISSING');
    expect(err?.message).toContain('npm run setup');
    // The store was released: it opens again and continues its chain.
    const rt = startAuditRuntime({ config: config.audit, dataDir });
    const types = rt
      .store()
      .events(1, 100)
      .map((e) => e.type);
    expect(types.filter((t) => t === 'system.started').length).toBe(2);
    expect(rt.store().verify()).toMatchObject({ ok: true });
    await rt.close();
  });
});
