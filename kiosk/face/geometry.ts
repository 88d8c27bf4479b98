// Pure geometry and vector maths for the face pipeline: boxes, IoU, NMS, crops, 68→5 landmark reduction,
// the least-squares similarity transform onto the ArcFace template, cosine similarity. No I/O.

export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

export interface ScoredBox extends Box {
  readonly score: number;
}

export type Point = readonly [number, number];

export const boxWidth = (b: Box): number => b.x2 - b.x1;
export const boxHeight = (b: Box): number => b.y2 - b.y1;

export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const iy = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = ix * iy;
  const union = boxWidth(a) * boxHeight(a) + boxWidth(b) * boxHeight(b) - inter;
  return union <= 0 ? 0 : inter / union;
}

/** Greedy non-maximum suppression: highest score first, drop every box overlapping a kept one above `iouMax`. */
export function nms<T extends ScoredBox>(boxes: readonly T[], iouMax: number, topK = 750): T[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score).slice(0, topK);
  const kept: T[] = [];
  for (const b of sorted) if (kept.every((k) => iou(k, b) <= iouMax)) kept.push(b);
  return kept;
}

/** Integer rectangle inside a width×height image. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * A crop of `scale` × the box around its centre (square when `square`), the scale lowered uniformly when the
 * image cannot hold it, then shifted to lie inside the image. Returns an integer rectangle of at least 1×1.
 */
export function cropAround(box: Box, scale: number, imgW: number, imgH: number, square = false): Rect {
  const cx = (box.x1 + box.x2) / 2;
  const cy = (box.y1 + box.y2) / 2;
  let w = Math.max(1, boxWidth(box));
  let h = Math.max(1, boxHeight(box));
  if (square) w = h = Math.max(w, h);
  // Grow uniformly, but never beyond what the image can hold (the aspect ratio is kept).
  const s = Math.min(scale, imgW / w, imgH / h);
  w *= s;
  h *= s;
  let x = cx - w / 2;
  let y = cy - h / 2;
  x = Math.min(Math.max(x, 0), imgW - w);
  y = Math.min(Math.max(y, 0), imgH - h);
  const xi = Math.max(0, Math.floor(x));
  const yi = Math.max(0, Math.floor(y));
  return {
    x: xi,
    y: yi,
    width: Math.max(1, Math.min(imgW - xi, Math.round(w))),
    height: Math.max(1, Math.min(imgH - yi, Math.round(h))),
  };
}

/** iBUG-300W 68-point indices (0-based). "Left" means image-left (the subject's right eye). */
export const LM = {
  leftEye: [36, 37, 38, 39, 40, 41],
  rightEye: [42, 43, 44, 45, 46, 47],
  noseTip: 30,
  mouthLeft: 48,
  mouthRight: 54,
  jawLeft: 0,
  jawRight: 16,
} as const;

function mean(points: readonly Point[], idx: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of idx) {
    const p = points[i];
    if (!p) throw new RangeError(`landmark ${i} missing`);
    x += p[0];
    y += p[1];
  }
  return [x / idx.length, y / idx.length];
}

/** 68 points → the five ArcFace points: eye centres, nose tip, mouth corners (image-left first). */
export function fivePoints(lm68: readonly Point[]): Point[] {
  const at = (i: number): Point => {
    const p = lm68[i];
    if (!p) throw new RangeError(`landmark ${i} missing`);
    return p;
  };
  return [
    mean(lm68, LM.leftEye),
    mean(lm68, LM.rightEye),
    at(LM.noseTip),
    at(LM.mouthLeft),
    at(LM.mouthRight),
  ];
}

/** The 112×112 ArcFace / InsightFace five-point template. */
export const ARCFACE_112: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/**
 * Least-squares similarity transform (rotation, uniform scale, translation; no reflection) mapping `src`
 * onto `dst` — the 2-D case of Umeyama's method, in closed form. Returns the 2×3 matrix row-major
 * [a, −b, tx, b, a, ty] for warpAffine.
 */
export function similarityTransform(src: readonly Point[], dst: readonly Point[]): number[] {
  const n = src.length;
  if (n < 2 || n !== dst.length) throw new RangeError('similarityTransform needs ≥ 2 matching points');
  let sx = 0;
  let sy = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < n; i++) {
    const s = src[i] as Point;
    const d = dst[i] as Point;
    sx += s[0];
    sy += s[1];
    dx += d[0];
    dy += d[1];
  }
  sx /= n;
  sy /= n;
  dx /= n;
  dy /= n;
  let num1 = 0;
  let num2 = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const s = src[i] as Point;
    const d = dst[i] as Point;
    const px = s[0] - sx;
    const py = s[1] - sy;
    const qx = d[0] - dx;
    const qy = d[1] - dy;
    num1 += px * qx + py * qy;
    num2 += px * qy - py * qx;
    den += px * px + py * py;
  }
  if (den === 0) throw new RangeError('similarityTransform: degenerate source points');
  const a = num1 / den;
  const b = num2 / den;
  return [a, -b, dx - (a * sx - b * sy), b, a, dy - (b * sx + a * sy)];
}

export function applyAffine(m: readonly number[], p: Point): Point {
  const [a, b, c, d, e, f] = m as [number, number, number, number, number, number];
  return [a * p[0] + b * p[1] + c, d * p[0] + e * p[1] + f];
}

export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / n;
  return v;
}

/** Cosine similarity of two vectors (need not be normalised). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError('cosine: length mismatch');
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  const e = Array.from({ length: logits.length }, (_, i) => Math.exp((logits[i] as number) - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
