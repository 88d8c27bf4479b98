// The 256-byte UCS-2LE text block a SAM reader returns for `30 01` / `30 10` (READERS.md §1.7). Pure.
// Card type at byte 248: ' ' (or NUL) resident, 'J' HK/Macao/Taiwan residence permit, 'I' foreigner 2017,
// 'Y' foreigner 2023 (single source). Fields are right-padded with U+0020; NULs are treated as padding too.
import { ETHNICITY, GENDER } from './tables.ts';

export type CardType = ' ' | 'J' | 'I' | 'Y';

interface Common {
  /** Gender code as on the card ('0','1','2','9'); `sex` derived from it (undefined for '0' or unknown). */
  readonly genderCode: string;
  readonly sex?: 'M' | 'F' | 'X';
  /** YYYYMMDD strings as on the card (not validated here; see toIdentityDocument). */
  readonly birth: string;
  readonly validFrom: string;
  /** YYYYMMDD, or '长期' (long-term). */
  readonly validTo: string;
  readonly number: string;
}

export interface ResidentText extends Common {
  readonly cardType: ' ';
  readonly name: string;
  readonly ethnicityCode: string;
  readonly ethnicity?: string;
  readonly address: string;
  readonly authority: string;
}

export interface HmtPermitText extends Common {
  readonly cardType: 'J';
  readonly name: string;
  readonly address: string;
  readonly authority: string;
  readonly travelPermitNumber: string;
  readonly issueCount: string;
}

export interface Foreign2017Text extends Common {
  readonly cardType: 'I';
  readonly nameLatin: string;
  readonly nameChinese: string;
  readonly nationality: string;
  readonly cardVersion: string;
  readonly authorityCode: string;
}

export interface Foreign2023Text extends Common {
  readonly cardType: 'Y';
  readonly nameChinese: string;
  readonly nameLatin: string;
  readonly renewalCount: string;
  readonly nationality: string;
  readonly previousNumberLink: string;
}

export type CardText = ResidentText | HmtPermitText | Foreign2017Text | Foreign2023Text;

export type TextBlockError =
  | { readonly code: 'E_TEXT_TOO_SHORT'; readonly message: string }
  | { readonly code: 'E_TEXT_UNKNOWN_TYPE'; readonly message: string };

export type TextBlockResult = { ok: true; value: CardText } | { ok: false; error: TextBlockError };

const utf16 = new TextDecoder('utf-16le');

function field(block: Uint8Array, offset: number, bytes: number): string {
  return utf16
    .decode(block.subarray(offset, offset + bytes))
    .replaceAll('\u0000', ' ')
    .trim();
}

function gender(code: string): { genderCode: string; sex?: 'M' | 'F' | 'X' } {
  const g = GENDER[code];
  return g?.sex !== undefined ? { genderCode: code, sex: g.sex } : { genderCode: code };
}

/** Parse a text block (≥ 256 bytes; longer input is cut at 256). Never throws. */
export function parseTextBlock(block: Uint8Array): TextBlockResult {
  if (block.length < 256) {
    return {
      ok: false,
      error: { code: 'E_TEXT_TOO_SHORT', message: `text block has ${block.length} bytes, needs 256` },
    };
  }
  const t = block[248]!;
  const hi = block[249]!;
  const type =
    hi !== 0
      ? undefined
      : t === 0x20 || t === 0
        ? ' '
        : t === 0x4a
          ? 'J'
          : t === 0x49
            ? 'I'
            : t === 0x59
              ? 'Y'
              : undefined;
  if (type === undefined) {
    return {
      ok: false,
      error: {
        code: 'E_TEXT_UNKNOWN_TYPE',
        message: `unknown card type code 0x${(hi * 256 + t).toString(16).padStart(4, '0')}`,
      },
    };
  }
  const f = (o: number, n: number): string => field(block, o, n);
  switch (type) {
    case ' ': {
      const ethnicityCode = f(32, 4);
      const eth = ETHNICITY[ethnicityCode];
      return {
        ok: true,
        value: {
          cardType: ' ',
          name: f(0, 30),
          ...gender(f(30, 2)),
          ethnicityCode,
          ...(eth !== undefined ? { ethnicity: eth } : {}),
          birth: f(36, 16),
          address: f(52, 70),
          number: f(122, 36),
          authority: f(158, 30),
          validFrom: f(188, 16),
          validTo: f(204, 16),
        },
      };
    }
    case 'J':
      return {
        ok: true,
        value: {
          cardType: 'J',
          name: f(0, 30),
          ...gender(f(30, 2)),
          birth: f(36, 16),
          address: f(52, 70),
          number: f(122, 36),
          authority: f(158, 30),
          validFrom: f(188, 16),
          validTo: f(204, 16),
          travelPermitNumber: f(220, 18),
          issueCount: f(238, 4),
        },
      };
    case 'I':
      return {
        ok: true,
        value: {
          cardType: 'I',
          nameLatin: f(0, 120),
          ...gender(f(120, 2)),
          number: f(122, 30),
          nationality: f(152, 6),
          nameChinese: f(158, 30),
          validFrom: f(188, 16),
          validTo: f(204, 16),
          birth: f(220, 16),
          cardVersion: f(236, 4),
          authorityCode: f(240, 8),
        },
      };
    case 'Y':
      return {
        ok: true,
        value: {
          cardType: 'Y',
          nameChinese: f(0, 30),
          ...gender(f(30, 2)),
          renewalCount: f(32, 4),
          birth: f(36, 16),
          // English name: chars 1–35 at 52, continuation 36–46 at 220. Each part is padded separately.
          nameLatin: (utf16.decode(block.subarray(52, 122)) + utf16.decode(block.subarray(220, 242)))
            .replaceAll('\u0000', ' ')
            .replace(/\s+/g, ' ')
            .trim(),
          number: f(122, 36),
          validFrom: f(188, 16),
          validTo: f(204, 16),
          nationality: f(242, 6),
          previousNumberLink: f(250, 6),
        },
      };
  }
}

// ---- encoder (simulators, fixtures, tests) ------------------------------------------------------------

function put(block: Uint8Array, offset: number, bytes: number, value: string): void {
  const chars = Array.from(value);
  let o = offset;
  for (const ch of chars) {
    const code = ch.codePointAt(0)!;
    if (code > 0xffff) throw new RangeError('text block fields are UCS-2 (BMP only)');
    if (o + 2 > offset + bytes) throw new RangeError(`field at ${offset} overflows ${bytes} bytes`);
    block[o] = code & 0xff;
    block[o + 1] = code >> 8;
    o += 2;
  }
  for (; o < offset + bytes; o += 2) {
    block[o] = 0x20;
    block[o + 1] = 0;
  }
}

/** Build a 256-byte text block from typed fields (the inverse of parseTextBlock). */
export function encodeTextBlock(card: CardText): Uint8Array {
  const b = new Uint8Array(256);
  put(b, 0, 256, '');
  switch (card.cardType) {
    case ' ':
      put(b, 0, 30, card.name);
      put(b, 30, 2, card.genderCode);
      put(b, 32, 4, card.ethnicityCode);
      put(b, 36, 16, card.birth);
      put(b, 52, 70, card.address);
      put(b, 122, 36, card.number);
      put(b, 158, 30, card.authority);
      put(b, 188, 16, card.validFrom);
      put(b, 204, 16, card.validTo);
      break;
    case 'J':
      put(b, 0, 30, card.name);
      put(b, 30, 2, card.genderCode);
      put(b, 36, 16, card.birth);
      put(b, 52, 70, card.address);
      put(b, 122, 36, card.number);
      put(b, 158, 30, card.authority);
      put(b, 188, 16, card.validFrom);
      put(b, 204, 16, card.validTo);
      put(b, 220, 18, card.travelPermitNumber);
      put(b, 238, 4, card.issueCount);
      put(b, 248, 2, 'J');
      break;
    case 'I':
      put(b, 0, 120, card.nameLatin);
      put(b, 120, 2, card.genderCode);
      put(b, 122, 30, card.number);
      put(b, 152, 6, card.nationality);
      put(b, 158, 30, card.nameChinese);
      put(b, 188, 16, card.validFrom);
      put(b, 204, 16, card.validTo);
      put(b, 220, 16, card.birth);
      put(b, 236, 4, card.cardVersion);
      put(b, 240, 8, card.authorityCode);
      put(b, 248, 2, 'I');
      break;
    case 'Y': {
      const latin = Array.from(card.nameLatin);
      if (latin.length > 46) throw new RangeError('Y card English name is at most 46 characters');
      put(b, 0, 30, card.nameChinese);
      put(b, 30, 2, card.genderCode);
      put(b, 32, 4, card.renewalCount);
      put(b, 36, 16, card.birth);
      put(b, 52, 70, latin.slice(0, 35).join(''));
      put(b, 122, 36, card.number);
      put(b, 188, 16, card.validFrom);
      put(b, 204, 16, card.validTo);
      put(b, 220, 22, latin.slice(35, 46).join(''));
      put(b, 242, 6, card.nationality);
      put(b, 248, 2, 'Y');
      put(b, 250, 6, card.previousNumberLink);
      break;
    }
  }
  return b;
}
