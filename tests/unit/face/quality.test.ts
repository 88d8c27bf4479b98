import { describe, expect, it } from 'vitest';
import { faceSection } from '../../../config/schema/face.ts';
import { assessQuality } from '../../../kiosk/face/quality.ts';

const lim = faceSection.parse({});
const good = {
  faces: 1,
  frameWidth: 640,
  frameHeight: 480,
  faceWidth: 160,
  faceHeight: 190,
  yaw: 2,
  pitch: -5,
  sharpness: 200,
  brightness: 120,
};

describe('quality gate', () => {
  it('passes a good frame', () => {
    expect(assessQuality(good, lim).ok).toBe(true);
  });
  it.each([
    [{ faces: 0 }, 'no-face', 'look-at-camera'],
    [{ faces: 2 }, 'several-faces', 'one-person-only'],
    [{ faceWidth: 40, faceHeight: 50 }, 'too-small', 'move-closer'],
    [{ faceHeight: 460 }, 'too-large', 'move-back'],
    [{ yaw: 40 }, 'pose', 'face-the-camera'],
    [{ pitch: -40 }, 'pose', 'face-the-camera'],
    [{ sharpness: 3 }, 'blur', 'hold-still'],
    [{ brightness: 20 }, 'dark', 'more-light'],
    [{ brightness: 240 }, 'bright', 'less-light'],
  ] as const)('%o → %s / %s', (change, problem, hint) => {
    const v = assessQuality({ ...good, ...change }, lim);
    expect(v).toEqual({ ok: false, problem, hint });
  });
  it('skips the pose check when asked (during a turn step)', () => {
    expect(assessQuality({ ...good, yaw: 40 }, lim, false).ok).toBe(true);
  });
});
