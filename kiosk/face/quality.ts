// The quality gate a camera frame passes before it is used: exactly one face, big enough but not too big,
// facing the camera, sharp, well exposed. Pure: takes measurements, returns a verdict and the hint to show.
import type { FaceHint } from '../core/types.ts';

export interface QualityLimits {
  readonly minFaceSize: number;
  readonly maxFaceFraction: number;
  readonly maxYaw: number;
  readonly maxPitch: number;
  readonly minSharpness: number;
  readonly minBrightness: number;
  readonly maxBrightness: number;
}

export interface FrameMeasure {
  readonly faces: number;
  readonly frameWidth: number;
  readonly frameHeight: number;
  /** Of the single face, when there is one. */
  readonly faceWidth?: number;
  readonly faceHeight?: number;
  readonly yaw?: number;
  readonly pitch?: number;
  /** Variance of the Laplacian of the face crop, at a fixed 112-pixel width. */
  readonly sharpness?: number;
  /** Mean grey level of the face crop, 0–255. */
  readonly brightness?: number;
}

export type QualityProblem =
  'no-face' | 'several-faces' | 'too-small' | 'too-large' | 'pose' | 'blur' | 'dark' | 'bright';

export type QualityVerdict =
  | { readonly ok: true; readonly hint: 'hold-still' }
  | { readonly ok: false; readonly problem: QualityProblem; readonly hint: FaceHint };

const HINT: Record<QualityProblem, FaceHint> = {
  'no-face': 'look-at-camera',
  'several-faces': 'one-person-only',
  'too-small': 'move-closer',
  'too-large': 'move-back',
  pose: 'face-the-camera',
  blur: 'hold-still',
  dark: 'more-light',
  bright: 'less-light',
};

const bad = (problem: QualityProblem): QualityVerdict => ({ ok: false, problem, hint: HINT[problem] });

/**
 * Checks in the order a person can fix them: presence, one person, distance, light, pose, stillness.
 * `checkPose: false` skips yaw/pitch (during a turn step the head is meant to be turned).
 */
export function assessQuality(m: FrameMeasure, lim: QualityLimits, checkPose = true): QualityVerdict {
  if (m.faces === 0) return bad('no-face');
  if (m.faces > 1) return bad('several-faces');
  const size = Math.min(m.faceWidth ?? 0, m.faceHeight ?? 0);
  if (size < lim.minFaceSize) return bad('too-small');
  if ((m.faceHeight ?? 0) > lim.maxFaceFraction * m.frameHeight) return bad('too-large');
  if (m.brightness !== undefined && m.brightness < lim.minBrightness) return bad('dark');
  if (m.brightness !== undefined && m.brightness > lim.maxBrightness) return bad('bright');
  if (
    checkPose &&
    ((m.yaw !== undefined && Math.abs(m.yaw) > lim.maxYaw) ||
      (m.pitch !== undefined && Math.abs(m.pitch) > lim.maxPitch))
  )
    return bad('pose');
  if (m.sharpness !== undefined && m.sharpness < lim.minSharpness) return bad('blur');
  return { ok: true, hint: 'hold-still' };
}
