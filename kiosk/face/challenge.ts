// The active liveness challenge: a crypto-random sequence of steps, and a judge that watches head pose and
// eye state over time. Pure: the random source and the clock (frame timestamps) are inputs.
import type { ChallengeStep } from '../core/types.ts';

export const CHALLENGE_STEPS: readonly ChallengeStep[] = ['turn-left', 'turn-right', 'blink'];

/** `length` steps, each drawn uniformly by `randomInt(n)` ∈ [0, n), never the same step twice in a row. */
export function drawChallenge(length: number, randomInt: (n: number) => number): ChallengeStep[] {
  const out: ChallengeStep[] = [];
  for (let i = 0; i < length; i++) {
    const options = CHALLENGE_STEPS.filter((s) => s !== out[out.length - 1]);
    const pick = options[randomInt(options.length)];
    if (pick === undefined) throw new RangeError('randomInt returned an index out of range');
    out.push(pick);
  }
  return out;
}

export interface JudgeOptions {
  /** Degrees of yaw towards the asked side that count as a turn. */
  readonly turnDegrees: number;
  /** Eyes count as closed when both closed-probabilities reach this; open when both are below 1 − it. */
  readonly eyeClosedMin: number;
  readonly stepTimeoutMs: number;
  /** A deliberate turn to the wrong side fails the step (a replayed video of random moves does not pass). */
  readonly strict: boolean;
  /** Frames in a row a turn must be held. */
  readonly holdFrames: number;
}

export interface Observation {
  /** Milliseconds (frame time). */
  readonly at: number;
  /** Degrees; positive = the person's own left (the judge is told the camera's mirroring by the caller). */
  readonly yawLeft: number;
  /** Closed-probability of each eye. */
  readonly eyes: readonly [number, number];
}

export type JudgeState =
  | { readonly status: 'running'; readonly step: number; readonly advanced: boolean }
  | { readonly status: 'passed'; readonly step: number; readonly advanced: boolean }
  | { readonly status: 'failed'; readonly step: number; readonly reason: 'timeout' | 'wrong-move' };

export class ChallengeJudge {
  private step = 0;
  private stepStart: number | undefined;
  private held = 0;
  private wrongHeld = 0;
  private neutralSeen = false;
  private eyesOpenSeen = false;
  private eyesClosedSeen = false;
  private done: JudgeState | undefined;

  constructor(
    readonly steps: readonly ChallengeStep[],
    private readonly opt: JudgeOptions,
  ) {}

  get current(): ChallengeStep | undefined {
    return this.steps[this.step];
  }

  get index(): number {
    return this.step;
  }

  private next(at: number): void {
    this.step += 1;
    this.stepStart = at;
    this.held = this.wrongHeld = 0;
    this.neutralSeen = this.eyesOpenSeen = this.eyesClosedSeen = false;
  }

  /** Feed one frame's observation; `undefined` = no usable face in this frame (time still passes). */
  observe(at: number, o: Observation | undefined): JudgeState {
    if (this.done) return this.done;
    if (this.steps.length === 0) return (this.done = { status: 'passed', step: 0, advanced: false });
    this.stepStart ??= at;
    if (at - this.stepStart > this.opt.stepTimeoutMs)
      return (this.done = { status: 'failed', step: this.step, reason: 'timeout' });
    if (!o) return { status: 'running', step: this.step, advanced: false };
    const step = this.current;
    const turn = this.opt.turnDegrees;
    const asked = step === 'turn-left' ? 1 : step === 'turn-right' ? -1 : 0;
    const [l, r] = o.eyes;
    const closed = l >= this.opt.eyeClosedMin && r >= this.opt.eyeClosedMin;
    const open = l < 1 - this.opt.eyeClosedMin && r < 1 - this.opt.eyeClosedMin;
    let complete = false;
    if (Math.abs(o.yawLeft) < turn / 2) this.neutralSeen = true;
    // A held turn to the side not asked for — judged only once the head has come back to frontal in this
    // step (right after a turn step the head is still turned, which is no wrong move).
    const wrongSide =
      this.neutralSeen &&
      (asked === 0
        ? Math.abs(o.yawLeft) >= turn
        : Math.sign(o.yawLeft) === -asked && Math.abs(o.yawLeft) >= turn);
    this.wrongHeld = wrongSide ? this.wrongHeld + 1 : 0;
    if (this.opt.strict && this.wrongHeld >= this.opt.holdFrames)
      return (this.done = { status: 'failed', step: this.step, reason: 'wrong-move' });
    if (asked !== 0) {
      // Start from (near) frontal, then hold the turn.
      const turned = this.neutralSeen && asked * o.yawLeft >= turn;
      this.held = turned ? this.held + 1 : 0;
      complete = this.held >= this.opt.holdFrames;
    } else {
      if (open && !this.eyesClosedSeen) this.eyesOpenSeen = true;
      if (closed && this.eyesOpenSeen) this.eyesClosedSeen = true;
      complete = this.eyesClosedSeen && open;
    }
    if (!complete) return { status: 'running', step: this.step, advanced: false };
    this.next(at);
    if (this.step >= this.steps.length)
      return (this.done = { status: 'passed', step: this.step, advanced: true });
    return { status: 'running', step: this.step, advanced: true };
  }
}
