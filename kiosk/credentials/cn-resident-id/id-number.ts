// Chinese identity numbers (GB 11643-1999 and relatives, READERS.md §2). Pure: `today` is an input.
//
// - 18-digit citizen number: 6 region + 8 birth date + 3 sequence + ISO 7064 MOD 11-2 check character.
// - 15-digit legacy number (GB 11643-1989): region + YYMMDD (century 19) + 3 sequence; upgraded to 18.
// - HK/Macao/Taiwan residence permit ('J' card): an 18-digit number with region 810000 / 820000 / 830000.
// - Foreigner permanent residence card 2017 ('I'): 15 chars, nationality(3) + region(4) + YYMMDD + sex + check
//   (ICAO 7-3-1 over the first 14 chars).
// - Foreigner permanent residence ID card 2023 ('Y'): 18 chars starting with 9, MOD 11-2 check.
// Region codes are soft-checked only (codes change: districts merge and are renamed), never a reason to reject.

export type IdNumberKind =
  'resident-18' | 'resident-15' | 'hmt-permit' | 'foreign-permanent-2017' | 'foreign-permanent-2023';

export type IdNumberProblem =
  'empty' | 'format' | 'check-digit' | 'birth-date-invalid' | 'birth-date-future' | 'nationality-format';

export interface IdNumberVerdict {
  readonly valid: boolean;
  /** Set when the shape was recognised (even if invalid otherwise). */
  readonly kind?: IdNumberKind;
  /** Upper-cased, trimmed; a 15-digit number is upgraded to 18 digits. */
  readonly normalized?: string;
  readonly problem?: IdNumberProblem;
  /** One line, English, no digits of the number beyond what the reason needs. */
  readonly reason: string;
  /** ISO YYYY-MM-DD when the date part parsed. */
  readonly birthDate?: string;
  readonly sex?: 'M' | 'F';
  /** Soft check: false when the province/region prefix is not a known province code. Never invalidates. */
  readonly regionKnown?: boolean;
  /** Check character expected from the first digits (for 18-char numbers), for diagnostics. */
  readonly expectedCheck?: string;
}

const MOD11_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const MOD11_MAP = '10X98765432';

/** ISO 7064 MOD 11-2 check character over 17 digits. Throws on a non-digit (callers validate first). */
export function mod112CheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('mod112CheckChar needs 17 digits');
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * MOD11_WEIGHTS[i]!;
  return MOD11_MAP[s % 11]!;
}

/** ICAO 9303 7-3-1 check digit ('<' = 0, A..Z = 10..35). Returns undefined on a character outside the set. */
export function icaoCheckDigit(s: string): number | undefined {
  const w = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 55;
    else if (c === 60) v = 0;
    else return undefined;
    sum += v * w[i % 3]!;
  }
  return sum % 10;
}

/** Province-level codes of GB/T 2260 (first two digits), plus 71 Taiwan and 81/82/83 residence permits. */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
]);

/** Is `yyyymmdd` a real calendar date? Returns ISO form or undefined. */
export function calendarDate(y: number, m: number, d: number): string | undefined {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return undefined;
  if (y < 1800 || y > 2999 || m < 1 || m > 12 || d < 1) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  if (d > dim) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `YYYYMMDD` → ISO date, or undefined when it is not a real date. */
export function parseYmd(s: string): string | undefined {
  if (!/^\d{8}$/.test(s)) return undefined;
  return calendarDate(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)));
}

function assertToday(today: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new RangeError(`today must be YYYY-MM-DD, got '${today}'`);
}

/** Upgrade a 15-digit legacy number to 18 digits (insert '19', append the MOD 11-2 check). */
export function upgradeLegacy15(n15: string): string {
  if (!/^\d{15}$/.test(n15)) throw new RangeError('upgradeLegacy15 needs 15 digits');
  const first17 = n15.slice(0, 6) + '19' + n15.slice(6);
  return first17 + mod112CheckChar(first17);
}

function dateProblem(
  iso: string | undefined,
  today: string,
): { problem: IdNumberProblem; reason: string } | undefined {
  if (iso === undefined)
    return { problem: 'birth-date-invalid', reason: 'birth date is not a calendar date' };
  if (iso > today) return { problem: 'birth-date-future', reason: 'birth date is in the future' };
  return undefined;
}

function check18(n: string, today: string): IdNumberVerdict {
  const kind: IdNumberKind = n.startsWith('9')
    ? 'foreign-permanent-2023'
    : /^8[123]0000/.test(n)
      ? 'hmt-permit'
      : 'resident-18';
  const expected = mod112CheckChar(n.slice(0, 17));
  const birthDate = parseYmd(n.slice(6, 14));
  const sex = (n.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F';
  const province = Number(
    n.slice(kind === 'foreign-permanent-2023' ? 1 : 0, kind === 'foreign-permanent-2023' ? 3 : 2),
  );
  const regionKnown = PROVINCES.has(province);
  const base = { kind, normalized: n, sex, regionKnown, expectedCheck: expected } as const;
  const dp = dateProblem(birthDate, today);
  if (dp) return { ...base, valid: false, ...dp };
  if (expected !== n[17]) {
    return {
      ...base,
      birthDate: birthDate!,
      valid: false,
      problem: 'check-digit',
      reason: 'check character does not match (MOD 11-2)',
    };
  }
  return { ...base, birthDate: birthDate!, valid: true, reason: describe(kind) };
}

function describe(kind: IdNumberKind): string {
  switch (kind) {
    case 'resident-18':
      return 'valid 18-digit resident ID number';
    case 'resident-15':
      return 'valid 15-digit legacy resident ID number (upgraded to 18 digits)';
    case 'hmt-permit':
      return 'valid HK/Macao/Taiwan residence permit number';
    case 'foreign-permanent-2017':
      return 'valid foreigner permanent residence card number (2017)';
    case 'foreign-permanent-2023':
      return 'valid foreigner permanent residence ID card number (2023)';
  }
}

/** Century for a 2-digit year on a birth date: the latest century that does not put it in the future. */
function birthCentury(yy: number, mm: number, dd: number, today: string): number {
  const y20 = 2000 + yy;
  const iso = calendarDate(y20, mm, dd);
  return iso !== undefined && iso <= today ? y20 : 1900 + yy;
}

/**
 * Verify an identity number. `today` is `YYYY-MM-DD` (the caller's clock). Lower-case `x` is accepted and
 * upper-cased. Never throws on bad input: the verdict says what is wrong.
 */
export function checkIdNumber(input: string, today: string): IdNumberVerdict {
  assertToday(today);
  const n = input.trim().toUpperCase();
  if (n === '') return { valid: false, problem: 'empty', reason: 'no number given' };
  if (/^\d{17}[\dX]$/.test(n)) return check18(n, today);
  if (/^\d{15}$/.test(n)) {
    const yy = Number(n.slice(6, 8));
    const birthDate = calendarDate(1900 + yy, Number(n.slice(8, 10)), Number(n.slice(10, 12)));
    const normalized = upgradeLegacy15(n);
    const sex = (n.charCodeAt(14) - 48) % 2 === 1 ? 'M' : 'F';
    const regionKnown = PROVINCES.has(Number(n.slice(0, 2)));
    const base = { kind: 'resident-15' as const, normalized, sex, regionKnown } as const;
    const dp = dateProblem(birthDate, today);
    if (dp) return { ...base, valid: false, ...dp };
    return { ...base, birthDate: birthDate!, valid: true, reason: describe('resident-15') };
  }
  if (/^[A-Z]{3}\d{12}$/.test(n)) {
    const kind = 'foreign-permanent-2017' as const;
    const yy = Number(n.slice(7, 9));
    const mm = Number(n.slice(9, 11));
    const dd = Number(n.slice(11, 13));
    const birthDate = calendarDate(birthCentury(yy, mm, dd, today), mm, dd);
    const sex = (n.charCodeAt(13) - 48) % 2 === 1 ? 'M' : 'F';
    const expected = String(icaoCheckDigit(n.slice(0, 14)));
    const base = { kind, normalized: n, sex, expectedCheck: expected } as const;
    const dp = dateProblem(birthDate, today);
    if (dp) return { ...base, valid: false, ...dp };
    if (expected !== n[14]) {
      return {
        ...base,
        birthDate: birthDate!,
        valid: false,
        problem: 'check-digit',
        reason: 'check digit does not match (ICAO 7-3-1)',
      };
    }
    return { ...base, birthDate: birthDate!, valid: true, reason: describe(kind) };
  }
  if (/^[A-Z0-9]{15}$/.test(n) && /^[A-Z]{3}/.test(n) === false && /^\d+$/.test(n) === false) {
    return {
      valid: false,
      problem: 'nationality-format',
      reason: '15-char foreigner number must start with 3 letters',
    };
  }
  return {
    valid: false,
    problem: 'format',
    reason: 'not an 18-digit, 15-digit or 15-char foreigner number',
  };
}

/** Does the number's shape fit the card type read from the chip (byte 248 of the text block)? */
export function numberFitsCardType(kind: IdNumberKind | undefined, cardType: ' ' | 'J' | 'I' | 'Y'): boolean {
  switch (cardType) {
    case ' ':
      return kind === 'resident-18';
    case 'J':
      return kind === 'hmt-permit';
    case 'I':
      return kind === 'foreign-permanent-2017';
    case 'Y':
      return kind === 'foreign-permanent-2023';
  }
}
