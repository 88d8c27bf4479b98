// models/fetch.ts: the sha256 check that decides whether a model file is present and right.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODELS_DIR, checkModels, readManifest } from '../../../models/fetch.ts';

const dir = mkdtempSync(join(tmpdir(), 'eid-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model fetch-and-verify', () => {
  it('the manifest names six models with sha256, shapes, preprocessing and licence', () => {
    const m = readManifest() as ReturnType<typeof readManifest> & {
      models: {
        sha256: string;
        input: { shape: number[] };
        preprocessing: string;
        licence: string;
        trainedFor: string;
      }[];
    };
    expect(m.source).toMatchObject({ package: 'faceplugin-face-recognition-js', version: '0.0.1' });
    expect(m.source.tarballIntegrity).toMatch(/^sha512-/);
    expect(m.models.map((x) => x.name).sort()).toEqual([
      'fr_detect',
      'fr_eye',
      'fr_feature',
      'fr_landmark',
      'fr_liveness',
      'fr_pose',
    ]);
    for (const x of m.models) {
      expect(x.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(x.input.shape[0]).toBe(1);
      expect(x.preprocessing.length).toBeGreaterThan(10);
      expect(x.licence).toBeTruthy();
      expect(x.trainedFor).toBeTruthy();
    }
  });

  it('the installed models verify; a missing or altered file is reported', () => {
    expect(checkModels()).toEqual([]);
    copyFileSync(join(MODELS_DIR, 'manifest.json'), join(dir, 'manifest.json'));
    for (const m of readManifest().models) copyFileSync(join(MODELS_DIR, m.file), join(dir, m.file));
    expect(checkModels(dir)).toEqual([]);
    writeFileSync(join(dir, 'fr_eye.onnx'), 'tampered');
    rmSync(join(dir, 'fr_pose.onnx'));
    expect(
      checkModels(dir)
        .map((m) => m.file)
        .sort(),
    ).toEqual(['fr_eye.onnx', 'fr_pose.onnx']);
  });
});
