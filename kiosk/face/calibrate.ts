// Calibration: genuine and impostor score distributions over a labelled face set, and the cosine threshold
// that holds a target false-match rate. The statistics are pure; calibrateFromPairs does the I/O.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { KioskError } from '../shared/errors.ts';
import type { FaceEngine } from './engine.ts';
import { cosine } from './geometry.ts';

export interface ThresholdPoint {
  readonly fmr: number;
  readonly threshold: number;
  /** Impostor pairs at or above the threshold (≤ fmr × impostors). */
  readonly falseMatches: number;
  readonly tmr: number;
}

/** Smallest float64 above x. */
function nextUp(x: number): number {
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  if (x === 0) return Number.MIN_VALUE;
  u[0] = (u[0] as bigint) + (x > 0 ? 1n : -1n);
  return b[0] as number;
}

/**
 * The lowest threshold at which at most ⌊fmr × impostors⌋ impostor scores are ≥ threshold, and the TMR there.
 * `impostorDesc` must be sorted in descending order. Throws when there are too few impostors to resolve fmr.
 */
export function thresholdAtFmr(
  genuine: ArrayLike<number>,
  impostorDesc: ArrayLike<number>,
  fmr: number,
): ThresholdPoint {
  const n = impostorDesc.length;
  if (n === 0 || genuine.length === 0 || fmr * n < 1)
    throw new KioskError(
      'E_FACE_CALIBRATION_INSUFFICIENT',
      `FMR ${fmr} needs at least ${Math.ceil(1 / fmr)} impostor scores (have ${n}) and some genuine ones (have ${genuine.length})`,
    );
  const k = Math.floor(fmr * n);
  // Everything strictly above the (k+1)-th highest impostor score; ties at that score are all excluded.
  const threshold = nextUp(impostorDesc[k] as number);
  let falseMatches = 0;
  while (falseMatches < n && (impostorDesc[falseMatches] as number) >= threshold) falseMatches++;
  let hits = 0;
  for (let i = 0; i < genuine.length; i++) if ((genuine[i] as number) >= threshold) hits++;
  return { fmr, threshold, falseMatches, tmr: hits / genuine.length };
}

export interface PairLine {
  readonly fold: number;
  readonly same: boolean;
  readonly a: string;
  readonly b: string;
}

/** PAIRS format: `fold<TAB>same(1/0)<TAB>imageA<TAB>imageB`, '#' comments; image paths relative to the file. */
export function parsePairs(text: string, file = 'PAIRS'): PairLine[] {
  const out: PairLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const f = line.split('\t');
    const [fold, same, a, b] = f;
    if (f.length !== 4 || !a || !b || !/^\d+$/.test(fold ?? '') || (same !== '0' && same !== '1'))
      throw new KioskError(
        'E_FACE_PAIRS_INVALID',
        `${file}:${i + 1}: expected fold, same (0/1), imageA, imageB separated by tabs`,
      );
    out.push({ fold: Number(fold), same: same === '1', a, b });
  });
  if (out.length === 0) throw new KioskError('E_FACE_PAIRS_INVALID', `${file}: no pairs`);
  return out;
}

/** LFW naming: Firstname_Lastname_0001.jpg → Firstname_Lastname. */
export const identityOf = (file: string): string => basename(file).replace(/_\d+\.[A-Za-z]+$/, '');

export interface CalibrationReport {
  readonly images: number;
  readonly embedded: number;
  readonly noFace: readonly string[];
  readonly genuine: number;
  readonly impostor: number;
  readonly points: readonly ThresholdPoint[];
  /** LFW protocol figure on the pairs file itself: accuracy at the chosen threshold. */
  readonly pairsFile: {
    readonly pairs: number;
    readonly scored: number;
    readonly accuracyAtThreshold: number;
  };
  /** Score distribution summaries (quantiles) for the docs. */
  readonly genuineQuantiles: Record<string, number>;
  readonly impostorQuantiles: Record<string, number>;
  readonly msPerImage: number;
}

export interface CalibrateOptions {
  readonly fmrs: readonly number[];
  /** Embed every image in the pairs file's folder (all-pairs statistics, as docs/face.md reports), or only those named. */
  readonly allImages: boolean;
  readonly limit?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

function quantiles(sortedAsc: Float32Array | number[], qs: readonly number[]): Record<string, number> {
  const r: Record<string, number> = {};
  for (const q of qs)
    r[String(q)] = Number(sortedAsc[Math.min(sortedAsc.length - 1, Math.floor(q * sortedAsc.length))] ?? NaN);
  return r;
}

export async function calibrateFromPairs(
  engine: FaceEngine,
  pairsFile: string,
  opt: CalibrateOptions,
): Promise<CalibrationReport> {
  const dir = dirname(pairsFile);
  const pairs = parsePairs(readFileSync(pairsFile, 'utf8'), pairsFile);
  let files = opt.allImages
    ? readdirSync(dir)
        .filter((f) => /\.(jpe?g|png|bmp)$/i.test(f))
        .sort()
    : [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();
  if (opt.limit) files = files.slice(0, opt.limit);
  const embs = new Map<string, Float32Array>();
  const noFace: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < files.length; i++) {
    const f = files[i] as string;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(dir, f));
    } catch (e) {
      throw new KioskError('E_FACE_PAIRS_INVALID', `${pairsFile}: image ${f} cannot be read`, { cause: e });
    }
    const r = await engine.embedImage(bytes);
    if (r.ok) embs.set(f, r.embedding);
    else noFace.push(f);
    opt.onProgress?.(i + 1, files.length);
  }
  const msPerImage = (performance.now() - t0) / Math.max(1, files.length);
  const names = [...embs.keys()];
  const ids = names.map(identityOf);
  const vecs = names.map((n) => embs.get(n) as Float32Array);
  const genuine: number[] = [];
  const m = names.length;
  const impostor = new Float32Array((m * (m - 1)) / 2);
  let ni = 0;
  for (let i = 0; i < m; i++) {
    const a = vecs[i] as Float32Array;
    for (let j = i + 1; j < m; j++) {
      const b = vecs[j] as Float32Array;
      let dot = 0;
      for (let k = 0; k < a.length; k++) dot += (a[k] as number) * (b[k] as number); // unit vectors: dot = cosine
      if (ids[i] === ids[j]) genuine.push(dot);
      else impostor[ni++] = dot;
    }
  }
  const imp = impostor.subarray(0, ni).sort().reverse();
  // The first FMR is the one asked for (an error when it cannot be resolved); the others are reported when they can.
  const points = opt.fmrs
    .filter((f, i) => i === 0 || f * ni >= 1)
    .map((f) => thresholdAtFmr(genuine, imp, f));
  const chosen = points[0] as ThresholdPoint;
  let scored = 0;
  let correct = 0;
  for (const p of pairs) {
    const a = embs.get(p.a);
    const b = embs.get(p.b);
    if (!a || !b) continue;
    scored++;
    if (cosine(a, b) >= chosen.threshold === p.same) correct++;
  }
  const genuineAsc = [...genuine].sort((x, y) => x - y);
  const impAsc = imp.slice().reverse();
  const report: CalibrationReport = {
    images: files.length,
    embedded: m,
    noFace,
    genuine: genuine.length,
    impostor: ni,
    points,
    pairsFile: { pairs: pairs.length, scored, accuracyAtThreshold: scored ? correct / scored : 0 },
    genuineQuantiles: quantiles(genuineAsc, [0.01, 0.05, 0.5]),
    impostorQuantiles: quantiles(impAsc, [0.5, 0.999, 0.9999]),
    msPerImage,
  };
  for (const v of vecs) v.fill(0);
  return report;
}
