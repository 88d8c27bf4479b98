import { describe, expect, it } from 'vitest';
import { tokenBuckets } from '../../../backend/verifier/rate-limit.ts';

describe('token buckets', () => {
  it('allows a burst of `capacity`, then one per 1/refill seconds, per key', () => {
    const b = tokenBuckets(3, 0.5);
    const t = 1_000_000;
    expect([b.take('a', t), b.take('a', t), b.take('a', t)]).toEqual([0, 0, 0]);
    expect(b.take('a', t)).toBe(2); // one token needs 2 s at 0.5/s
    expect(b.take('b', t)).toBe(0); // another key is independent
    expect(b.take('a', t + 1_000)).toBeGreaterThan(0);
    expect(b.take('a', t + 2_100)).toBe(0);
  });

  it('forgets idle keys so memory stays bounded', () => {
    const b = tokenBuckets(2, 1);
    for (let i = 0; i < 100; i++) b.take(`ip${i}`, 0);
    expect(b.size()).toBe(100);
    b.take('late', 120_000);
    expect(b.size()).toBe(1);
  });
});
