// Bar-code scanner in USB-COM (CDC-ACM) mode: data + suffix (CR, LF or CR LF), optionally prefixed with the
// AIM identifier (scanner setting "transmit AIM ID"). Pure; lines split on bytes before UTF-8 decoding so a
// multi-byte character is never cut. Buffer bounded by `maxBytes`.
import { decodeScanText, symbologyFromAim } from './hid-pos.ts';
import type { ScanDecoded } from './hid-pos.ts';

export interface SerialScanOptions {
  /** Treat a leading "]Xn" as the AIM identifier (default true). */
  readonly aimPrefix?: boolean;
  readonly maxBytes?: number;
}

export class SerialScanDecoder {
  private buf: number[] = [];
  private lastCr = false;
  private readonly aimPrefix: boolean;
  private readonly maxBytes: number;

  constructor(opts: SerialScanOptions = {}) {
    this.aimPrefix = opts.aimPrefix ?? true;
    this.maxBytes = opts.maxBytes ?? 8192;
  }

  get buffered(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): ScanDecoded[] {
    const out: ScanDecoded[] = [];
    for (const b of chunk) {
      if (b === 0x0a && this.lastCr) {
        this.lastCr = false;
        continue;
      }
      this.lastCr = b === 0x0d;
      if (b === 0x0d || b === 0x0a) {
        if (this.buf.length > 0) out.push(this.line());
        continue;
      }
      if (this.buf.length >= this.maxBytes) {
        this.buf = [];
        out.push({
          kind: 'error',
          code: 'E_SCAN_OVERFLOW',
          message: `no line end within ${this.maxBytes} bytes`,
        });
      }
      this.buf.push(b);
    }
    return out;
  }

  private line(): ScanDecoded {
    let bytes = Uint8Array.from(this.buf);
    this.buf = [];
    let aim = '';
    if (
      this.aimPrefix &&
      bytes.length >= 3 &&
      bytes[0] === 0x5d &&
      /^\][A-Za-z][0-9A-Za-z]$/.test(String.fromCharCode(bytes[0], bytes[1]!, bytes[2]!))
    ) {
      aim = String.fromCharCode(bytes[0], bytes[1]!, bytes[2]!);
      bytes = bytes.slice(3);
    }
    return {
      kind: 'code',
      bytes,
      text: decodeScanText(bytes),
      aim,
      symbology: aim === '' ? 'unknown' : symbologyFromAim(aim),
    };
  }
}
