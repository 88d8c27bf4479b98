// ICAO 9303 machine-readable zones: TD1, TD2, TD3, MRV-A, MRV-B, and the one-line Chinese exit-entry permit
// (CS / CD) (READERS.md §3.1, §3.2, §3.4). Pure: `today` is an input. Every check digit is reported per field
// in `checks`; parsing never throws.
import type { CredentialCheck, DocumentType, IdentityDocument, Sex } from '../../core/types.ts';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B' | 'CN-PERMIT';

export interface MrzFields {
  readonly documentCode: string;
  readonly issuingState?: string;
  readonly documentNumber: string;
  readonly nationality?: string;
  /** YYMMDD as printed. */
  readonly birthDate: string;
  readonly sex?: string;
  readonly expiryDate: string;
  readonly primaryIdentifier?: string;
  readonly secondaryIdentifier?: string;
  readonly optional1?: string;
  readonly optional2?: string;
  readonly personalNumber?: string;
}

export interface MrzResult {
  readonly format: MrzFormat;
  readonly lines: readonly string[];
  readonly fields: MrzFields;
  /** 'mrz.document-number', 'mrz.birth-date', 'mrz.expiry-date', 'mrz.personal-number', 'mrz.composite', 'mrz.charset' */
  readonly checks: readonly CredentialCheck[];
  /** Every check passed. */
  readonly valid: boolean;
}

export type MrzParseError = {
  readonly code: 'E_MRZ_SHAPE';
  readonly message: string;
};

export function mrzCharValue(c: string): number | undefined {
  const x = c.charCodeAt(0);
  if (x >= 48 && x <= 57) return x - 48;
  if (x >= 65 && x <= 90) return x - 55;
  if (x === 60) return 0;
  return undefined;
}

/** 7-3-1 check digit; undefined if a character is outside A–Z 0–9 <. */
export function mrzCheckDigit(s: string): number | undefined {
  const w = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const v = mrzCharValue(s[i]!);
    if (v === undefined) return undefined;
    sum += v * w[i % 3]!;
  }
  return sum % 10;
}

function check(name: string, data: string, digit: string, allowFiller = false): CredentialCheck {
  if (allowFiller && digit === '<' && /^<*$/.test(data))
    return { name, ok: true, detail: 'empty field, filler check' };
  const cd = mrzCheckDigit(data);
  const ok = cd !== undefined && String(cd) === digit;
  return ok
    ? { name, ok }
    : { name, ok, detail: cd === undefined ? 'invalid characters' : `check digit ${digit} != ${cd}` };
}

const strip = (s: string): string => s.replace(/<+$/g, '').replace(/</g, ' ').trim();

function names(field: string): { primaryIdentifier: string; secondaryIdentifier: string } {
  const [p = '', ...rest] = field.split('<<');
  return { primaryIdentifier: strip(p), secondaryIdentifier: strip(rest.join('<<')) };
}

/** Normalise what a reader delivers: strings or one string with CR/LF; `_` padding and spaces removed. */
export function normaliseMrzLines(input: string | readonly string[]): string[] {
  const raw =
    typeof input === 'string' ? input.split(/\r\n|\r|\n/) : input.flatMap((l) => l.split(/\r\n|\r|\n/));
  return raw.map((l) => l.replace(/[_ \t]/g, '').toUpperCase()).filter((l) => l !== '');
}

/**
 * Document numbers longer than 9 (TD1, TD2, MRV-B): '<' in the check position, the rest of the number and its
 * check digit at the start of the optional data. A '<' without overflow digits stays a failing check.
 */
function longNumber(
  main: string,
  digit: string,
  optional: string,
): { number: string; data: string; digit: string; optional: string } {
  if (digit === '<' && optional[0] !== '<' && optional !== '') {
    const m = /^([A-Z0-9]*?)(\d)(<|$)/.exec(optional);
    if (m) {
      const ext = m[1]!;
      return {
        number: main + ext,
        data: main + '<' + ext,
        digit: m[2]!,
        optional: optional.slice(ext.length + 1),
      };
    }
  }
  return { number: main, data: main, digit, optional };
}

export function parseMrz(
  input: string | readonly string[],
): { ok: true; value: MrzResult } | { ok: false; error: MrzParseError } {
  const lines = normaliseMrzLines(input);
  const shape = lines.map((l) => l.length).join('x');
  const fail = (message: string): { ok: false; error: MrzParseError } => ({
    ok: false,
    error: { code: 'E_MRZ_SHAPE', message },
  });
  const sameLen = (n: number, k: number): boolean => lines.length === k && lines.every((l) => l.length === n);
  const charsetOk = lines.every((l) => /^[A-Z0-9<]*$/.test(l));
  const checks: CredentialCheck[] = [
    charsetOk
      ? { name: 'mrz.charset', ok: true }
      : { name: 'mrz.charset', ok: false, detail: 'characters outside A-Z 0-9 <' },
  ];
  let format: MrzFormat;
  let fields: MrzFields;

  if (sameLen(30, 3)) {
    const [l1, l2, l3] = lines as [string, string, string];
    format = 'TD1';
    const dn = longNumber(l1.slice(5, 14), l1[14]!, l1.slice(15, 30));
    checks.push(check('mrz.document-number', dn.data, dn.digit));
    checks.push(check('mrz.birth-date', l2.slice(0, 6), l2[6]!));
    checks.push(check('mrz.expiry-date', l2.slice(8, 14), l2[14]!));
    checks.push(
      check('mrz.composite', l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29), l2[29]!),
    );
    fields = {
      documentCode: strip(l1.slice(0, 2)),
      issuingState: strip(l1.slice(2, 5)),
      documentNumber: strip(dn.number),
      optional1: strip(dn.optional),
      birthDate: l2.slice(0, 6),
      sex: l2[7]!,
      expiryDate: l2.slice(8, 14),
      nationality: strip(l2.slice(15, 18)),
      optional2: strip(l2.slice(18, 29)),
      ...names(l3),
    };
  } else if (sameLen(36, 2) || sameLen(44, 2)) {
    const [l1, l2] = lines as [string, string];
    const long = l1.length === 44;
    const visa = l1[0] === 'V';
    format = long ? (visa ? 'MRV-A' : 'TD3') : visa ? 'MRV-B' : 'TD2';
    // ICAO defines the long-number overflow for the 36-character formats (TD2, MRV-B), not for TD3/MRV-A.
    const dn = long
      ? longNumber(l2.slice(0, 9), l2[9]!, '')
      : longNumber(l2.slice(0, 9), l2[9]!, l2.slice(28, visa ? 36 : 35));
    checks.push(check('mrz.document-number', dn.data, dn.digit));
    checks.push(check('mrz.birth-date', l2.slice(13, 19), l2[19]!));
    checks.push(check('mrz.expiry-date', l2.slice(21, 27), l2[27]!));
    const base = {
      documentCode: strip(l1.slice(0, 2)),
      issuingState: strip(l1.slice(2, 5)),
      ...names(l1.slice(5)),
      documentNumber: strip(dn.number),
      nationality: strip(l2.slice(10, 13)),
      birthDate: l2.slice(13, 19),
      sex: l2[20]!,
      expiryDate: l2.slice(21, 27),
    };
    if (format === 'TD3') {
      checks.push(check('mrz.personal-number', l2.slice(28, 42), l2[42]!, true));
      checks.push(check('mrz.composite', l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43), l2[43]!));
      fields = { ...base, personalNumber: strip(l2.slice(28, 42)) };
    } else if (format === 'TD2') {
      checks.push(check('mrz.composite', l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 35), l2[35]!));
      fields = { ...base, optional1: strip(long ? l2.slice(28, 35) : dn.optional) };
    } else {
      fields = { ...base, optional1: strip(long ? l2.slice(28) : dn.optional) };
    }
  } else if (lines.length === 1 && lines[0]!.length === 30 && /^C[SD]/.test(lines[0]!)) {
    const l = lines[0]!;
    format = 'CN-PERMIT';
    checks.push(check('mrz.document-number', l.slice(2, 11), l[11]!));
    checks.push(check('mrz.expiry-date', l.slice(13, 19), l[19]!));
    checks.push(check('mrz.birth-date', l.slice(21, 27), l[27]!));
    checks.push(check('mrz.composite', l.slice(2, 12) + l.slice(13, 20) + l.slice(21, 28), l[29]!));
    fields = {
      documentCode: l.slice(0, 2),
      issuingState: 'CHN',
      nationality: 'CHN',
      documentNumber: strip(l.slice(2, 11)),
      expiryDate: l.slice(13, 19),
      birthDate: l.slice(21, 27),
    };
  } else {
    return fail(`unrecognised MRZ shape ${shape === '' ? '(empty)' : shape}`);
  }
  return { ok: true, value: { format, lines, fields, checks, valid: checks.every((c) => c.ok) } };
}

// ---- to IdentityDocument ---------------------------------------------------------------------------------

function ymd(yymmdd: string, century: number): string | undefined {
  if (!/^\d{6}$/.test(yymmdd)) return undefined;
  const y = century + Number(yymmdd.slice(0, 2));
  const m = Number(yymmdd.slice(2, 4));
  const d = Number(yymmdd.slice(4, 6));
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  if (dim === undefined || d < 1 || d > dim) return undefined;
  return `${y}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}

/** Birth date: the latest century that is not in the future. */
export function mrzBirthDate(yymmdd: string, today: string): string | undefined {
  const a = ymd(yymmdd, 2000);
  if (a !== undefined && a <= today) return a;
  return ymd(yymmdd, 1900);
}

/** Expiry date: 20YY (documents issued before 2000 have long expired); YY ≥ 70 reads as 19YY. */
export function mrzExpiryDate(yymmdd: string): string | undefined {
  return ymd(yymmdd, Number(yymmdd.slice(0, 2)) >= 70 ? 1900 : 2000);
}

const DOC_TYPE: Record<MrzFormat, DocumentType> = {
  TD1: 'id-td1',
  TD2: 'id-td2',
  TD3: 'passport',
  'MRV-A': 'visa-mrv-a',
  'MRV-B': 'visa-mrv-b',
  'CN-PERMIT': 'cn-travel-permit',
};

/** MRZ → IdentityDocument. Adds 'mrz.dates' (real calendar dates) and 'validity.expiry' to the checks. */
export function mrzToDocument(mrz: MrzResult, opts: { readonly today: string }): IdentityDocument {
  const f = mrz.fields;
  const birth = mrzBirthDate(f.birthDate, opts.today);
  const expiry = mrzExpiryDate(f.expiryDate);
  const checks: CredentialCheck[] = [...mrz.checks];
  const datesOk = birth !== undefined && expiry !== undefined && birth <= opts.today;
  checks.push({
    name: 'mrz.dates',
    ok: datesOk,
    ...(datesOk ? {} : { detail: 'birth or expiry date is not a real date' }),
  });
  if (expiry !== undefined) {
    const ok = expiry >= opts.today;
    checks.push({ name: 'validity.expiry', ok, detail: `valid to ${expiry}` });
  }
  const sex: Sex | undefined =
    f.sex === 'M' ? 'M' : f.sex === 'F' ? 'F' : f.sex === 'X' || f.sex === '<' ? 'X' : undefined;
  const latin = [f.primaryIdentifier, f.secondaryIdentifier]
    .filter((s) => s !== undefined && s !== '')
    .join(' ');
  return {
    source: 'mrz',
    documentType: DOC_TYPE[mrz.format],
    documentNumber: f.documentNumber,
    name: f.primaryIdentifier ?? '',
    ...(latin !== '' ? { nameLatin: latin } : {}),
    ...(sex !== undefined ? { sex } : {}),
    ...(birth !== undefined ? { birthDate: birth } : {}),
    ...(f.nationality !== undefined && f.nationality !== '' ? { nationality: f.nationality } : {}),
    ...(f.issuingState !== undefined && f.issuingState !== '' ? { issuer: f.issuingState } : {}),
    ...(expiry !== undefined ? { validTo: expiry } : {}),
    checks,
  };
}

// ---- builder (simulators, tests) -------------------------------------------------------------------------

const pad = (s: string, n: number): string => (s + '<'.repeat(n)).slice(0, n);
const cd = (s: string): string => String(mrzCheckDigit(s) ?? 0);

export interface MrzPerson {
  readonly documentCode?: string;
  readonly state: string;
  readonly number: string;
  readonly surname: string;
  readonly given: string;
  readonly nationality: string;
  readonly birth: string;
  readonly sex: 'M' | 'F' | '<';
  readonly expiry: string;
  readonly optional?: string;
}

/** Build valid MRZ lines (all check digits computed) for a format. */
export function buildMrz(format: Exclude<MrzFormat, 'CN-PERMIT'>, p: MrzPerson): string[] {
  const nameField = (n: number): string => pad(`${p.surname}<<${p.given.replace(/ /g, '<')}`, n);
  if (format === 'TD1') {
    const l1 =
      pad(p.documentCode ?? 'I<', 2) +
      pad(p.state, 3) +
      pad(p.number, 9) +
      cd(pad(p.number, 9)) +
      pad(p.optional ?? '', 15);
    const l2a = p.birth + cd(p.birth) + p.sex + p.expiry + cd(p.expiry) + pad(p.nationality, 3) + pad('', 11);
    const comp = l1.slice(5, 30) + l2a.slice(0, 7) + l2a.slice(8, 15) + l2a.slice(18, 29);
    return [l1, l2a + cd(comp), nameField(30)];
  }
  const long = format === 'TD3' || format === 'MRV-A';
  const width = long ? 44 : 36;
  const code = p.documentCode ?? (format.startsWith('MRV') ? 'V<' : long ? 'P<' : 'I<');
  const l1 = pad(code, 2) + pad(p.state, 3) + nameField(width - 5);
  const head =
    pad(p.number, 9) +
    cd(pad(p.number, 9)) +
    pad(p.nationality, 3) +
    p.birth +
    cd(p.birth) +
    p.sex +
    p.expiry +
    cd(p.expiry);
  if (format === 'TD3') {
    const pn = pad(p.optional ?? '', 14);
    const pnc = /^<*$/.test(pn) ? '<' : cd(pn);
    const body = head + pn + pnc;
    const comp = body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43);
    return [l1, body + cd(comp)];
  }
  if (format === 'TD2') {
    const body = head + pad(p.optional ?? '', 7);
    const comp = body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 35);
    return [l1, body + cd(comp)];
  }
  return [l1, head + pad(p.optional ?? '', width - 28)];
}

/** Build a one-line CS/CD permit MRZ. */
export function buildCnPermitMrz(code: 'CS' | 'CD', number: string, expiry: string, birth: string): string {
  const n = pad(number, 9);
  const a = n + cd(n) + '<';
  const b = expiry + cd(expiry) + '<';
  const c = birth + cd(birth) + '<';
  return code + a + b + c + cd(a.slice(0, 10) + b.slice(0, 7) + c.slice(0, 7));
}
