// Synthetic cards for the simulators, fixtures and tests: clearly fake people (测试/样例 names, "TEST" Latin
// names, 虚构 addresses) whose numbers carry VALID check digits. Pure.
import { icaoCheckDigit, mod112CheckChar } from '../../kiosk/credentials/cn-resident-id/id-number.ts';
import { encodeTextBlock } from '../../kiosk/credentials/cn-resident-id/text-block.ts';
import type { CardText } from '../../kiosk/credentials/cn-resident-id/text-block.ts';

export type CardKind = 'resident' | 'hmt' | 'foreign-2017' | 'foreign-2023';

const n18 = (first17: string): string => first17 + mod112CheckChar(first17);

/** The fixed synthetic cards; index into this with presentCard(i). */
export const SYNTHETIC_CARDS: readonly CardText[] = [
  {
    cardType: ' ',
    name: '测试甲',
    genderCode: '1',
    sex: 'M',
    ethnicityCode: '01',
    ethnicity: '汉',
    birth: '19900307',
    address: '测试省样例市虚构区演示路1号',
    number: n18('11010519900307001'),
    authority: '样例市公安局虚构分局',
    validFrom: '20200101',
    validTo: '20400101',
  },
  {
    cardType: 'J',
    name: '测试港',
    genderCode: '2',
    sex: 'F',
    birth: '19940823',
    address: '香港特别行政区虚构道2号',
    number: n18('81000019940823002'),
    authority: '样例市公安局',
    validFrom: '20210601',
    validTo: '20310601',
    travelPermitNumber: 'H00000001',
    issueCount: '01',
  },
  {
    cardType: 'I',
    nameLatin: 'TEST, SAMPLE ALPHA',
    genderCode: '1',
    sex: 'M',
    number: (() => {
      const f = 'USA1100850101' + '1';
      return f + String(icaoCheckDigit(f));
    })(),
    nationality: 'USA',
    nameChinese: '测试外甲',
    validFrom: '20190301',
    validTo: '20290301',
    birth: '19850101',
    cardVersion: '01',
    authorityCode: '1100',
  },
  {
    cardType: 'Y',
    nameChinese: '测试外乙',
    genderCode: '2',
    sex: 'F',
    renewalCount: '00',
    birth: '19920215',
    nameLatin: 'TEST SAMPLE BRAVO WITH A LONGER LATIN NAME XYZ',
    number: n18('91184019920215012'),
    validFrom: '20240101',
    validTo: '长期',
    nationality: '840',
    previousNumberLink: '',
  },
  {
    cardType: ' ',
    name: '样例乙',
    genderCode: '2',
    sex: 'F',
    ethnicityCode: '03',
    ethnicity: '回',
    birth: '20000229',
    address: '样例省测试县虚构镇演示村3号',
    number: n18('44030520000229002'),
    authority: '测试县公安局',
    validFrom: '20180101',
    validTo: '长期',
  },
];

export const CARD_KIND_INDEX: Record<CardKind, number> = {
  resident: 0,
  hmt: 1,
  'foreign-2017': 2,
  'foreign-2023': 3,
};

export function cardByKindOrIndex(k: CardKind | number): CardText {
  const i = typeof k === 'number' ? k : CARD_KIND_INDEX[k];
  const c = SYNTHETIC_CARDS[i];
  if (c === undefined) throw new RangeError(`no synthetic card ${String(k)}`);
  return c;
}

export function textBlockOf(k: CardKind | number): Uint8Array {
  return encodeTextBlock(cardByKindOrIndex(k));
}

/** A deterministic fake 1024-byte "WLT" photo blob (not a real WLT: it only has the right size). */
export function fakeWlt(seed: number): Uint8Array {
  const b = new Uint8Array(1024);
  let x = (seed + 1) * 2654435761;
  for (let i = 0; i < b.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  b[0] = 0x57; // 'W'
  b[1] = 0x4c; // 'L'
  return b;
}
