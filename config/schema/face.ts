// Config section 'face': every key has a default; unknown keys fail. See docs/face.md for what each key does
// and how `eid-kiosk face calibrate` writes `threshold`, `thresholdFmr` and `calibration`.
import { z } from 'zod';

const calibration = z.strictObject({
  /** How many pairs were scored: genuine + impostor. */
  pairs: z.number().int().nonnegative(),
  genuine: z.number().int().nonnegative(),
  impostor: z.number().int().nonnegative(),
  /** True-match rate achieved at `threshold` on the calibration set. */
  tmr: z.number().min(0).max(1),
  /** ISO date of the calibration run. */
  date: z.string(),
  /** What data it ran on (folder / provenance), free text. */
  dataset: z.string(),
});

export const faceCameraSection = z
  .strictObject({
    /** '/dev/videoN', a device index as a string ('0'), or a video file path (demo, tests). */
    source: z.string().default('/dev/video0'),
    /** Requested capture size (devices only). */
    width: z.number().int().positive().default(640),
    height: z.number().int().positive().default(480),
    /** Requested capture rate; for files, the pacing rate when `realtime` (0: the file's own rate). */
    fps: z.number().nonnegative().default(0),
    /** Files: pace frames in real time (demo) instead of as fast as they are consumed (tests). */
    realtime: z.boolean().default(true),
    /** Files: start again at the end (demo loop). */
    loop: z.boolean().default(false),
    /** The image is mirrored (selfie view): swaps the judged direction of head turns. */
    mirrored: z.boolean().default(false),
    /** Preview JPEG for the renderer: width in pixels, quality 1–100, at most this many per second. */
    previewWidth: z.number().int().positive().default(320),
    previewQuality: z.number().int().min(1).max(100).default(60),
    previewFps: z.number().positive().default(10),
    /** A device that yields no frame for this long is 'lost'; reopening is tried every `reconnectMs`. */
    lostAfterMs: z.number().int().positive().default(2000),
    reconnectMs: z.number().int().positive().default(1000),
  })
  .prefault({});

export const faceSection = z
  .strictObject({
    /** Cosine-similarity threshold for a match; set by `eid-kiosk face calibrate` (LFW dev set, FMR 5e-4). */
    threshold: z.number().min(-1).max(1).default(0.360779),
    /** The false-match rate `threshold` was calibrated for. */
    thresholdFmr: z.number().min(0).max(1).default(5e-4),
    /** Provenance of `threshold`, written by the calibrate command; null when set by hand. */
    calibration: calibration.nullable().default({
      pairs: 7252336,
      genuine: 4407,
      impostor: 7247929,
      tmr: 0.968459,
      date: '2026-11-23',
      dataset:
        'LFW deep-funneled 150×150 dev folds 0–4 (/work/shared/data/faces/lfw-dev): 3,809 embedded images, all pairs',
    }),
    /** onnxruntime intra-op threads per model (1 measured fastest per face on 2 cores; spinning off when > 1). */
    threads: z.number().int().min(1).max(8).default(1),
    /** Detector: minimum face score and NMS IoU. */
    detectMinScore: z.number().min(0).max(1).default(0.7),
    detectNmsIou: z.number().min(0).max(1).default(0.3),
    /** Quality gate on camera frames (pixels of the camera image, degrees, variance of Laplacian, 0–255 mean). */
    minFaceSize: z.number().int().positive().default(90),
    maxFaceFraction: z.number().min(0).max(1).default(0.8),
    maxYaw: z.number().positive().default(15),
    maxPitch: z.number().positive().default(25),
    minSharpness: z.number().nonnegative().default(25),
    minBrightness: z.number().min(0).max(255).default(50),
    maxBrightness: z.number().min(0).max(255).default(215),
    /** Passive anti-spoofing: mean live probability over the challenge's frames must reach this. 0 disables. */
    livenessMin: z.number().min(0).max(1).default(0.35),
    /** Active challenge: number of steps (drawn from turn-left, turn-right, blink), per-step time, turn angle. */
    challengeLength: z.number().int().min(0).max(5).default(2),
    stepTimeoutMs: z.number().int().positive().default(7000),
    /** A held head turn to the side not asked for fails the step (set false only for the looping demo video). */
    challengeStrict: z.boolean().default(true),
    turnDegrees: z.number().positive().default(18),
    /** Eyes count as closed above this probability (both eyes), open below 1 − it. */
    eyeClosedMin: z.number().min(0).max(1).default(0.6),
    /** Waiting for a first usable frame gives up after this long (outcome 'no-face' or 'quality'). */
    acquireTimeoutMs: z.number().int().positive().default(15000),
    /** Frontal frames captured during the challenge that are embedded and matched (best score counts). */
    matchFrames: z.number().int().min(1).max(20).default(5),
    camera: faceCameraSection,
  })
  .prefault({});

export type FaceConfig = z.infer<typeof faceSection>;
export type FaceCameraConfig = z.infer<typeof faceCameraSection>;
