// The whole real-person check driven by a video-file camera (OpenCV VideoCapture on MJPG files made here from
// the committed face-api.js stills), with the real models. What a synthetic slideshow cannot prove: that a
// live person passes or that a replay fails — see docs/face.md, Limits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceSection } from '../../../config/schema/face.ts';
import type { ChallengeStep, FaceHint } from '../../../kiosk/core/types.ts';
import type { Camera, Capture, Frame } from '../../../kiosk/face/camera.ts';
import { openCamera } from '../../../kiosk/face/camera.ts';
import { cv, decodeImage } from '../../../kiosk/face/cv.ts';
import type { FaceEngine } from '../../../kiosk/face/engine.ts';
import { createFaceEngine } from '../../../kiosk/face/engine.ts';
import { MODELS, image, makeChallengeVideo } from '../../fixtures/face/make-video.ts';

const dir = mkdtempSync(join(tmpdir(), 'eid-face-'));
const STEPS: ChallengeStep[] = ['turn-left', 'turn-right', 'blink'];
let video: string;
let engine: FaceEngine;
let engineCfg: ReturnType<typeof faceSection.parse>;

/** randomInt that yields the given steps in order (drawChallenge filters out the previous step). */
function scripted(steps: readonly ChallengeStep[]): (n: number) => number {
  let i = 0;
  return () => {
    const k = i++ % steps.length; // every check draws the same sequence again
    const want = steps[k];
    const prev = k === 0 ? undefined : steps[k - 1];
    const options = (['turn-left', 'turn-right', 'blink'] as const).filter((s) => s !== prev);
    return options.indexOf(want as (typeof options)[number]);
  };
}

const reference = { format: 'png' as const, bytes: image('amy5.png') };

async function check(cam: Camera, length = 3, cfgEngine = engine) {
  const hints: [FaceHint, number | undefined][] = [];
  const r = await cfgEngine.runCheck({
    reference,
    camera: cam,
    challengeLength: length,
    onHint: (h, info) => hints.push([h, info?.step]),
    signal: new AbortController().signal,
  });
  return { r, hints };
}

beforeAll(async () => {
  video = join(dir, 'challenge.avi');
  await makeChallengeVideo(video, STEPS);
  // livenessMin 0: a slideshow of stills is (rightly) not live; the passive model is checked separately.
  engineCfg = faceSection.parse({ livenessMin: 0, acquireTimeoutMs: 800 });
  engine = await createFaceEngine(engineCfg, { modelsDir: MODELS, randomInt: scripted(STEPS) });
});

afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('video-file camera', () => {
  it('delivers every frame in order with frame-rate timestamps, a JPEG preview, then ends', async () => {
    const cam = openCamera({ ...engineCfg.camera, source: video, realtime: false });
    const frames: Frame[] = [];
    for await (const f of cam.frames()) frames.push(f);
    expect(frames.length).toBe(38);
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1));
    expect(frames[10]?.at).toBeCloseTo(1000, 5);
    expect(frames[0]).toMatchObject({ width: 320, height: 240 });
    expect(cam.state).toBe('ended');
    const jpeg = cam.previewJpeg();
    expect(jpeg?.[0]).toBe(0xff);
    expect(jpeg?.[1]).toBe(0xd8);
    const prev = cv().imdecode(Buffer.from(jpeg!));
    expect(prev.cols).toBeLessThanOrEqual(engineCfg.camera.previewWidth);
    cam.close();
  });

  it('a video file that cannot be opened is a typed error', () => {
    expect(() =>
      openCamera({ ...engineCfg.camera, source: join(dir, 'missing.avi'), realtime: false }),
    ).toThrow(expect.objectContaining({ code: 'E_FACE_CAMERA_OPEN' }));
  });

  it('reports a lost device and recovers when it delivers again', async () => {
    let reads = 0;
    let opens = 0;
    const open = (src: string | number): Capture => {
      opens++;
      const real = new (cv().VideoCapture)(String(src)) as unknown as Capture;
      return {
        // frames 6–40 of the session come back empty: the cable is out
        readAsync: async () => (++reads > 5 && reads <= 40 ? new (cv().Mat)() : real.readAsync()),
        get: (p) => real.get(p),
        set: (p, v) => real.set(p, v),
        release: () => real.release(),
      };
    };
    const cam = openCamera(
      {
        ...engineCfg.camera,
        source: video,
        realtime: true,
        loop: true,
        fps: 50,
        lostAfterMs: 150,
        reconnectMs: 50,
      },
      { open },
    );
    const seen: string[] = [];
    cam.onStatus((s) => seen.push(s));
    await new Promise<void>((resolve) => {
      const off = cam.onStatus((s) => {
        if (s === 'open') {
          off();
          resolve();
        }
      });
    });
    expect(seen).toEqual(['lost', 'open']);
    expect(opens).toBeGreaterThanOrEqual(2);
    const it = cam.frames()[Symbol.asyncIterator]();
    const next = await it.next();
    expect(next.done).toBe(false);
    cam.close();
    expect(cam.state).toBe('closed');
  });
});

describe('real-person check', () => {
  it('passes the challenge performed in order and matches the face that moved; frames are zeroed', async () => {
    const cam = openCamera({ ...engineCfg.camera, source: video, realtime: false });
    const yielded: Frame[] = [];
    const recording: Camera = {
      get state() {
        return cam.state;
      },
      frames: (s) => ({
        async *[Symbol.asyncIterator]() {
          for await (const f of cam.frames(s)) {
            yielded.push(f);
            yield f;
          }
        },
      }),
      previewJpeg: () => cam.previewJpeg(),
      onStatus: (fn) => cam.onStatus(fn),
      close: () => cam.close(),
    };
    const { r, hints } = await check(recording);
    cam.close();
    expect(r.outcome).toBe('match');
    expect(r.challenge).toEqual(STEPS);
    expect(r.score).toBeGreaterThan(engineCfg.threshold);
    expect(r).toMatchObject({ threshold: engineCfg.threshold, fmr: engineCfg.thresholdFmr });
    expect(r.liveness).toBeGreaterThanOrEqual(0);
    expect(hints.map(([h]) => h)).toEqual(['look-at-camera', 'turn-left', 'turn-right', 'blink', 'matching']);
    expect(hints.filter(([h]) => h !== 'look-at-camera' && h !== 'matching').map(([, s]) => s)).toEqual([
      0, 1, 2,
    ]);
    expect(yielded.length).toBeGreaterThan(20);
    expect(yielded.every((f) => f.data.every((b) => b === 0))).toBe(true);
  });

  it('the same performance against another person’s portrait is no match', async () => {
    const cam = openCamera({ ...engineCfg.camera, source: video, realtime: false });
    const r = await engine.runCheck({
      reference: { format: 'png', bytes: image('penny1.png') },
      camera: cam,
      challengeLength: 3,
      onHint: () => undefined,
      signal: new AbortController().signal,
    });
    cam.close();
    expect(r.outcome).toBe('no-match');
    expect(r.score).toBeLessThan(engineCfg.threshold);
  });

  it('fails a challenge asked in another order (a held wrong turn), with the step named', async () => {
    const e = await createFaceEngine(engineCfg, {
      modelsDir: MODELS,
      randomInt: scripted(['turn-right', 'turn-left']),
    });
    try {
      const cam = openCamera({ ...engineCfg.camera, source: video, realtime: false });
      const { r } = await check(cam, 2, e);
      cam.close();
      expect(r.outcome).toBe('challenge-failed');
      expect(r.detail).toMatch(/step 1 \(turn-right\): wrong-move/);
      expect(r.score).toBeUndefined();
    } finally {
      await e.close();
    }
  });

  it('no face, two faces and a tiny face give the right outcome and hints', async () => {
    const c = cv();
    const make = (name: string, draw: (m: InstanceType<ReturnType<typeof cv>['Mat']>) => void) => {
      const file = join(dir, name);
      const w = new c.VideoWriter(file, c.VideoWriter.fourcc('MJPG'), 10, new c.Size(320, 240), true);
      for (let i = 0; i < 12; i++) {
        const m = new c.Mat(240, 320, c.CV_8UC3, [120 + i, 130, 140]);
        draw(m);
        w.write(m);
      }
      w.release();
      return file;
    };
    const face = (n: string, size: number) => decodeImage(image(n))!.resize(size, size);
    const empty = make('empty.avi', () => undefined);
    const two = make('two.avi', (m) => {
      face('amy2.png', 140).copyTo(m.getRegion(new c.Rect(10, 50, 140, 140)));
      face('sheldon1.png', 140).copyTo(m.getRegion(new c.Rect(170, 50, 140, 140)));
    });
    const tiny = make('tiny.avi', (m) =>
      face('amy2.png', 50).copyTo(m.getRegion(new c.Rect(135, 95, 50, 50))),
    );
    const run = async (file: string) =>
      check(openCamera({ ...engineCfg.camera, source: file, realtime: false }));
    const a = await run(empty);
    expect(a.r.outcome).toBe('no-face');
    expect(a.hints.map(([h]) => h)).toEqual(['look-at-camera']);
    const b = await run(two);
    expect(b.r.outcome).toBe('quality');
    expect(b.hints.map(([h]) => h)).toContain('one-person-only');
    const t = await run(tiny);
    expect(t.r.outcome).toBe('quality');
    expect(t.hints.map(([h]) => h)).toContain('move-closer');
    for (const x of [a, b, t]) expect(x.r.score).toBeUndefined();
  });

  it('an unusable portrait gives no-reference; an aborted check rejects with the abort reason', async () => {
    const cam = openCamera({ ...engineCfg.camera, source: video, realtime: false });
    const bad = await engine.runCheck({
      reference: { format: 'jpeg', bytes: new TextEncoder().encode('no jpeg here') },
      camera: cam,
      challengeLength: 2,
      onHint: () => undefined,
      signal: new AbortController().signal,
    });
    expect(bad).toMatchObject({ outcome: 'no-reference', threshold: engineCfg.threshold });
    const ac = new AbortController();
    ac.abort(new Error('cancelled by the machine'));
    await expect(
      engine.runCheck({
        reference,
        camera: cam,
        challengeLength: 2,
        onHint: () => undefined,
        signal: ac.signal,
      }),
    ).rejects.toThrow('cancelled by the machine');
    cam.close();
  });

  it('a camera lost during the check ends it with camera-lost', async () => {
    const cam = openCamera({ ...engineCfg.camera, source: video, realtime: false });
    let n = 0;
    const flaky: Camera = {
      get state() {
        return n > 8 ? 'lost' : cam.state;
      },
      frames: (s) => ({
        async *[Symbol.asyncIterator]() {
          for await (const f of cam.frames(s)) {
            if (++n > 8) return; // the device vanished: the stream ends with state 'lost'
            yield f;
          }
        },
      }),
      previewJpeg: () => cam.previewJpeg(),
      onStatus: (fn) => cam.onStatus(fn),
      close: () => cam.close(),
    };
    const { r } = await check(flaky);
    cam.close();
    expect(r.outcome).toBe('camera-lost');
  });
});
