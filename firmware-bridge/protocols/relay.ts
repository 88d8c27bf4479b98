// Gate relay boards (READERS.md §6.1, §6.2). Pure.
//   LCUS (CH340 serial, 9600 8N1): A0 ch op sum, sum = (A0 + ch + op) & 0xFF; op 01 on, 00 off.
//   dcttech HID (16C0:05DF): feature report 0x00 [00, cmd, relay, 0×6]; cmd FF on, FD off, FE all on, FC all off;
//   state: get feature report 0x01 (9 bytes), relay bitmask at byte 7.

export function lcusCommand(channel: number, on: boolean): Uint8Array {
  if (!Number.isInteger(channel) || channel < 1 || channel > 8) throw new RangeError('LCUS channel is 1..8');
  const op = on ? 1 : 0;
  return Uint8Array.of(0xa0, channel, op, (0xa0 + channel + op) & 0xff);
}

export interface LcusFrame {
  readonly kind: 'set';
  readonly channel: number;
  readonly on: boolean;
}

export interface RelayDecodeError {
  readonly kind: 'error';
  readonly code: 'E_RELAY_FRAME';
  readonly message: string;
}

/** Streaming LCUS command decoder (simulator side). Resyncs on A0; bounded to 4 bytes. */
export class LcusDecoder {
  private buf: number[] = [];

  push(chunk: Uint8Array): (LcusFrame | RelayDecodeError)[] {
    const out: (LcusFrame | RelayDecodeError)[] = [];
    for (const b of chunk) {
      if (this.buf.length === 0 && b !== 0xa0) {
        out.push({ kind: 'error', code: 'E_RELAY_FRAME', message: `junk byte 0x${b.toString(16)}` });
        continue;
      }
      this.buf.push(b);
      if (this.buf.length < 4) continue;
      const [a, ch, op, sum] = this.buf as [number, number, number, number];
      this.buf = [];
      if (((a + ch + op) & 0xff) !== sum || ch < 1 || ch > 8 || op > 1) {
        out.push({ kind: 'error', code: 'E_RELAY_FRAME', message: 'bad LCUS frame' });
        continue;
      }
      out.push({ kind: 'set', channel: ch, on: op === 1 });
    }
    return out;
  }
}

export const DCTTECH_ON = 0xff;
export const DCTTECH_OFF = 0xfd;
export const DCTTECH_ALL_ON = 0xfe;
export const DCTTECH_ALL_OFF = 0xfc;

/** The 9-byte feature report (report ID 0 first) that switches one relay. */
export function dcttechCommand(channel: number, on: boolean): Uint8Array {
  if (!Number.isInteger(channel) || channel < 1 || channel > 8) throw new RangeError('dcttech relay is 1..8');
  return Uint8Array.of(0x00, on ? DCTTECH_ON : DCTTECH_OFF, channel, 0, 0, 0, 0, 0, 0);
}

export function dcttechAllOff(): Uint8Array {
  return Uint8Array.of(0x00, DCTTECH_ALL_OFF, 0, 0, 0, 0, 0, 0, 0);
}

/** Parse the state feature report (ID 0x01): name (bytes 1..5) and the relay bitmask (byte 7). */
export function parseDcttechState(report: Uint8Array): { name: string; mask: number } | RelayDecodeError {
  if (report.length < 8)
    return { kind: 'error', code: 'E_RELAY_FRAME', message: `state report has ${report.length} bytes` };
  const name = String.fromCharCode(...report.subarray(1, 6)).replace(/\0/g, '');
  return { name, mask: report[7]! };
}
