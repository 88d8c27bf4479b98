import { describe, expect, it } from 'vitest';
import { fuzzMachine } from '../../fuzz/core/machine.ts';

describe('check-in machine: random walk (tests/fuzz/core/machine.ts, short seeded runs)', () => {
  for (const seed of [1, 20261123, 0xbeef]) {
    it(`seed ${seed}: 1500 random steps keep every invariant`, async () => {
      const r = await fuzzMachine(seed, 1500);
      expect(r.checkIns).toBeGreaterThan(10);
      expect(r.decisions).toBeGreaterThan(0);
      expect(Object.keys(r.screens).length).toBeGreaterThanOrEqual(6);
    });
  }
});
