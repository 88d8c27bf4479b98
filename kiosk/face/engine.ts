// The face engine: 1:1 verification of two images, and the real-person check of a live camera against a
// document portrait (quality gate → active challenge with passive anti-spoofing → match on frames captured
// during the challenge). Frames, crops and embeddings live in memory for one call and are zeroed after;
// only scores leave. Integration point for kiosk/main: createFaceEngine(faceConfig, { modelsDir }).
import { randomInt as cryptoRandomInt } from 'node:crypto';
import type { ChallengeStep, FaceHint, FaceResult, Portrait } from '../core/types.ts';
import { KioskError } from '../shared/errors.ts';
import type { FaceConfig } from '../../config/schema/face.ts';
import type { Camera, Frame } from './camera.ts';
import { ChallengeJudge, drawChallenge } from './challenge.ts';
import type { Mat } from './cv.ts';
import { cv, decodeImage, matFromBgr, wipe } from './cv.ts';
import type { Point, ScoredBox } from './geometry.ts';
import { boxHeight, boxWidth, cosine, iou } from './geometry.ts';
import type { Pose, Sessions } from './models.ts';
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
} from './models.ts';
import type { FrameMeasure } from './quality.ts';
import { assessQuality } from './quality.ts';

export interface VerifyResult {
  /** Cosine similarity of the two faces (absent when a side has no usable face). */
  readonly score?: number;
  readonly threshold: number;
  readonly fmr: number;
  readonly match: boolean;
  /** Why there is no score: 'a: no face' / 'b: unreadable image' … */
  readonly error?: string;
}

export interface RunCheckOptions {
  readonly reference: Portrait;
  readonly camera: Camera;
  readonly challengeLength: number;
  readonly onHint: (hint: FaceHint, info?: { challenge?: readonly ChallengeStep[]; step?: number }) => void;
  readonly signal: AbortSignal;
}

export interface FaceEngine {
  verify(imageA: Uint8Array, imageB: Uint8Array): Promise<VerifyResult>;
  /** The L2-normalised embedding of the most prominent face, or a reason there is none. Caller zeroes it. */
  embedImage(image: Uint8Array | Portrait): Promise<EmbedOutcome>;
  runCheck(opts: RunCheckOptions): Promise<FaceResult>;
  close(): Promise<void>;
}

export type EmbedOutcome =
  | { readonly ok: true; readonly embedding: Float32Array; readonly faces: number; readonly box: ScoredBox }
  | { readonly ok: false; readonly reason: 'unreadable' | 'no-face' };

export interface EngineOptions {
  readonly modelsDir: string;
  /** Test hook: the challenge's random source (default: crypto.randomInt). */
  readonly randomInt?: (n: number) => number;
  /** Verify model sha256 against models/manifest.json on load (default true). */
  readonly verifyModels?: boolean;
}

/** Everything measured on one camera frame. */
interface FrameObs {
  readonly measure: FrameMeasure;
  readonly box?: ScoredBox;
  readonly lm?: Point[];
  readonly pose?: Pose;
  readonly eyes?: [number, number];
}

export async function createFaceEngine(config: FaceConfig, opts: EngineOptions): Promise<FaceEngine> {
  cv(); // fail early, typed, when the binding is missing
  const sessions = await loadSessions(opts.modelsDir, {
    threads: config.threads,
    verify: opts.verifyModels ?? true,
  });
  return new Engine(config, sessions, opts.randomInt ?? ((n: number) => cryptoRandomInt(n)));
}

/** Largest face first (ties: higher score); the document's subject is the most prominent face. */
function prominent(faces: readonly ScoredBox[]): ScoredBox | undefined {
  return [...faces].sort(
    (a, b) => boxWidth(b) * boxHeight(b) - boxWidth(a) * boxHeight(a) || b.score - a.score,
  )[0];
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The face check was aborted', 'AbortError');
}

class Engine implements FaceEngine {
  private closed = false;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly cfg: FaceConfig,
    private readonly s: Sessions,
    private readonly randomInt: (n: number) => number,
  ) {}

  private live(): void {
    if (this.closed) throw new KioskError('E_FACE_ENGINE_CLOSED', 'face engine used after close()');
  }

  /** One inference job at a time: the sessions are shared and the CPU has two cores. */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.busy.then(job, job);
    this.busy = run.catch(() => undefined);
    return run;
  }

  private detect(img: Mat): Promise<ScoredBox[]> {
    return detectFaces(this.s, img, { minScore: this.cfg.detectMinScore, nmsIou: this.cfg.detectNmsIou });
  }

  /** Decode a portrait to BGR; small images (ID-card 102×126) are upscaled, all are padded for context. */
  private decodePortrait(image: Uint8Array | Portrait): Mat | undefined {
    const c = cv();
    let m: Mat | undefined;
    if (image instanceof Uint8Array) m = decodeImage(image);
    else if (image.format === 'raw-bgr') {
      const { width, height } = image;
      if (!width || !height || image.bytes.byteLength !== width * height * 3) return undefined;
      m = matFromBgr({ data: image.bytes, width, height });
    } else m = decodeImage(image.bytes);
    if (!m) return undefined;
    // Upscale so the face is not a few dozen pixels after the detector's letterbox, then pad by a quarter
    // on every side: ID photos are cropped tight to the head, and the detector wants some context.
    const longSide = Math.max(m.cols, m.rows);
    let up = m;
    if (longSide < 320) {
      const f = 320 / longSide;
      up = m.resize(Math.round(m.rows * f), Math.round(m.cols * f), 0, 0, c.INTER_CUBIC);
      wipe(m);
    }
    const py = Math.round(up.rows / 4);
    const px = Math.round(up.cols / 4);
    const padded = up.copyMakeBorder(py, py, px, px, c.BORDER_REPLICATE);
    wipe(up);
    return padded;
  }

  private async embedMat(img: Mat, box: ScoredBox): Promise<Float32Array> {
    const lm = await landmarks68(this.s, img, box);
    const aligned = alignFace(img, lm);
    try {
      return await embed(this.s, aligned);
    } finally {
      wipe(aligned);
    }
  }

  embedImage(image: Uint8Array | Portrait): Promise<EmbedOutcome> {
    this.live();
    return this.serial(async () => {
      const img = this.decodePortrait(image);
      if (!img) return { ok: false, reason: 'unreadable' } as const;
      try {
        const faces = await this.detect(img);
        const box = prominent(faces);
        if (!box) return { ok: false, reason: 'no-face' } as const;
        const embedding = await this.embedMat(img, box);
        return { ok: true, embedding, faces: faces.length, box } as const;
      } finally {
        wipe(img);
      }
    });
  }

  async verify(imageA: Uint8Array, imageB: Uint8Array): Promise<VerifyResult> {
    const { threshold, thresholdFmr: fmr } = this.cfg;
    const a = await this.embedImage(imageA);
    const b = await this.embedImage(imageB);
    try {
      const why = (side: string, o: EmbedOutcome): string | undefined =>
        o.ok ? undefined : `${side}: ${o.reason === 'no-face' ? 'no face' : 'unreadable image'}`;
      const error = why('a', a) ?? why('b', b);
      if (error || !a.ok || !b.ok) return { threshold, fmr, match: false, error: error ?? 'no face' };
      const score = cosine(a.embedding, b.embedding);
      return { score, threshold, fmr, match: score >= threshold };
    } finally {
      if (a.ok) a.embedding.fill(0);
      if (b.ok) b.embedding.fill(0);
    }
  }

  /** Detection, pose, eyes and the quality measures of one frame (landmarks only for a single face). */
  private async observe(img: Mat, withEyes: boolean): Promise<FrameObs> {
    const c = cv();
    const faces = await this.detect(img);
    const base = { faces: faces.length, frameWidth: img.cols, frameHeight: img.rows };
    const box = faces.length === 1 ? faces[0] : undefined;
    if (!box) return { measure: base };
    const pose = await headPose(this.s, img, box);
    const lm = await landmarks68(this.s, img, box);
    const eyes = withEyes ? await eyesClosed(this.s, img, lm) : undefined;
    // Sharpness and exposure on the face crop, scaled to a fixed width so the figures do not depend on distance.
    const x = Math.max(0, Math.floor(box.x1));
    const y = Math.max(0, Math.floor(box.y1));
    const w = Math.max(1, Math.min(img.cols - x, Math.round(boxWidth(box))));
    const h = Math.max(1, Math.min(img.rows - y, Math.round(boxHeight(box))));
    const crop = img.getRegion(new c.Rect(x, y, w, h));
    const grey = crop.cvtColor(c.COLOR_BGR2GRAY);
    const norm = grey.resize(Math.max(1, Math.round((h * 112) / w)), 112);
    const lap = norm.laplacian(c.CV_64F);
    const { mean: lm1, stddev } = lap.meanStdDev();
    const sd = stddev.getDataAsArray()[0]?.[0] ?? 0;
    const { mean } = norm.meanStdDev();
    const brightness = mean.getDataAsArray()[0]?.[0] ?? 0;
    wipe(grey, norm, lap);
    lm1.release();
    stddev.release();
    mean.release();
    return {
      measure: {
        ...base,
        faceWidth: boxWidth(box),
        faceHeight: boxHeight(box),
        yaw: pose.yaw,
        pitch: pose.pitch,
        sharpness: sd * sd,
        brightness,
      },
      box,
      lm,
      pose,
      ...(eyes ? { eyes } : {}),
    };
  }

  async runCheck(opts: RunCheckOptions): Promise<FaceResult> {
    this.live();
    const { threshold, thresholdFmr: fmr } = this.cfg;
    const base = { threshold, fmr } as const;
    const signal = opts.signal;
    if (signal.aborted) throw abortError(signal);

    // 1. The reference portrait.
    const ref = await this.embedImage(opts.reference);
    if (!ref.ok)
      return {
        outcome: 'no-reference',
        ...base,
        detail: ref.reason === 'no-face' ? 'no face in the portrait' : 'portrait unreadable',
      };
    const refEmb = ref.embedding;

    const challenge = drawChallenge(opts.challengeLength, this.randomInt);
    const judge = new ChallengeJudge(challenge, {
      turnDegrees: this.cfg.turnDegrees,
      eyeClosedMin: this.cfg.eyeClosedMin,
      stepTimeoutMs: this.cfg.stepTimeoutMs,
      strict: this.cfg.challengeStrict,
      holdFrames: 2,
    });
    const mirror = this.cfg.camera.mirrored ? -1 : 1;
    const liveEmbs: Float32Array[] = [];
    const liveScores: number[] = [];
    let lastHint: FaceHint | undefined;
    let lastHintStep = -1;
    const hint = (h: FaceHint, step?: number): void => {
      if (h === lastHint && (step ?? -1) === lastHintStep) return;
      lastHint = h;
      lastHintStep = step ?? -1;
      opts.onHint(h, step === undefined ? { challenge } : { challenge, step });
    };

    let phase: 'acquire' | 'challenge' | 'final' = 'acquire';
    let phaseStart: number | undefined;
    let lastProblem: 'no-face' | 'quality' = 'no-face';
    let prevBox: ScoredBox | undefined;
    let lastFaceAt: number | undefined;
    let lastEmbedAt = -Infinity;
    let lost = false;
    const offLost = opts.camera.onStatus((st) => {
      if (st === 'lost') lost = true;
    });
    const finish = (r: FaceResult): FaceResult => r;

    try {
      hint('look-at-camera');
      for await (const frame of opts.camera.frames(signal)) {
        if (signal.aborted) throw abortError(signal);
        if (lost)
          return finish({
            outcome: 'camera-lost',
            ...base,
            challenge,
            detail: 'camera lost during the check',
          });
        const at = frame.at;
        phaseStart ??= at;
        const img = matFromBgr(frame);
        frame.data.fill(0);
        try {
          const withEyes = phase === 'challenge';
          const obs = await this.serial(() => this.observe(img, withEyes));
          if (phase === 'acquire') {
            const q = assessQuality(obs.measure, this.cfg, true);
            if (!q.ok) {
              lastProblem = q.problem === 'no-face' ? 'no-face' : 'quality';
              hint(q.hint);
              if (at - phaseStart > this.cfg.acquireTimeoutMs)
                return finish({
                  outcome: lastProblem === 'no-face' ? 'no-face' : 'quality',
                  ...base,
                  detail: `no usable frame: ${q.problem}`,
                });
              continue;
            }
            // A usable frontal frame starts the challenge; it is the first frame of the challenge.
            phase = challenge.length > 0 ? 'challenge' : 'final';
            phaseStart = at;
            prevBox = obs.box;
            lastFaceAt = at;
            await this.collect(img, obs, at, liveEmbs, liveScores, () => (lastEmbedAt = at), lastEmbedAt);
            if (phase === 'challenge') hint(challenge[0] as ChallengeStep, 0);
            else hint('matching');
            continue;
          }

          // Continuity: one face, the same place (moving smoothly), never absent for long.
          if (obs.measure.faces > 1)
            return finish({
              outcome: 'challenge-failed',
              ...base,
              challenge,
              detail: 'several faces during the challenge',
            });
          if (obs.box) {
            if (prevBox && iou(prevBox, obs.box) < 0.1)
              return finish({
                outcome: 'challenge-failed',
                ...base,
                challenge,
                detail: 'the face jumped between frames',
              });
            prevBox = obs.box;
            lastFaceAt = at;
          } else if (lastFaceAt !== undefined && at - lastFaceAt > 1500) {
            return finish({
              outcome: 'challenge-failed',
              ...base,
              challenge,
              detail: 'the face left the camera during the challenge',
            });
          }

          if (phase === 'challenge') {
            const o =
              obs.pose && obs.eyes ? { at, yawLeft: mirror * obs.pose.yaw, eyes: obs.eyes } : undefined;
            const st = judge.observe(at, o);
            if (st.status === 'failed')
              return finish({
                outcome: 'challenge-failed',
                ...base,
                challenge,
                detail: `step ${st.step + 1} (${challenge[st.step]}): ${st.reason}`,
              });
            if (st.status === 'passed') {
              phase = 'final';
              phaseStart = at;
              hint(liveEmbs.length > 0 ? 'matching' : 'face-the-camera');
            } else hint(challenge[st.step] as ChallengeStep, st.step);
          }
          const q = assessQuality(obs.measure, this.cfg, true);
          if (q.ok)
            await this.collect(img, obs, at, liveEmbs, liveScores, () => (lastEmbedAt = at), lastEmbedAt);

          if (phase === 'final') {
            if (liveEmbs.length > 0) break;
            if (at - phaseStart > this.cfg.stepTimeoutMs)
              return finish({
                outcome: 'quality',
                ...base,
                challenge,
                detail: 'no frontal frame after the challenge',
              });
            if (!q.ok) hint(q.hint);
          }
        } finally {
          wipe(img);
        }
      }
      if (signal.aborted) throw abortError(signal);
      if (lost || opts.camera.state === 'lost')
        return finish({ outcome: 'camera-lost', ...base, challenge, detail: 'camera lost during the check' });
      if (phase === 'acquire')
        return finish({
          outcome: lastProblem,
          ...base,
          detail: 'the camera stream ended before a usable frame',
        });
      if (phase === 'challenge')
        return finish({
          outcome: 'challenge-failed',
          ...base,
          challenge,
          detail: 'the camera stream ended during the challenge',
        });
      if (liveEmbs.length === 0)
        return finish({ outcome: 'quality', ...base, challenge, detail: 'no frontal frame' });

      hint('matching');
      // The face that moved is the face that matched: all frames embedded during the challenge must agree.
      for (let i = 1; i < liveEmbs.length; i++)
        if (cosine(liveEmbs[0] as Float32Array, liveEmbs[i] as Float32Array) < threshold)
          return finish({
            outcome: 'challenge-failed',
            ...base,
            challenge,
            detail: 'the face changed during the challenge',
          });
      const livenessScore = liveScores.length ? liveScores.reduce((a, b) => a + b, 0) / liveScores.length : 0;
      const score = Math.max(...liveEmbs.map((e) => cosine(refEmb, e)));
      const r = { ...base, score, liveness: livenessScore, challenge };
      if (this.cfg.livenessMin > 0 && livenessScore < this.cfg.livenessMin)
        return finish({ outcome: 'spoof', ...r });
      return finish({ outcome: score >= threshold ? 'match' : 'no-match', ...r });
    } finally {
      offLost();
      refEmb.fill(0);
      for (const e of liveEmbs) e.fill(0);
    }
  }

  /** Passive liveness on every usable frame; an embedding on up to matchFrames of them, ≥ 150 ms apart. */
  private async collect(
    img: Mat,
    obs: FrameObs,
    at: number,
    embs: Float32Array[],
    scores: number[],
    markEmbedded: () => void,
    lastEmbedAt: number,
  ): Promise<void> {
    const box = obs.box;
    if (!box) return;
    scores.push(await this.serial(() => liveness(this.s, img, box)));
    if (embs.length < this.cfg.matchFrames && at - lastEmbedAt >= 150) {
      embs.push(await this.serial(() => this.embedMat(img, box)));
      markEmbedded();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.busy;
    await closeSessions(this.s);
  }
}

export type { Frame };
