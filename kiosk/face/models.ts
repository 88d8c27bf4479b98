// The six ONNX models behind the face engine, run through onnxruntime-node on the CPU, and their contracts
// (crop, size, colour order, normalisation, output decoding) as measured here — see docs/models/*.md.
// Every function takes an OpenCV BGR Mat and returns plain numbers; every intermediate Mat is wiped.
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { KioskError } from '../shared/errors.ts';
import type { Mat } from './cv.ts';
import { cv, wipe } from './cv.ts';
import type { Box, Point, Rect, ScoredBox } from './geometry.ts';
import {
  ARCFACE_112,
  LM,
  boxHeight,
  boxWidth,
  cropAround,
  fivePoints,
  l2normalize,
  nms,
  similarityTransform,
  softmax,
} from './geometry.ts';

export const MODEL_FILES = {
  detect: 'fr_detect.onnx',
  landmark: 'fr_landmark.onnx',
  feature: 'fr_feature.onnx',
  liveness: 'fr_liveness.onnx',
  eye: 'fr_eye.onnx',
  pose: 'fr_pose.onnx',
} as const;

export type ModelName = keyof typeof MODEL_FILES;
export type Sessions = Record<ModelName, ort.InferenceSession>;

export interface SessionOptions {
  /** ORT intra-op threads per session (1 is fastest per face on this 2-core box; see docs/face.md). */
  readonly threads: number;
  /** Verify each file's sha256 against models/manifest.json before loading. */
  readonly verify: boolean;
}

export async function loadSessions(modelsDir: string, opts: SessionOptions): Promise<Sessions> {
  let manifest: { models: { file: string; sha256: string }[] } | undefined;
  if (opts.verify) {
    const mf = join(modelsDir, 'manifest.json');
    if (existsSync(mf)) manifest = JSON.parse(readFileSync(mf, 'utf8')) as typeof manifest;
  }
  const out: Partial<Sessions> = {};
  for (const [name, file] of Object.entries(MODEL_FILES) as [ModelName, string][]) {
    const path = join(modelsDir, file);
    if (!existsSync(path))
      throw new KioskError(
        'E_FACE_MODEL_MISSING',
        `${file} is not in ${modelsDir}; run npx tsx models/fetch.ts`,
      );
    const bytes = readFileSync(path);
    const want = manifest?.models.find((m) => m.file === file)?.sha256;
    if (want && createHash('sha256').update(bytes).digest('hex') !== want)
      throw new KioskError(
        'E_FACE_MODEL_INTEGRITY',
        `${file} does not match its sha256 in models/manifest.json`,
      );
    out[name] = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: opts.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // With more than one intra-op thread, spinning threads fight the other process on 2 cores: measured slower.
      extra: { session: { intra_op: { allow_spinning: opts.threads > 1 ? '0' : '1' } } },
    });
  }
  return out as Sessions;
}

export async function closeSessions(s: Sessions): Promise<void> {
  await Promise.all(Object.values(s).map((x) => x.release()));
}

async function run(
  session: ort.InferenceSession,
  input: Float32Array,
  dims: number[],
): Promise<Float32Array[]> {
  const tensor = new ort.Tensor('float32', input, dims);
  const res = await session.run({ [session.inputNames[0] as string]: tensor });
  const outs = session.outputNames.map((n) => res[n]?.data as Float32Array);
  tensor.dispose();
  input.fill(0);
  return outs;
}

/** HWC 8-bit (1 or 3 channels, BGR) → NCHW float, optionally swapping to RGB, with per-channel (v − mean) / std. */
export function toTensor(
  data: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3,
  opts: { rgb: boolean; mean: readonly number[]; std: readonly number[] },
): Float32Array {
  const hw = width * height;
  const out = new Float32Array(hw * channels);
  for (let c = 0; c < channels; c++) {
    const src = channels === 3 && opts.rgb ? 2 - c : c;
    const m = opts.mean[c] ?? 0;
    const s = opts.std[c] ?? 1;
    for (let i = 0; i < hw; i++) out[c * hw + i] = ((data[i * channels + src] as number) - m) / s;
  }
  return out;
}

function cropResize(
  img: Mat,
  r: Rect,
  w: number,
  h: number,
  grey: boolean,
): { data: Uint8Array; mats: Mat[] } {
  const c = cv();
  const region = img.getRegion(new c.Rect(r.x, r.y, r.width, r.height));
  const resized = region.resize(h, w, 0, 0, c.INTER_LINEAR);
  const mats = [resized];
  let m = resized;
  if (grey) mats.push((m = resized.cvtColor(c.COLOR_BGR2GRAY)));
  const data = new Uint8Array(m.getData());
  return { data, mats };
}

// ---- detection (UltraFace RFB-320) ------------------------------------------------------------------

export const DETECT_W = 320;
export const DETECT_H = 240;

export interface DetectOptions {
  readonly minScore: number;
  readonly nmsIou: number;
}

/**
 * Faces in a BGR image, in image pixels, best first. The image is letterboxed into 320×240 (aspect kept,
 * grey padding that normalises to 0), fed as RGB (v − 127) / 128; the graph already decodes its priors into
 * corner boxes normalised to the input, so we only threshold, map back and apply NMS.
 */
export async function detectFaces(s: Sessions, img: Mat, opts: DetectOptions): Promise<ScoredBox[]> {
  const c = cv();
  const scale = Math.min(DETECT_W / img.cols, DETECT_H / img.rows);
  const rw = Math.max(1, Math.round(img.cols * scale));
  const rh = Math.max(1, Math.round(img.rows * scale));
  const resized = img.resize(rh, rw, 0, 0, scale < 1 ? c.INTER_AREA : c.INTER_LINEAR);
  const canvas = resized.copyMakeBorder(
    0,
    DETECT_H - rh,
    0,
    DETECT_W - rw,
    c.BORDER_CONSTANT,
    new c.Vec3(127, 127, 127),
  );
  const data = new Uint8Array(canvas.getData());
  wipe(resized, canvas);
  const input = toTensor(data, DETECT_W, DETECT_H, 3, {
    rgb: true,
    mean: [127, 127, 127],
    std: [128, 128, 128],
  });
  data.fill(0);
  const [scores, boxes] = await run(s.detect, input, [1, 3, DETECT_H, DETECT_W]);
  if (!scores || !boxes) throw new KioskError('E_FACE_MODEL_OUTPUT', 'detector returned no scores/boxes');
  const n = scores.length / 2;
  const found: ScoredBox[] = [];
  for (let i = 0; i < n; i++) {
    const p = scores[2 * i + 1] as number;
    if (p < opts.minScore) continue;
    const x1 = ((boxes[4 * i] as number) * DETECT_W) / scale;
    const y1 = ((boxes[4 * i + 1] as number) * DETECT_H) / scale;
    const x2 = ((boxes[4 * i + 2] as number) * DETECT_W) / scale;
    const y2 = ((boxes[4 * i + 3] as number) * DETECT_H) / scale;
    found.push({
      x1: Math.max(0, x1),
      y1: Math.max(0, y1),
      x2: Math.min(img.cols, x2),
      y2: Math.min(img.rows, y2),
      score: p,
    });
  }
  return nms(found, opts.nmsIou).filter((b) => boxWidth(b) > 1 && boxHeight(b) > 1);
}

// ---- 68 landmarks ------------------------------------------------------------------------------------

/** 68 points in image pixels: the detector box cropped as is, 64×64 grey, v / 256; output normalised to the crop. */
export async function landmarks68(s: Sessions, img: Mat, box: Box): Promise<Point[]> {
  const r = cropAround(box, 1.0, img.cols, img.rows);
  const { data, mats } = cropResize(img, r, 64, 64, true);
  wipe(...mats);
  const input = toTensor(data, 64, 64, 1, { rgb: false, mean: [0], std: [256] });
  data.fill(0);
  const [out] = await run(s.landmark, input, [1, 1, 64, 64]);
  if (!out || out.length !== 136)
    throw new KioskError('E_FACE_MODEL_OUTPUT', 'landmark model output is not 136 values');
  const pts: Point[] = [];
  for (let i = 0; i < 68; i++)
    pts.push([r.x + (out[2 * i] as number) * r.width, r.y + (out[2 * i + 1] as number) * r.height]);
  return pts;
}

// ---- alignment + embedding ---------------------------------------------------------------------------

/** The 112×112 BGR face aligned by the five-point similarity transform onto the ArcFace template. */
export function alignFace(img: Mat, lm68: readonly Point[]): Mat {
  const c = cv();
  const m = similarityTransform(fivePoints(lm68), ARCFACE_112);
  const M = new c.Mat([m.slice(0, 3), m.slice(3, 6)], c.CV_64F);
  const out = img.warpAffine(M, new c.Size(112, 112), c.INTER_LINEAR, c.BORDER_CONSTANT, new c.Vec3(0, 0, 0));
  M.release();
  return out;
}

export const EMBEDDING_RGB = true;

/** L2-normalised 512-d embedding of an aligned 112×112 BGR face: RGB, (v − 127.5) / 128. */
export async function embed(s: Sessions, aligned: Mat): Promise<Float32Array> {
  const data = new Uint8Array(aligned.getData());
  const input = toTensor(data, 112, 112, 3, {
    rgb: EMBEDDING_RGB,
    mean: [127.5, 127.5, 127.5],
    std: [128, 128, 128],
  });
  data.fill(0);
  const [out] = await run(s.feature, input, [1, 3, 112, 112]);
  if (!out || out.length !== 512)
    throw new KioskError('E_FACE_MODEL_OUTPUT', 'feature model output is not 512 values');
  return l2normalize(Float32Array.from(out));
}

// ---- pose (HopeNet-lite) ------------------------------------------------------------------------------

export interface Pose {
  /** Degrees. Positive yaw: the face turned towards the image's right (see docs/models/fr_pose.md). */
  readonly yaw: number;
  readonly pitch: number;
  readonly roll: number;
}

function binsToDegrees(logits: Float32Array): number {
  const p = softmax(logits);
  let e = 0;
  for (let i = 0; i < p.length; i++) e += (p[i] as number) * i;
  return e * 3 - 99;
}

/** Head pose: box grown by ¼ on each side, 224×224 RGB, ImageNet mean/std; expectation over 66 bins of 3°. */
export async function headPose(s: Sessions, img: Mat, box: Box): Promise<Pose> {
  const r = cropAround(box, 1.5, img.cols, img.rows);
  const { data, mats } = cropResize(img, r, 224, 224, false);
  wipe(...mats);
  const input = toTensor(data, 224, 224, 3, {
    rgb: true,
    mean: [0.485 * 255, 0.456 * 255, 0.406 * 255],
    std: [0.229 * 255, 0.224 * 255, 0.225 * 255],
  });
  data.fill(0);
  const [yaw, pitch, roll] = await run(s.pose, input, [1, 3, 224, 224]);
  if (!yaw || !pitch || !roll)
    throw new KioskError('E_FACE_MODEL_OUTPUT', 'pose model returned fewer than 3 heads');
  return { yaw: POSE_YAW_SIGN * binsToDegrees(yaw), pitch: binsToDegrees(pitch), roll: binsToDegrees(roll) };
}

/** HopeNet's yaw sign flipped so that positive = towards image-right (measured on mirrored images). */
export const POSE_YAW_SIGN = -1;

// ---- eyes ---------------------------------------------------------------------------------------------

/** Index of the "closed" class in fr_eye's output (measured, see docs/models/fr_eye.md). */
export const EYE_CLOSED_CLASS = 0;

function eyeRect(lm: readonly Point[], idx: readonly number[], imgW: number, imgH: number): Rect {
  let x = 0;
  let y = 0;
  for (const i of idx) {
    x += (lm[i] as Point)[0];
    y += (lm[i] as Point)[1];
  }
  x /= idx.length;
  y /= idx.length;
  const corner0 = lm[idx[0] as number] as Point;
  const corner3 = lm[idx[3] as number] as Point;
  const size = Math.max(4, Math.hypot(corner3[0] - corner0[0], corner3[1] - corner0[1]) * 1.6);
  return cropAround(
    { x1: x - size / 2, y1: y - size / 2, x2: x + size / 2, y2: y + size / 2 },
    1,
    imgW,
    imgH,
    true,
  );
}

/** Probability that each eye is closed [image-left eye, image-right eye]: 24×24 grey, v / 255. */
export async function eyesClosed(s: Sessions, img: Mat, lm68: readonly Point[]): Promise<[number, number]> {
  const res: number[] = [];
  for (const idx of [LM.leftEye, LM.rightEye]) {
    const r = eyeRect(lm68, idx, img.cols, img.rows);
    const { data, mats } = cropResize(img, r, 24, 24, true);
    wipe(...mats);
    const input = toTensor(data, 24, 24, 1, { rgb: false, mean: [0], std: [255] });
    data.fill(0);
    const [out] = await run(s.eye, input, [1, 1, 24, 24]);
    if (!out) throw new KioskError('E_FACE_MODEL_OUTPUT', 'eye model returned nothing');
    res.push(softmax(out)[EYE_CLOSED_CLASS] as number);
  }
  return [res[0] as number, res[1] as number];
}

// ---- passive liveness (MiniFASNetV2-SE) -------------------------------------------------------------

/** Index of the "real face" class in fr_liveness's 3 outputs (measured, see docs/models/fr_liveness.md). */
export const LIVE_CLASS = 1;
export const LIVENESS_CROP_SCALE = 2.7;
export const LIVENESS_RGB = true;

/** Probability that the face is a live capture: 2.7× box crop, 128×128, raw 0–255 values. */
export async function liveness(s: Sessions, img: Mat, box: Box): Promise<number> {
  const r = cropAround(box, LIVENESS_CROP_SCALE, img.cols, img.rows);
  const { data, mats } = cropResize(img, r, 128, 128, false);
  wipe(...mats);
  const input = toTensor(data, 128, 128, 3, { rgb: LIVENESS_RGB, mean: [0, 0, 0], std: [1, 1, 1] });
  data.fill(0);
  const [out] = await run(s.liveness, input, [1, 3, 128, 128]);
  if (!out || out.length !== 3)
    throw new KioskError('E_FACE_MODEL_OUTPUT', 'liveness model output is not 3 values');
  return softmax(out)[LIVE_CLASS] as number;
}
