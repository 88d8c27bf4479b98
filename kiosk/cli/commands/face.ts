// `eid-kiosk face verify A B [--json]` and `eid-kiosk face calibrate PAIRS [--fmr F] [--out FILE]`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../config/load.ts';
import type { FaceConfig } from '../../../config/schema/face.ts';
import { faceSection } from '../../../config/schema/face.ts';
import { isKioskError } from '../../shared/errors.ts';
import type { CliIo } from '../io.ts';

const DEFAULT_MODELS = fileURLToPath(new URL('../../../models/', import.meta.url));

const USAGE = [
  'usage: eid-kiosk face verify IMAGE_A IMAGE_B [--json] [--config FILE] [--models DIR]',
  '       eid-kiosk face calibrate PAIRS [--fmr 5e-4] [--out FILE] [--pairs-only] [--limit N] [--config FILE] [--models DIR]',
  '  PAIRS: lines "fold<TAB>same(1/0)<TAB>imageA<TAB>imageB", image paths relative to the file',
];

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

function parse(args: readonly string[], valued: readonly string[]): Parsed | string {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (valued.includes(k)) {
      const v = inline ?? args[++i];
      if (v === undefined) return `--${k} needs a value`;
      flags.set(k, v);
    } else flags.set(k, true);
  }
  return { positional, flags };
}

function faceConfig(p: Parsed): FaceConfig {
  const file = p.flags.get('config');
  return loadConfig(typeof file === 'string' ? { file } : {}).face as FaceConfig;
}

async function engineFor(cfg: FaceConfig, p: Parsed) {
  const { createFaceEngine } = await import('../../face/engine.ts');
  const models = p.flags.get('models');
  return createFaceEngine(cfg, { modelsDir: typeof models === 'string' ? models : DEFAULT_MODELS });
}

async function verify(p: Parsed, io: CliIo): Promise<number> {
  const [a, b] = p.positional;
  const json = p.flags.has('json');
  if (!a || !b || p.positional.length !== 2) {
    USAGE.forEach((l) => io.err(l));
    return 2;
  }
  const read = (f: string): Uint8Array | undefined => {
    try {
      return readFileSync(f);
    } catch {
      return undefined;
    }
  };
  const cfg = faceConfig(p);
  const ia = read(a);
  const ib = read(b);
  if (!ia || !ib) {
    const error = `${!ia ? 'a' : 'b'}: cannot read ${!ia ? a : b}`;
    if (json)
      io.out(JSON.stringify({ threshold: cfg.threshold, fmr: cfg.thresholdFmr, match: false, error }));
    else io.err(`E_FACE_IMAGE_UNREADABLE: ${error}`);
    return 1;
  }
  const engine = await engineFor(cfg, p);
  try {
    const r = await engine.verify(ia, ib);
    if (json) io.out(JSON.stringify(r));
    else if (r.error)
      io.out(`no score (${r.error}); threshold ${r.threshold.toFixed(4)} at FMR ${r.fmr}: no match`);
    else
      io.out(
        `score ${r.score?.toFixed(4)}  threshold ${r.threshold.toFixed(4)} (FMR ${r.fmr})  ${r.match ? 'MATCH' : 'no match'}`,
      );
    return r.error ? 1 : 0;
  } finally {
    ia.fill(0);
    ib.fill(0);
    await engine.close();
  }
}

async function calibrate(p: Parsed, io: CliIo): Promise<number> {
  const [pairs] = p.positional;
  if (!pairs || p.positional.length !== 1) {
    USAGE.forEach((l) => io.err(l));
    return 2;
  }
  const fmrText = p.flags.get('fmr');
  const fmr = typeof fmrText === 'string' ? Number(fmrText) : 5e-4;
  if (!(fmr > 0 && fmr < 1)) {
    io.err('E_CLI_USAGE: --fmr must be a number between 0 and 1, e.g. 5e-4');
    return 2;
  }
  const limitText = p.flags.get('limit');
  const limit = typeof limitText === 'string' ? Number(limitText) : undefined;
  const cfg = faceConfig(p);
  const engine = await engineFor(cfg, p);
  const { calibrateFromPairs } = await import('../../face/calibrate.ts');
  let lastPct = -1;
  try {
    const fmrs = [fmr, ...[1e-3, 5e-4, 1e-4].filter((f) => f !== fmr)];
    const rep = await calibrateFromPairs(engine, pairs, {
      fmrs,
      allImages: !p.flags.has('pairs-only'),
      ...(limit ? { limit } : {}),
      onProgress: (d, t) => {
        const pct = Math.floor((100 * d) / t);
        if (pct % 10 === 0 && pct !== lastPct) {
          lastPct = pct;
          io.err(`[calibrate] embedded ${d}/${t}`);
        }
      },
    });
    const usable = rep.points.filter((pt) => pt.fmr * rep.impostor >= 1);
    const chosen = rep.points[0];
    if (!chosen) return 1;
    io.out(
      `images ${rep.images}, embedded ${rep.embedded} (no face: ${rep.noFace.length}), ${rep.genuine} genuine and ${rep.impostor} impostor pairs, ${rep.msPerImage.toFixed(1)} ms/image`,
    );
    for (const pt of usable)
      io.out(
        `FMR ${pt.fmr}: threshold ${pt.threshold.toFixed(4)}  TMR ${(pt.tmr * 100).toFixed(2)}%  (${pt.falseMatches} impostor pairs at or above)`,
      );
    io.out(
      `pairs file: ${rep.pairsFile.scored}/${rep.pairsFile.pairs} scored, accuracy ${(rep.pairsFile.accuracyAtThreshold * 100).toFixed(2)}% at the FMR ${chosen.fmr} threshold`,
    );
    io.out(
      `genuine quantiles ${JSON.stringify(rep.genuineQuantiles)}; impostor quantiles ${JSON.stringify(rep.impostorQuantiles)}`,
    );
    const out = p.flags.get('out');
    if (typeof out === 'string') {
      const doc: Record<string, unknown> = existsSync(out)
        ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>)
        : {};
      const prev = (doc.face ?? {}) as Record<string, unknown>;
      const face = {
        ...prev,
        threshold: Number(chosen.threshold.toFixed(6)),
        thresholdFmr: chosen.fmr,
        calibration: {
          pairs: rep.genuine + rep.impostor,
          genuine: rep.genuine,
          impostor: rep.impostor,
          tmr: Number(chosen.tmr.toFixed(6)),
          date: new Date().toISOString().slice(0, 10),
          dataset: `${pairs} (${p.flags.has('pairs-only') ? 'images named in the pairs file' : 'every image in its folder'}, all pairs)`,
        },
      };
      // Rounding must not loosen the threshold.
      if (face.threshold < chosen.threshold) face.threshold = Number((chosen.threshold + 1e-6).toFixed(6));
      faceSection.parse(face);
      writeFileSync(out, JSON.stringify({ ...doc, face }, null, 2) + '\n');
      io.out(`wrote face.threshold ${face.threshold} (FMR ${chosen.fmr}) to ${out}`);
    }
    return 0;
  } finally {
    await engine.close();
  }
}

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const p = parse(rest, ['fmr', 'out', 'config', 'models', 'limit']);
  if (typeof p === 'string') {
    io.err(`E_CLI_USAGE: ${p}`);
    return 2;
  }
  try {
    if (sub === 'verify') return await verify(p, io);
    if (sub === 'calibrate') return await calibrate(p, io);
    USAGE.forEach((l) => io.err(l));
    return 2;
  } catch (e) {
    if (isKioskError(e)) {
      io.err(`${e.code}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
