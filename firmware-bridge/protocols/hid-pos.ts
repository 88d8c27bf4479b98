// USB HID POS bar-code scanner reports (usage page 0x8C, READERS.md §4.3). Pure.
// Honeywell-style input report 0x02 (64 bytes with the ID):
//   [0] report ID 0x02 | [1] N valid data bytes | [2..4] AIM id "]Q1" | [5..60] data (first N) |
//   [61] vendor code id | [62] vendor | [63] bit0: decode data continued
// Reassembly: append data[0..N) from each report; emit when the continued bit is 0. Text is UTF-8 when the
// bytes are valid UTF-8 (Chinese QR content survives), else Windows-1252-ish Latin-1.

export const HID_POS_USAGE_PAGE = 0x8c;
export const HID_POS_USAGE_SCANNER = 0x02;
export const HID_POS_REPORT_ID = 0x02;
const DATA_OFFSET = 5;
const DATA_MAX = 56;

export interface ScannedCode {
  readonly kind: 'code';
  readonly text: string;
  readonly bytes: Uint8Array;
  /** AIM identifier like ']Q1', or '' when absent. */
  readonly aim: string;
  readonly symbology: Symbology;
}

export interface ScanDecodeError {
  readonly kind: 'error';
  readonly code: 'E_SCAN_REPORT' | 'E_SCAN_OVERFLOW';
  readonly message: string;
}

export type ScanDecoded = ScannedCode | ScanDecodeError;

export type Symbology =
  | 'qr'
  | 'data-matrix'
  | 'pdf417'
  | 'aztec'
  | 'code128'
  | 'gs1-128'
  | 'code39'
  | 'ean-upc'
  | 'ean-8'
  | 'itf'
  | 'other'
  | 'unknown';

/** AIM (ISO/IEC 15424) identifier → symbology. */
export function symbologyFromAim(aim: string): Symbology {
  if (!/^\][A-Za-z][0-9A-Za-z]$/.test(aim)) return 'unknown';
  const c = aim[1]!;
  const m = aim[2]!;
  switch (c) {
    case 'Q':
      return 'qr';
    case 'd':
      return 'data-matrix';
    case 'L':
      return 'pdf417';
    case 'z':
      return 'aztec';
    case 'C':
      return m === '1' ? 'gs1-128' : 'code128';
    case 'A':
      return 'code39';
    case 'E':
      return m === '4' ? 'ean-8' : 'ean-upc';
    case 'I':
      return 'itf';
    case 'X':
      return 'other';
    default:
      return 'unknown';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

export function decodeScanText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

export class HidPosDecoder {
  private parts: Uint8Array[] = [];
  private total = 0;
  private aim = '';
  private readonly maxBytes: number;

  constructor(opts: { maxBytes?: number } = {}) {
    this.maxBytes = opts.maxBytes ?? 8192;
  }

  get buffered(): number {
    return this.total;
  }

  reset(): void {
    this.parts = [];
    this.total = 0;
    this.aim = '';
  }

  /** One input report (as node-hid delivers it on hidraw: report ID first). */
  push(report: Uint8Array): ScanDecoded[] {
    if (report.length < 3 || report[0] !== HID_POS_REPORT_ID) {
      return [
        {
          kind: 'error',
          code: 'E_SCAN_REPORT',
          message: `not a scanned-data report (id ${report[0] ?? 'none'}, ${report.length} bytes)`,
        },
      ];
    }
    const n = report[1]!;
    if (n > DATA_MAX || DATA_OFFSET + n > report.length) {
      this.reset();
      return [
        {
          kind: 'error',
          code: 'E_SCAN_REPORT',
          message: `byte count ${n} does not fit a ${report.length}-byte report`,
        },
      ];
    }
    if (this.total === 0)
      this.aim = String.fromCharCode(report[2]!, report[3] ?? 0, report[4] ?? 0).replace(/\0/g, '');
    if (this.total + n > this.maxBytes) {
      this.reset();
      return [{ kind: 'error', code: 'E_SCAN_OVERFLOW', message: `scan longer than ${this.maxBytes} bytes` }];
    }
    this.parts.push(report.slice(DATA_OFFSET, DATA_OFFSET + n));
    this.total += n;
    const continued = report.length >= 64 ? (report[63]! & 1) === 1 : false;
    if (continued) return [];
    const bytes = new Uint8Array(this.total);
    let o = 0;
    for (const p of this.parts) {
      bytes.set(p, o);
      o += p.length;
    }
    const aim = /^\][\x21-\x7e]{2}$/.test(this.aim) ? this.aim : '';
    this.reset();
    return [
      {
        kind: 'code',
        bytes,
        text: decodeScanText(bytes),
        aim,
        symbology: aim === '' ? 'unknown' : symbologyFromAim(aim),
      },
    ];
  }
}

/** Build HID POS reports for a scan (simulator, tests). */
export function encodeHidPosReports(bytes: Uint8Array, aim = ']Q1'): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o === 0 || o < bytes.length; o += DATA_MAX) {
    const part = bytes.subarray(o, Math.min(o + DATA_MAX, bytes.length));
    const r = new Uint8Array(64);
    r[0] = HID_POS_REPORT_ID;
    r[1] = part.length;
    for (let i = 0; i < 3; i++) r[2 + i] = aim.charCodeAt(i) || 0;
    r.set(part, DATA_OFFSET);
    r[63] = o + DATA_MAX < bytes.length ? 1 : 0;
    out.push(r);
  }
  return out;
}
