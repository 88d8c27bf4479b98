import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHALLENGE_STEPS, ChallengeJudge, drawChallenge } from '../../../kiosk/face/challenge.ts';
import type { Observation } from '../../../kiosk/face/challenge.ts';

const opts = { turnDegrees: 18, eyeClosedMin: 0.6, stepTimeoutMs: 3000, strict: true, holdFrames: 2 };
const open = [0.01, 0.02] as const;
const shut = [0.95, 0.9] as const;
const obs = (at: number, yawLeft: number, eyes: readonly [number, number] = open): Observation => ({
  at,
  yawLeft,
  eyes,
});

function feed(
  judge: ChallengeJudge,
  frames: [number, (readonly [number, number])?][],
  start = 0,
  step = 100,
) {
  let st = judge.observe(start, obs(start, 0));
  frames.forEach(([yaw, eyes], i) => {
    const at = start + (i + 1) * step;
    st = judge.observe(at, obs(at, yaw, eyes ?? open));
  });
  return st;
}

describe('challenge', () => {
  it('draws crypto-random sequences without repeating a step back to back', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const c = drawChallenge(3, (n) => randomInt(n));
      expect(c).toHaveLength(3);
      for (let j = 1; j < c.length; j++) expect(c[j]).not.toBe(c[j - 1]);
      for (const s of c) expect(CHALLENGE_STEPS).toContain(s);
      seen.add(c.join());
    }
    expect(seen.size).toBeGreaterThan(6); // 3·2·2 = 12 possible sequences
  });

  it('passes turn-left, turn-right, blink performed in order', () => {
    const j = new ChallengeJudge(['turn-left', 'turn-right', 'blink'], opts);
    const st = feed(j, [[0], [25], [26], [0], [-25], [-24], [0], [0, shut], [0]]);
    expect(st.status).toBe('passed');
  });

  it('a turn needs to be held for holdFrames and must start from frontal', () => {
    const j = new ChallengeJudge(['turn-left'], opts);
    expect(feed(j, [[25]]).status).toBe('running');
    const k = new ChallengeJudge(['turn-left'], opts);
    // already turned when the step starts and never frontal: does not count
    let st = k.observe(0, obs(0, 30));
    for (let t = 100; t <= 1000; t += 100) st = k.observe(t, obs(t, 30));
    expect(st.status).toBe('running');
  });

  it('a blink needs open → closed → open', () => {
    const j = new ChallengeJudge(['blink'], opts);
    expect(
      feed(j, [
        [0, shut],
        [0, shut],
      ]).status,
    ).toBe('running');
    expect(feed(j, [[0], [0, shut], [0]], 1000).status).toBe('passed');
  });

  it('fails a step on timeout, using frame time', () => {
    const j = new ChallengeJudge(['blink'], opts);
    const st = feed(
      j,
      Array.from({ length: 40 }, () => [0] as [number]),
    );
    expect(st).toMatchObject({ status: 'failed', reason: 'timeout', step: 0 });
  });

  it('in strict mode a held turn the wrong way fails; lenient mode ignores it', () => {
    const strict = new ChallengeJudge(['turn-left'], opts);
    expect(feed(strict, [[0], [-25], [-25]])).toMatchObject({ status: 'failed', reason: 'wrong-move' });
    const lenient = new ChallengeJudge(['turn-left'], { ...opts, strict: false });
    expect(feed(lenient, [[0], [-25], [-25], [0], [25], [25]]).status).toBe('passed');
  });

  it('frames without a usable face let time pass but do not advance', () => {
    const j = new ChallengeJudge(['turn-right'], opts);
    j.observe(0, obs(0, 0));
    expect(j.observe(1000, undefined).status).toBe('running');
    expect(j.observe(3500, undefined)).toMatchObject({ status: 'failed', reason: 'timeout' });
  });
});
