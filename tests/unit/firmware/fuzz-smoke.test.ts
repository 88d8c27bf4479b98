// A short, seeded run of every firmware fuzz target (the full runs are tests/fuzz/firmware/*.ts, 1M inputs
// each). Fails on any exception, an input slower than 2 s, or a buffer above its bound.
import { describe, expect, it } from 'vitest';
import { TARGETS, fuzz, mutate, rng } from '../../fuzz/firmware/harness.ts';

describe('fuzz smoke (3,000 inputs per target)', () => {
  it.each(Object.keys(TARGETS))('%s: only typed results, bounded', (name) => {
    const rep = fuzz(TARGETS[name]!, 3000, 7, 2000);
    expect(rep.inputs).toBe(3000);
    expect(Object.values(rep.outcomes).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
  it('the generator is deterministic per seed', () => {
    const a = rng(42);
    const b = rng(42);
    const corpus = [Uint8Array.of(1, 2, 3, 4, 5)];
    expect(mutate(a, corpus[0]!, corpus)).toEqual(mutate(b, corpus[0]!, corpus));
  });
  it('the SAM target decodes real frames among the mutations (the corpus is exercised)', () => {
    const rep = fuzz(TARGETS['sam-id']!, 3000, 11, 2000);
    expect(rep.outcomes['frame'] ?? 0).toBeGreaterThan(10);
    expect(rep.outcomes['E_SAM_CHECKSUM'] ?? 0).toBeGreaterThan(10);
  });
});
