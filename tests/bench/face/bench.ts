// Face engine benchmark: per-stage latency (median, p95), whole 1:1 verification time, thread settings,
// passive-liveness score spread, peak RSS, and TMR at FMR 1e-3 / 5e-4 / 1e-4 over the LFW dev set (all
// pairs of every embedded image). Takes ~5 minutes on 2 cores.
//   npx tsx tests/bench/face/bench.ts [--lfw DIR] [--stages N] [--skip-calibration]
import { cpus, totalmem } from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { faceSection } from '../../../config/schema/face.ts';
import { calibrateFromPairs } from '../../../kiosk/face/calibrate.ts';
import type { Mat } from '../../../kiosk/face/cv.ts';
import { cv, decodeImage, wipe } from '../../../kiosk/face/cv.ts';
import { createFaceEngine } from '../../../kiosk/face/engine.ts';
import { cropAround } from '../../../kiosk/face/geometry.ts';
import {
  alignFace,
  closeSessions,
  detectFaces,
  embed,
  eyesClosed,
  headPose,
  landmarks68,
  liveness,
  loadSessions,
} from '../../../kiosk/face/models.ts';
import { MODELS } from '../../fixtures/face/make-video.ts';

const arg = (k: string): string | undefined => {
  const i = process.argv.indexOf(k);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const LFW = arg('--lfw') ?? '/work/shared/data/faces/lfw-dev';
const N = Number(arg('--stages') ?? 200);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const fmt = (xs: number[]): string =>
  `median ${pct(xs, 0.5).toFixed(2)} ms  p95 ${pct(xs, 0.95).toFixed(2)} ms  (${(1000 / pct(xs, 0.5)).toFixed(0)}/s)`;

async function time<T>(into: number[], f: () => Promise<T> | T): Promise<T> {
  const t = performance.now();
  const r = await f();
  into.push(performance.now() - t);
  return r;
}

console.log(`# face bench ${new Date().toISOString()}`);
console.log(
  `machine: ${cpus()[0]?.model} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, onnxruntime-node ${ort.env.versions.node}, OpenCV ${JSON.stringify(cv().version)}`,
);
const files = readdirSync(LFW)
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .filter((_, i) => i % 19 === 0)
  .slice(0, N);
console.log(`input: ${files.length} LFW deep-funneled 150×150 JPEGs from ${LFW} (every 19th file)`);

// ---- per stage, one ORT thread --------------------------------------------------------------------
const s = await loadSessions(MODELS, { threads: 1, verify: false });
const st: Record<string, number[]> = {
  decode: [],
  detect: [],
  landmarks: [],
  align: [],
  embed: [],
  pose: [],
  eyes: [],
  liveness: [],
  'quality (laplacian, mean)': [],
};
const live: number[] = [];
for (const f of files) {
  const bytes = readFileSync(join(LFW, f));
  const img = await time(st.decode!, () => decodeImage(bytes) as Mat);
  const faces = await time(st.detect!, () => detectFaces(s, img, { minScore: 0.7, nmsIou: 0.3 }));
  const box = faces[0];
  if (!box) continue;
  const lm = await time(st.landmarks!, () => landmarks68(s, img, box));
  const al = await time(st.align!, () => alignFace(img, lm));
  const e = await time(st.embed!, () => embed(s, al));
  e.fill(0);
  await time(st.pose!, () => headPose(s, img, box));
  await time(st.eyes!, () => eyesClosed(s, img, lm));
  live.push(await time(st.liveness!, () => liveness(s, img, box)));
  await time(st['quality (laplacian, mean)']!, () => {
    const c = cv();
    const r = cropAround(box, 1, img.cols, img.rows);
    const g = img.getRegion(new c.Rect(r.x, r.y, r.width, r.height)).cvtColor(c.COLOR_BGR2GRAY);
    const lap = g.laplacian(c.CV_64F);
    lap.meanStdDev();
    g.meanStdDev();
    wipe(g, lap);
  });
  wipe(al, img);
}
console.log('\n## per stage (one face, intraOpNumThreads 1)');
for (const [k, v] of Object.entries(st)) console.log(`${k.padEnd(26)} ${fmt(v)}`);
console.log(
  `passive liveness on these genuine photos: p5 ${pct(live, 0.05).toFixed(3)}, p25 ${pct(live, 0.25).toFixed(3)}, median ${pct(live, 0.5).toFixed(3)}`,
);
await closeSessions(s);

// ---- thread settings for the embedder ---------------------------------------------------------------
console.log('\n## embed (MobileFaceNet) by ORT threads / spinning, 100 runs each');
const aligned = (() => {
  const m = decodeImage(readFileSync(join(LFW, files[0] as string))) as Mat;
  return m.resize(112, 112);
})();
for (const [threads, spin] of [
  [1, '1'],
  [2, '1'],
  [2, '0'],
] as const) {
  const sess = await ort.InferenceSession.create(join(MODELS, 'fr_feature.onnx'), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: spin } } },
  });
  const t: number[] = [];
  for (let i = 0; i < 100; i++) await time(t, () => embed({ feature: sess } as never, aligned));
  console.log(`threads ${threads}, allow_spinning ${spin}: ${fmt(t)}`);
  await sess.release();
}

// ---- whole verification ---------------------------------------------------------------------------
const cfg = faceSection.parse({});
const engine = await createFaceEngine(cfg, { modelsDir: MODELS });
const whole: number[] = [];
for (let i = 0; i + 1 < Math.min(files.length, 60); i += 2) {
  const a = readFileSync(join(LFW, files[i] as string));
  const b = readFileSync(join(LFW, files[i + 1] as string));
  await time(whole, () => engine.verify(a, b));
}
console.log(
  `\n## whole 1:1 verification (two JPEGs: decode, detect, landmarks, align, embed ×2, cosine)\n${fmt(whole)} over ${whole.length} pairs`,
);

// ---- one whole real-person check on the synthetic challenge video ------------------------------------
{
  const { makeChallengeVideo, image } = await import('../../fixtures/face/make-video.ts');
  const { openCamera } = await import('../../../kiosk/face/camera.ts');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'face-bench-'));
  const video = join(dir, 'c.avi');
  const frames = await makeChallengeVideo(video, ['turn-left', 'turn-right', 'blink']);
  const order = ['turn-left', 'turn-right', 'blink'] as const;
  let k = 0;
  const e2 = await createFaceEngine(faceSection.parse({ livenessMin: 0 }), {
    modelsDir: MODELS,
    randomInt: () => [0, 0, 1][k++ % 3] ?? 0,
  });
  const runs: number[] = [];
  let outcome = '';
  for (let i = 0; i < 3; i++) {
    const cam = openCamera({ ...cfg.camera, source: video, realtime: false });
    const r = await time(runs, () =>
      e2.runCheck({
        reference: { format: 'png', bytes: image('amy5.png') },
        camera: cam,
        challengeLength: 3,
        onHint: () => undefined,
        signal: new AbortController().signal,
      }),
    );
    outcome = `${r.outcome} (${order.join(', ')})`;
    cam.close();
  }
  await e2.close();
  rmSync(dir, { recursive: true, force: true });
  const med = pct(runs, 0.5);
  console.log(
    `\n## whole real-person check, synthetic video (${frames} frames 320×240, every frame processed: detect, pose, landmarks, eyes, liveness, ≤5 embeddings)\nmedian ${med.toFixed(0)} ms per check, ${(med / frames).toFixed(1)} ms per frame; outcome ${outcome}`,
  );
}

// ---- TMR at FMR over LFW --------------------------------------------------------------------------
if (!process.argv.includes('--skip-calibration')) {
  const t0 = performance.now();
  const rep = await calibrateFromPairs(engine, join(LFW, 'pairs.tsv'), {
    fmrs: [1e-3, 5e-4, 1e-4],
    allImages: true,
  });
  console.log(
    `\n## TMR at FMR — LFW dev folds 0–4: ${rep.images} images, ${rep.embedded} embedded (no face: ${rep.noFace.join(', ') || 'none'}), all pairs: ${rep.genuine} genuine, ${rep.impostor} impostor (${((performance.now() - t0) / 1000).toFixed(0)} s, ${rep.msPerImage.toFixed(1)} ms/image incl. JPEG decode)`,
  );
  for (const p of rep.points)
    console.log(
      `FMR ${p.fmr}: threshold ${p.threshold.toFixed(4)}  TMR ${(100 * p.tmr).toFixed(2)}%  (${p.falseMatches} impostor pairs ≥ threshold)`,
    );
  console.log(
    `LFW View-2 pairs file: ${rep.pairsFile.scored}/${rep.pairsFile.pairs} scored, accuracy ${(100 * rep.pairsFile.accuracyAtThreshold).toFixed(2)}% at the FMR 1e-3 threshold`,
  );
}
await engine.close();
clearInterval(sampler);
console.log(`\npeak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
