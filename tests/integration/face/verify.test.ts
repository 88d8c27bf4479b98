// Real models through onnxruntime-node and real OpenCV on the committed face-api.js stills (MIT; provenance in
// tests/fixtures/face/README.md). The threshold is the calibrated default in config/schema/face.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceSection } from '../../../config/schema/face.ts';
import type { FaceEngine } from '../../../kiosk/face/engine.ts';
import { createFaceEngine } from '../../../kiosk/face/engine.ts';
import { cv, decodeImage } from '../../../kiosk/face/cv.ts';
import { MODELS, image } from '../../fixtures/face/make-video.ts';

const cfg = faceSection.parse({});
let engine: FaceEngine;

beforeAll(async () => {
  engine = await createFaceEngine(cfg, { modelsDir: MODELS });
});
afterAll(async () => {
  await engine.close();
});

/** Re-encodes a fixture the way a document would carry it. */
function asDocumentPhoto(name: string, kind: 'id-card' | 'passport' | 'wallet'): Uint8Array {
  const c = cv();
  const m = decodeImage(image(name));
  if (!m) throw new Error('fixture unreadable');
  if (kind === 'id-card') {
    // 102×126: the resident ID card's chip photo size, cropped tight like the card's head-and-shoulders frame.
    const crop = m.getRegion(new c.Rect(14, 0, 122, 150)).resize(126, 102, 0, 0, c.INTER_AREA);
    return new Uint8Array(c.imencode('.jpg', crop, [c.IMWRITE_JPEG_QUALITY, 75]));
  }
  if (kind === 'passport') {
    // A chip portrait: ~ 35×45 mm proportions at 413×531, plain light background around the head.
    const big = m.resize(300, 300, 0, 0, c.INTER_CUBIC);
    const page = big.copyMakeBorder(120, 111, 56, 57, c.BORDER_CONSTANT, new c.Vec3(235, 235, 235));
    return new Uint8Array(c.imencode('.jpg', page, [c.IMWRITE_JPEG_QUALITY, 85]));
  }
  const wallet = m.resize(480, 480, 0, 0, c.INTER_CUBIC).copyMakeBorder(60, 60, 0, 0, c.BORDER_REPLICATE);
  return new Uint8Array(c.imencode('.png', wallet));
}

describe('face verify (real models)', () => {
  it('same person scores above the threshold', async () => {
    for (const [a, b] of [
      ['amy1.png', 'amy3.png'],
      ['amy2.png', 'amy5.png'],
      ['sheldon1.png', 'sheldon2.png'],
    ] as const) {
      const r = await engine.verify(image(a), image(b));
      expect(r.error, `${a} ${b}`).toBeUndefined();
      expect(r.score, `${a} ${b}`).toBeGreaterThan(cfg.threshold);
      expect(r.match).toBe(true);
      expect(r).toMatchObject({ threshold: cfg.threshold, fmr: cfg.thresholdFmr });
    }
  });

  it('different people score below the threshold', async () => {
    for (const [a, b] of [
      ['amy1.png', 'sheldon1.png'],
      ['amy4.png', 'penny1.png'],
      ['raj1.png', 'sheldon2.png'],
      ['penny1.png', 'raj1.png'],
    ] as const) {
      const r = await engine.verify(image(a), image(b));
      expect(r.score, `${a} ${b}`).toBeLessThan(cfg.threshold);
      expect(r.match).toBe(false);
    }
  });

  it('matches from a 102×126 ID-card photo, a passport chip JPEG and a wallet portrait', async () => {
    for (const kind of ['id-card', 'passport', 'wallet'] as const) {
      const ref = asDocumentPhoto('amy3.png', kind);
      const same = await engine.verify(ref, image('amy4.png'));
      expect(same.match, `${kind} same`).toBe(true);
      const other = await engine.verify(ref, image('penny1.png'));
      expect(other.match, `${kind} other`).toBe(false);
      expect(other.score).toBeDefined();
    }
    const idPhoto = decodeImage(asDocumentPhoto('amy3.png', 'id-card'));
    expect([idPhoto?.cols, idPhoto?.rows]).toEqual([102, 126]);
  });

  it('no face, unreadable bytes and a tiny face give a typed answer, not an exception', async () => {
    const c = cv();
    const blank = new Uint8Array(c.imencode('.png', new c.Mat(240, 320, c.CV_8UC3, [90, 140, 180])));
    const r = await engine.verify(blank, image('amy1.png'));
    expect(r).toMatchObject({ match: false, error: 'a: no face' });
    expect(r.score).toBeUndefined();
    expect(await engine.verify(image('amy1.png'), new TextEncoder().encode('not an image'))).toMatchObject({
      match: false,
      error: 'b: unreadable image',
    });
    // A 6-pixel face in a big empty frame is not a usable face.
    const tinyFace = decodeImage(image('amy2.png'))!.resize(8, 8);
    const big = new c.Mat(480, 640, c.CV_8UC3, [128, 128, 128]);
    tinyFace.copyTo(big.getRegion(new c.Rect(300, 200, 8, 8)));
    const tiny = await engine.embedImage(new Uint8Array(c.imencode('.png', big)));
    expect(tiny).toEqual({ ok: false, reason: 'no-face' });
  });

  it('a group photo: embedImage reports every face and uses the most prominent', async () => {
    const r = await engine.embedImage(image('bbt3.jpg'));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.faces).toBeGreaterThanOrEqual(4);
      expect(r.embedding).toHaveLength(512);
    }
  });
});
