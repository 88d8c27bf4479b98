import { describe, expect, it } from 'vitest';
import {
  checkIdNumber,
  icaoCheckDigit,
  mod112CheckChar,
  upgradeLegacy15,
} from '../../../kiosk/credentials/cn-resident-id/id-number.ts';

const today = '2026-11-23';

describe('MOD 11-2 (READERS.md §2.2)', () => {
  it('computes the published example', () => {
    expect(mod112CheckChar('11010519491231002')).toBe('X');
  });
  it('accepts the published number, also with a lower-case x', () => {
    for (const n of ['11010519491231002X', '11010519491231002x', ' 11010519491231002X ']) {
      const v = checkIdNumber(n, today);
      expect(v.valid).toBe(true);
      expect(v.kind).toBe('resident-18');
      expect(v.normalized).toBe('11010519491231002X');
      expect(v.birthDate).toBe('1949-12-31');
      expect(v.sex).toBe('F');
    }
  });
  it('rejects every single-digit change of a valid number', () => {
    const good = '11010519491231002X';
    let rejected = 0;
    for (let i = 0; i < 17; i++) {
      const d = good.charCodeAt(i) - 48;
      const bad = good.slice(0, i) + String((d + 1) % 10) + good.slice(i + 1);
      const v = checkIdNumber(bad, today);
      expect(v.valid).toBe(false);
      rejected++;
    }
    expect(rejected).toBe(17);
    const v = checkIdNumber('110105194912310021', today);
    expect(v.problem).toBe('check-digit');
    expect(v.expectedCheck).toBe('X');
  });
});

describe('dates', () => {
  const withDate = (ymd: string): string => {
    const f = '110105' + ymd + '001';
    return f + mod112CheckChar(f);
  };
  it('accepts Feb 29 in a leap year, rejects it otherwise and rejects impossible dates', () => {
    expect(checkIdNumber(withDate('20000229'), today).valid).toBe(true);
    expect(checkIdNumber(withDate('19000229'), today).problem).toBe('birth-date-invalid');
    expect(checkIdNumber(withDate('20230229'), today).problem).toBe('birth-date-invalid');
    expect(checkIdNumber(withDate('19901301'), today).problem).toBe('birth-date-invalid');
    expect(checkIdNumber(withDate('19900431'), today).problem).toBe('birth-date-invalid');
  });
  it('rejects a birth date after today (today is an input)', () => {
    expect(checkIdNumber(withDate('20261124'), today).problem).toBe('birth-date-future');
    expect(checkIdNumber(withDate('20261124'), '2026-11-24').valid).toBe(true);
  });
  it('throws on a malformed today (a programming error, not input)', () => {
    expect(() => checkIdNumber('1', '23/11/2026')).toThrow(RangeError);
  });
});

describe('15-digit legacy numbers (§2.3)', () => {
  it('upgrades to 18 digits', () => {
    expect(upgradeLegacy15('110105491231002')).toBe('11010519491231002X');
    const v = checkIdNumber('110105491231002', today);
    expect(v.valid).toBe(true);
    expect(v.kind).toBe('resident-15');
    expect(v.normalized).toBe('11010519491231002X');
    expect(v.sex).toBe('F');
  });
  it('rejects a 15-digit number with an impossible date', () => {
    expect(checkIdNumber('110105490231002', today).problem).toBe('birth-date-invalid');
  });
});

describe('residence permits and foreigner cards (§2.4)', () => {
  it('recognises HK/Macao/Taiwan permit numbers', () => {
    for (const p of ['810000', '820000', '830000']) {
      const f = p + '19940823002';
      const v = checkIdNumber(f + mod112CheckChar(f), today);
      expect(v.valid).toBe(true);
      expect(v.kind).toBe('hmt-permit');
    }
    // The published samples (jxlwqq/id-validator.py README) are valid.
    for (const n of ['810000199408230021', '830000199201300022'])
      expect(checkIdNumber(n, today).kind).toBe('hmt-permit');
    expect(checkIdNumber('810000199408230021', today).valid).toBe(true);
    expect(checkIdNumber('830000199201300022', today).valid).toBe(true);
    expect(checkIdNumber('810000199408230022', today).valid).toBe(false);
  });
  it('checks the 2017 foreigner card number with 7-3-1', () => {
    const f = 'USA110085010110';
    const good = f.slice(0, 14) + String(icaoCheckDigit(f.slice(0, 14)));
    const v = checkIdNumber(good, today);
    expect(v.valid).toBe(true);
    expect(v.kind).toBe('foreign-permanent-2017');
    expect(v.birthDate).toBe('1985-01-01');
    const bad = good.slice(0, 14) + String((Number(good[14]) + 1) % 10);
    expect(checkIdNumber(bad, today).problem).toBe('check-digit');
  });
  it('reads a 2-digit year in the latest century that is not in the future', () => {
    const f = 'USA1100' + '100101' + '2';
    const v = checkIdNumber(f + String(icaoCheckDigit(f)), today);
    expect(v.birthDate).toBe('2010-01-01');
    expect(v.sex).toBe('F');
  });
  it('checks the 2023 foreigner number (starts with 9, MOD 11-2)', () => {
    const f = '91184019920215012';
    const v = checkIdNumber(f + mod112CheckChar(f), today);
    expect(v.valid).toBe(true);
    expect(v.kind).toBe('foreign-permanent-2023');
    expect(v.regionKnown).toBe(true);
  });
});

describe('format and region', () => {
  it('gives a typed problem for malformed input', () => {
    for (const s of ['', '123', '1101051949123100', 'ABCDEFGHIJKLMNOPQR', '11010519491231002Y']) {
      const v = checkIdNumber(s, today);
      expect(v.valid).toBe(false);
      expect(['empty', 'format', 'nationality-format']).toContain(v.problem);
    }
  });
  it('soft-checks the region: unknown province still valid, flagged', () => {
    const f = '99010519900307001'.replace(/^9/, '0');
    const v = checkIdNumber(f + mod112CheckChar(f), today);
    expect(v.valid).toBe(true);
    expect(v.regionKnown).toBe(false);
  });
});
