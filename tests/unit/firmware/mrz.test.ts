import { describe, expect, it } from 'vitest';
import {
  buildCnPermitMrz,
  buildMrz,
  mrzCheckDigit,
  mrzToDocument,
  parseMrz,
} from '../../../kiosk/credentials/mrz/parse.ts';
import type { MrzFormat } from '../../../kiosk/credentials/mrz/parse.ts';

const today = '2026-11-23';
// ICAO Doc 9303 specimens (Utopia, ERIKSSON ANNA MARIA).
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = [
  'I<UTOD231458907<<<<<<<<<<<<<<<',
  '7408122F1204159UTO<<<<<<<<<<<6',
  'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];

const failing = (lines: readonly string[]): string[] => {
  const r = parseMrz(lines);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.checks.filter((c) => !c.ok).map((c) => c.name);
};

describe('7-3-1 check digits (READERS.md §3.2, Appendix A.3)', () => {
  it('reproduces the specimen digits', () => {
    expect(mrzCheckDigit('L898902C3')).toBe(6);
    expect(mrzCheckDigit('740812')).toBe(2);
    expect(mrzCheckDigit('120415')).toBe(9);
    expect(mrzCheckDigit('ab')).toBeUndefined();
  });
});

describe('specimens', () => {
  it('TD3: every field and check', () => {
    const r = parseMrz(TD3);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.format).toBe('TD3');
    expect(r.value.fields).toMatchObject({
      documentCode: 'P',
      issuingState: 'UTO',
      primaryIdentifier: 'ERIKSSON',
      secondaryIdentifier: 'ANNA MARIA',
      documentNumber: 'L898902C3',
      birthDate: '740812',
      sex: 'F',
      expiryDate: '120415',
      personalNumber: 'ZE184226B',
    });
    expect(r.value.checks.map((c) => c.name)).toEqual([
      'mrz.charset',
      'mrz.document-number',
      'mrz.birth-date',
      'mrz.expiry-date',
      'mrz.personal-number',
      'mrz.composite',
    ]);
    expect(r.value.valid).toBe(true);
  });
  it('TD1 and TD2 specimens pass every check', () => {
    expect(failing(TD1)).toEqual([]);
    expect(failing(TD2)).toEqual([]);
    const r = parseMrz(TD1);
    expect(r.ok && r.value.fields.documentNumber).toBe('D23145890');
  });
  it('accepts one CR/LF string with reader padding', () => {
    const r = parseMrz(TD3.map((l) => l + '____').join('\r\n') + '\r\n');
    expect(r.ok && r.value.valid).toBe(true);
  });
});

describe('every check digit reported per field', () => {
  const cases: [string, readonly string[], number, number, string][] = [
    ['TD3 doc number', TD3, 1, 9, 'mrz.document-number'],
    ['TD3 birth', TD3, 1, 19, 'mrz.birth-date'],
    ['TD3 expiry', TD3, 1, 27, 'mrz.expiry-date'],
    ['TD3 personal number', TD3, 1, 42, 'mrz.personal-number'],
    ['TD3 composite', TD3, 1, 43, 'mrz.composite'],
    ['TD1 doc number', TD1, 0, 14, 'mrz.document-number'],
    ['TD1 birth', TD1, 1, 6, 'mrz.birth-date'],
    ['TD1 expiry', TD1, 1, 14, 'mrz.expiry-date'],
    ['TD1 composite', TD1, 1, 29, 'mrz.composite'],
    ['TD2 composite', TD2, 1, 35, 'mrz.composite'],
  ];
  it.each(cases)('%s', (_n, lines, line, pos, check) => {
    const l = lines[line]!;
    const wrong = String((Number(l[pos]) + 1) % 10);
    const broken = lines.map((x, i) => (i === line ? x.slice(0, pos) + wrong + x.slice(pos + 1) : x));
    // The composite covers the field check digits too, so it fails alongside them.
    expect(failing(broken)).toEqual(check === 'mrz.composite' ? [check] : [check, 'mrz.composite']);
  });
  it('a changed data character is caught by its field check and the composite', () => {
    const broken = [TD3[0]!, TD3[1]!.replace('740812', '740813')];
    expect(failing(broken)).toEqual(['mrz.birth-date', 'mrz.composite']);
  });
});

describe('built documents of every format', () => {
  const person = {
    state: 'UTO',
    number: 'X12345678',
    surname: 'TEST',
    given: 'SAMPLE PERSON',
    nationality: 'UTO',
    birth: '900307',
    sex: 'F' as const,
    expiry: '310101',
    optional: 'AB1234',
  };
  it.each(['TD1', 'TD2', 'TD3', 'MRV-A', 'MRV-B'] as const)(
    '%s builds, detects and validates',
    (fmt: Exclude<MrzFormat, 'CN-PERMIT'>) => {
      const lines = buildMrz(fmt, person);
      const r = parseMrz(lines);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.format).toBe(fmt);
      expect(r.value.valid).toBe(true);
      expect(r.value.fields.documentNumber).toBe('X12345678');
      // MRV has no composite check; the others do.
      expect(r.value.checks.some((c) => c.name === 'mrz.composite')).toBe(!fmt.startsWith('MRV'));
    },
  );
  it('TD1 long document numbers use the optional-data overflow', () => {
    const l1 = 'I<UTOD23145890<7349<<<<<<<<<<<'; // number D23145890734 + check 9 in optional 1
    const dn = 'D23145890<734';
    expect(mrzCheckDigit(dn)).toBe(9);
    const l2a = '7408122F1204159UTO<<<<<<<<<<<';
    const comp = l1.slice(5, 30) + l2a.slice(0, 7) + l2a.slice(8, 15) + l2a.slice(18, 29);
    const r = parseMrz([l1, l2a.slice(0, 29) + String(mrzCheckDigit(comp)), TD1[2]!]);
    expect(r.ok && r.value.fields.documentNumber).toBe('D23145890734');
    expect(r.ok && r.value.valid).toBe(true);
  });
});

describe('TD2 long document numbers', () => {
  it('reads the overflow into the optional data, and fails a bare < check', () => {
    const cd = (x: string): string => String(mrzCheckDigit(x));
    const head = 'D23145890<UTO7408122F1204159';
    const opt = ('734' + cd('D23145890<734') + '<<<<<<<').slice(0, 7);
    const body = head + opt;
    const l2 = body + cd(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 35));
    const r = parseMrz([TD2[0]!, l2]);
    expect(r.ok && r.value.fields.documentNumber).toBe('D23145890734');
    expect(r.ok && r.value.valid).toBe(true);
    const bare = head + '<<<<<<<';
    expect(
      failing([TD2[0]!, bare + cd(bare.slice(0, 10) + bare.slice(13, 20) + bare.slice(21, 35))]),
    ).toEqual(['mrz.document-number']);
  });
});

describe('Chinese exit-entry permit line (CS/CD, §3.4)', () => {
  it('parses the synthetic example from READERS.md', () => {
    expect(buildCnPermitMrz('CS', 'C12345678', '300101', '900101')).toBe('CSC123456788<3001019<9001011<4');
    const r = parseMrz('CSC123456788<3001019<9001011<4');
    expect(r.ok && r.value.format).toBe('CN-PERMIT');
    expect(r.ok && r.value.valid).toBe(true);
    expect(r.ok && r.value.fields).toMatchObject({
      documentNumber: 'C12345678',
      expiryDate: '300101',
      birthDate: '900101',
    });
    expect(failing(['CSC123456788<3001019<9001011<5'])).toEqual(['mrz.composite']);
  });
});

describe('to IdentityDocument', () => {
  it('maps fields, centuries and expiry', () => {
    const r = parseMrz(TD3);
    if (!r.ok) throw new Error();
    const d = mrzToDocument(r.value, { today });
    expect(d).toMatchObject({
      source: 'mrz',
      documentType: 'passport',
      documentNumber: 'L898902C3',
      birthDate: '1974-08-12',
      validTo: '2012-04-15',
      sex: 'F',
      nationality: 'UTO',
    });
    expect(d.checks.find((c) => c.name === 'validity.expiry')?.ok).toBe(false);
  });
});

describe('bad input', () => {
  it('gives a typed error for unknown shapes', () => {
    for (const x of ['', 'HELLO', ['A'.repeat(44)], ['A'.repeat(30), 'B'.repeat(44)]]) {
      const r = parseMrz(x);
      expect(!r.ok && r.error.code).toBe('E_MRZ_SHAPE');
    }
  });
  it('flags characters outside the MRZ set', () => {
    expect(failing([TD3[0]!.replace('ANNA', 'AN@A'), TD3[1]!])).toContain('mrz.charset');
  });
});
