import { describe, expect, it } from 'vitest';
import { encodeTextBlock, parseTextBlock } from '../../../kiosk/credentials/cn-resident-id/text-block.ts';
import type { CardText, ResidentText } from '../../../kiosk/credentials/cn-resident-id/text-block.ts';
import { cardToDocument } from '../../../kiosk/credentials/cn-resident-id/document.ts';
import { mod112CheckChar } from '../../../kiosk/credentials/cn-resident-id/id-number.ts';
import { SYNTHETIC_CARDS } from '../../../firmware-bridge/simulators/cards.ts';

const today = '2026-11-23';
const resident = SYNTHETIC_CARDS[0] as ResidentText;

describe('text block layout (READERS.md §1.7)', () => {
  it('puts the fields at the published byte offsets (UCS-2LE, space padded)', () => {
    const b = encodeTextBlock(resident);
    const at = (o: number, n: number): string =>
      new TextDecoder('utf-16le').decode(b.subarray(o, o + n)).trim();
    expect(at(0, 30)).toBe('测试甲');
    expect(at(30, 2)).toBe('1');
    expect(at(32, 4)).toBe('01');
    expect(at(36, 16)).toBe('19900307');
    expect(at(122, 36)).toBe(resident.number);
    expect(at(204, 16)).toBe('20400101');
    expect(b[248]).toBe(0x20);
    expect(b[53]).not.toBe(undefined);
  });
  it.each(SYNTHETIC_CARDS.map((c, i) => [i, c.cardType, c] as const))(
    'card %i (type %s) round-trips',
    (_i, _t, card) => {
      const r = parseTextBlock(encodeTextBlock(card));
      expect(r).toEqual({ ok: true, value: card });
    },
  );
  it('reads type byte 00 00 as a resident card, and rejects unknown types and short blocks', () => {
    const b = encodeTextBlock(resident);
    b[248] = 0;
    expect(parseTextBlock(b).ok && (parseTextBlock(b) as { value: CardText }).value.cardType).toBe(' ');
    b[248] = 0x5a;
    const r = parseTextBlock(b);
    expect(!r.ok && r.error.code).toBe('E_TEXT_UNKNOWN_TYPE');
    const s = parseTextBlock(new Uint8Array(200));
    expect(!s.ok && s.error.code).toBe('E_TEXT_TOO_SHORT');
  });
  it('maps gender codes 0/1/2/9 without treating "not 1" as female', () => {
    for (const [code, sex] of [
      ['1', 'M'],
      ['2', 'F'],
      ['9', 'X'],
      ['0', undefined],
    ] as const) {
      const r = parseTextBlock(
        encodeTextBlock({ ...resident, genderCode: code, ...(sex ? { sex } : {}) } as ResidentText),
      );
      expect(r.ok && r.value.sex).toBe(sex);
    }
  });
  it('names the ethnicity from the table (46 = 德昂), unknown codes keep the code only', () => {
    const r = parseTextBlock(encodeTextBlock({ ...resident, ethnicityCode: '46' }));
    expect(r.ok && r.value.cardType === ' ' && r.value.ethnicity).toBe('德昂');
    const u = parseTextBlock(encodeTextBlock({ ...resident, ethnicityCode: '57' }));
    expect(u.ok && u.value.cardType === ' ' && u.value.ethnicity).toBeUndefined();
  });
});

describe('cardToDocument checks', () => {
  it('a valid synthetic card of each type has only passing checks', () => {
    for (const c of SYNTHETIC_CARDS) {
      const d = cardToDocument(c, { today });
      expect(d.checks.filter((x) => !x.ok)).toEqual([]);
      expect(d.checks.map((x) => x.name)).toContain('id-number.check-digit');
    }
  });
  it('maps types and long-term validity', () => {
    const docs = SYNTHETIC_CARDS.map((c) => cardToDocument(c, { today }));
    expect(docs.map((d) => d.documentType)).toEqual([
      'cn-resident-id',
      'cn-hmt-residence-permit',
      'cn-foreign-permanent-2017',
      'cn-foreign-permanent-2023',
      'cn-resident-id',
    ]);
    expect(docs[3]!.validTo).toBe('long-term');
    expect(docs[0]!.birthDate).toBe('1990-03-07');
    expect(docs[0]!.nationality).toBe('CHN');
  });
  it('fails the check-digit check for a wrong check character', () => {
    const n = resident.number.slice(0, 17) + (resident.number[17] === '0' ? '1' : '0');
    const d = cardToDocument({ ...resident, number: n }, { today });
    expect(d.checks.find((c) => c.name === 'id-number.check-digit')?.ok).toBe(false);
  });
  it('flags expiry, not-yet-valid and a birth date that disagrees with the number', () => {
    const exp = cardToDocument({ ...resident, validTo: '20251231' }, { today });
    expect(exp.checks.find((c) => c.name === 'validity.expiry')?.ok).toBe(false);
    const nyv = cardToDocument({ ...resident, validFrom: '20270101' }, { today });
    expect(nyv.checks.find((c) => c.name === 'validity.not-before')?.ok).toBe(false);
    const bd = cardToDocument({ ...resident, birth: '19900308' }, { today });
    expect(bd.checks.find((c) => c.name === 'id-number.birth-date')?.ok).toBe(false);
  });
  it('flags a number that does not fit the card type byte', () => {
    const f = '81000019900307001';
    const d = cardToDocument({ ...resident, number: f + mod112CheckChar(f) }, { today });
    expect(d.checks.find((c) => c.name === 'card.type')?.ok).toBe(false);
  });
});
