// MRZ reader serial framing (READERS.md §3.3). Pure: no timers — the device layer calls `flush()` when the
// inter-byte timeout expires. Handles:
//   DESKO-style   [SOD] STX line CR line CR [line CR] ETX [EOD]
//   3M-style      SOH len "OU" STX [flag] line CR line CR line CR ETX BCC   (lines padded with '_')
// Up to two bytes after ETX without a line end (BCC, EOD) are dropped silently.
//   plain         line CR line CR … (Honeywell OCR template) — ended by flush() on the inter-byte timeout
// Output lines have '_' and control bytes removed; empty lines are dropped. Buffer bounded by `maxBytes`.

const STX = 0x02;
const ETX = 0x03;
const SOH = 0x01;
const CR = 0x0d;
const LF = 0x0a;

export interface MrzMessage {
  readonly kind: 'mrz';
  readonly lines: readonly string[];
  /** 'etx' (framed) or 'timeout' (flushed). */
  readonly end: 'etx' | 'timeout';
}

export interface MrzFrameError {
  readonly kind: 'error';
  readonly code: 'E_MRZ_OVERFLOW' | 'E_MRZ_BAD_BYTES';
  readonly message: string;
  readonly dropped: number;
}

export type MrzDecoded = MrzMessage | MrzFrameError;

export interface MrzDecoderOptions {
  /** Largest message accepted (default 512 bytes; a TD3 is ~92 with framing). */
  readonly maxBytes?: number;
  /** 3M RTE: one flag byte follows STX. Default false. */
  readonly flagAfterStx?: boolean;
}

export class MrzFrameDecoder {
  private bytes: number[] = [];
  /** Inside STX…ETX. */
  private framed = false;
  private flagPending = false;
  /** After SOH: a vendor header (length, "OU") runs up to STX; its bytes are skipped (at most maxBytes). */
  private header = -1;
  private readonly maxBytes: number;
  private readonly flagAfterStx: boolean;

  constructor(opts: MrzDecoderOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 512;
    this.flagAfterStx = opts.flagAfterStx ?? false;
  }

  get buffered(): number {
    return this.bytes.length;
  }

  push(chunk: Uint8Array): MrzDecoded[] {
    const out: MrzDecoded[] = [];
    for (const b of chunk) {
      if (b === SOH) {
        // 3M header: SOH len "OU" — drop what we had (an unframed partial) and skip up to STX.
        this.dropPartial(out);
        this.framed = false;
        this.header = 0;
        continue;
      }
      if (this.header >= 0 && b !== STX) {
        if (++this.header > this.maxBytes) {
          out.push({
            kind: 'error',
            code: 'E_MRZ_OVERFLOW',
            message: `no STX within ${this.maxBytes} bytes after SOH`,
            dropped: this.header,
          });
          this.header = -1;
        }
        continue;
      }
      if (b === STX) {
        this.header = -1;
        this.dropPartial(out);
        this.framed = true;
        this.flagPending = this.flagAfterStx;
        continue;
      }
      if (b === ETX) {
        if (this.framed) {
          this.emit(out, 'etx');
        }
        this.framed = false;
        continue;
      }
      if (this.flagPending) {
        this.flagPending = false;
        continue;
      }
      if (this.bytes.length >= this.maxBytes) {
        out.push({
          kind: 'error',
          code: 'E_MRZ_OVERFLOW',
          message: `no message end within ${this.maxBytes} bytes`,
          dropped: this.bytes.length,
        });
        this.bytes = [];
        this.framed = false;
      }
      this.bytes.push(b);
    }
    return out;
  }

  /** Inter-byte timeout expired: whatever is buffered is one message (unframed readers). */
  flush(): MrzDecoded[] {
    const out: MrzDecoded[] = [];
    if (this.isTrailer()) this.bytes = [];
    else if (this.bytes.length > 0) this.emit(out, 'timeout');
    this.framed = false;
    this.flagPending = false;
    this.header = -1;
    return out;
  }

  /** One or two bytes after an ETX (BCC, vendor EOD) with no line end: not a message, dropped silently. */
  private isTrailer(): boolean {
    return !this.framed && this.bytes.length <= 2 && !this.bytes.some((x) => x === CR || x === LF);
  }

  private dropPartial(out: MrzDecoded[]): void {
    if (this.bytes.length === 0) return;
    if (this.isTrailer()) {
      this.bytes = [];
      return;
    }
    // Unframed lines followed by a frame start: they were a complete plain message if they hold lines.
    if (!this.framed && this.bytes.some((x) => x === CR || x === LF)) this.emit(out, 'timeout');
    else {
      out.push({
        kind: 'error',
        code: 'E_MRZ_BAD_BYTES',
        message: 'partial message dropped at a new frame start',
        dropped: this.bytes.length,
      });
      this.bytes = [];
    }
  }

  private emit(out: MrzDecoded[], end: 'etx' | 'timeout'): void {
    const text = String.fromCharCode(
      ...this.bytes.filter((x) => x === CR || x === LF || (x >= 0x20 && x < 0x7f)),
    );
    const bad = this.bytes.length - text.length;
    this.bytes = [];
    const lines = text
      .split(/\r\n|\r|\n/)
      .map((l) => l.replace(/[_ ]/g, ''))
      .filter((l) => l !== '');
    if (lines.length === 0) {
      out.push({
        kind: 'error',
        code: 'E_MRZ_BAD_BYTES',
        message: 'message holds no MRZ line',
        dropped: bad + text.length,
      });
      return;
    }
    out.push({ kind: 'mrz', lines, end });
  }
}

/** Build a framed reader message (simulator): STX lines CR… ETX, optionally '_'-padded to the row width. */
export function encodeMrzMessage(
  lines: readonly string[],
  opts: { underscorePad?: boolean; framing?: 'stx' | 'plain' } = {},
): Uint8Array {
  const width = lines.length === 3 ? 30 : 44;
  const body = lines
    .map((l) => (opts.underscorePad ? (l + '_'.repeat(width)).slice(0, Math.max(width, l.length)) : l) + '\r')
    .join('');
  const s = (opts.framing ?? 'stx') === 'stx' ? '\x02' + body + '\x03' : body;
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
