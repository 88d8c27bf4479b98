// `eid-kiosk face verify` and `face calibrate` end to end through the CLI dispatcher, real models.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { memoryIo } from '../../../kiosk/cli/io.ts';
import { main } from '../../../kiosk/cli/main.ts';
import { FIXTURES } from '../../fixtures/face/make-video.ts';

const dir = mkdtempSync(join(tmpdir(), 'eid-face-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eid-kiosk face', () => {
  it('verify --json prints one JSON object with score, threshold, fmr, match', async () => {
    const io = memoryIo();
    const code = await main(['face', 'verify', FIXTURES + 'amy1.png', FIXTURES + 'amy4.png', '--json'], io);
    expect(code).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const r = JSON.parse(io.stdout[0] ?? '') as Record<string, unknown>;
    expect(Object.keys(r).sort()).toEqual(['fmr', 'match', 'score', 'threshold']);
    expect(r.match).toBe(true);
    expect(r.score).toBeGreaterThan(r.threshold as number);
  });

  it('verify --json names the side without a usable face and exits 1', async () => {
    const blank = join(dir, 'blank.txt');
    writeFileSync(blank, 'not an image');
    const io = memoryIo();
    const code = await main(['face', 'verify', FIXTURES + 'amy1.png', blank, '--json'], io);
    expect(code).toBe(1);
    const r = JSON.parse(io.stdout[0] ?? '') as Record<string, unknown>;
    expect(r).toMatchObject({ match: false, error: 'b: unreadable image' });
    expect(r.score).toBeUndefined();
  });

  it('calibrate writes threshold, thresholdFmr and calibration into a config file that loads', async () => {
    const names = [
      'amy1.png',
      'amy2.png',
      'amy3.png',
      'amy4.png',
      'amy5.png',
      'sheldon1.png',
      'sheldon2.png',
      'raj1.png',
      'penny1.png',
    ];
    // LFW-style names so identities come from file names.
    const lfw = names.map((n) =>
      n.replace(/^([a-z]+)(\d)\.png$/, (_, p: string, d: string) => `${p}_000${d}.png`),
    );
    names.forEach((n, i) => copyFileSync(FIXTURES + n, join(dir, lfw[i] as string)));
    writeFileSync(
      join(dir, 'pairs.tsv'),
      `# test pairs\n0\t1\t${lfw[0]}\t${lfw[2]}\n0\t0\t${lfw[0]}\t${lfw[5]}\n`,
    );
    const out = join(dir, 'kiosk.json');
    writeFileSync(out, JSON.stringify({ face: { maxYaw: 20 } }));
    const io = memoryIo();
    const code = await main(['face', 'calibrate', join(dir, 'pairs.tsv'), '--fmr', '0.1', '--out', out], io);
    expect(io.stderr.join('\n')).not.toMatch(/E_/);
    expect(code).toBe(0);
    // 9 images: amy 5 (10 genuine pairs), sheldon 2 (1) → 11 genuine, 36 − 11 = 25 impostor pairs
    expect(io.stdout[0]).toMatch(/11 genuine and 25 impostor pairs/);
    const cfg = loadConfig({ file: out });
    expect(cfg.face.maxYaw).toBe(20); // the rest of the file is kept
    expect(cfg.face.thresholdFmr).toBe(0.1);
    expect(cfg.face.calibration).toMatchObject({ pairs: 36, genuine: 11, impostor: 25 });
    expect(cfg.face.calibration?.tmr).toBeGreaterThan(0.5);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { face: { threshold: number } };
    expect(written.face.threshold).toBe(cfg.face.threshold);
  });

  it('calibrate refuses an FMR the impostor count cannot resolve, with a typed code', async () => {
    const io = memoryIo();
    const code = await main(['face', 'calibrate', join(dir, 'pairs.tsv'), '--fmr', '1e-4'], io);
    expect(code).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/E_FACE_CALIBRATION_INSUFFICIENT/);
  });
});
