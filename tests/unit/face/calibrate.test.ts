import { describe, expect, it } from 'vitest';
import { identityOf, parsePairs, thresholdAtFmr } from '../../../kiosk/face/calibrate.ts';
import { isKioskError } from '../../../kiosk/shared/errors.ts';

describe('calibration statistics', () => {
  it('places the threshold so that at most ⌊fmr·n⌋ impostors reach it', () => {
    const impostor = Array.from({ length: 10_000 }, (_, i) => i / 10_000).reverse(); // 0.9999 … 0
    const genuine = [0.99, 0.9995, 0.5, 0.2];
    const p = thresholdAtFmr(genuine, impostor, 1e-3);
    expect(p.falseMatches).toBe(10);
    expect(impostor.filter((s) => s >= p.threshold)).toHaveLength(10);
    expect(p.threshold).toBeGreaterThan(0.9989);
    expect(p.threshold).toBeLessThanOrEqual(0.999);
    expect(p.tmr).toBe(0.25);
  });

  it('excludes ties at the cut: never more false matches than allowed', () => {
    const impostor = [0.9, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
    const p = thresholdAtFmr([0.6, 0.4], impostor, 0.2);
    expect(p.falseMatches).toBe(1);
    expect(p.tmr).toBe(0.5);
  });

  it('refuses an FMR finer than the impostor count can show', () => {
    try {
      thresholdAtFmr([0.5], [0.1, 0.2], 1e-4);
      expect.unreachable();
    } catch (e) {
      expect(isKioskError(e) && e.code).toBe('E_FACE_CALIBRATION_INSUFFICIENT');
    }
  });

  it('parses the pairs format and rejects malformed lines with the line number', () => {
    const p = parsePairs('# header\n0\t1\ta.jpg\tb.jpg\n3\t0\tc.jpg\td.jpg\n');
    expect(p).toEqual([
      { fold: 0, same: true, a: 'a.jpg', b: 'b.jpg' },
      { fold: 3, same: false, a: 'c.jpg', b: 'd.jpg' },
    ]);
    expect(() => parsePairs('0\t2\ta\tb')).toThrow(/PAIRS:1/);
    expect(() => parsePairs('# nothing\n')).toThrow(/no pairs/);
  });

  it('derives LFW identities from file names', () => {
    expect(identityOf('George_W_Bush_0012.jpg')).toBe('George_W_Bush');
    expect(identityOf('/x/y/Abel_Pacheco_0004.jpg')).toBe('Abel_Pacheco');
  });
});
