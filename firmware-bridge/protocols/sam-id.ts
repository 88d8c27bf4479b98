// GA/T 467 "SAM" ID card reader protocol (READERS.md §1.2–§1.6, §1.11). Pure codec: no timers, no I/O.
//
//   AA AA AA 96 69 | LEN_HI LEN_LO | body (LEN-1 bytes) | CHK
//   LEN counts the bytes after the length field including CHK; CHK = XOR of LEN_HI..last body byte.
//   request body = CMD PARA DATA…; reply body = SW1 SW2 SW3 DATA…
//
// SamFrameDecoder is a split-safe streaming decoder: feed it any chunks; it skips junk before a preamble,
// guards the length, checks the XOR, and resyncs one byte past a bad frame start. Its buffer is bounded by
// 7 + maxLen bytes.

export const SAM_PREAMBLE = [0xaa, 0xaa, 0xaa, 0x96, 0x69] as const;
/** Largest length field seen in practice is 0x090A (2314, read with a 1024-byte fingerprint). */
export const SAM_DEFAULT_MAX_LEN = 4096;

export const SAM_CMD = {
  reset: [0x10, 0xff],
  status: [0x11, 0xff],
  samId: [0x12, 0xff],
  find: [0x20, 0x01],
  select: [0x20, 0x02],
  readBase: [0x30, 0x01],
  readNewAddress: [0x30, 0x03],
  readManagementNumber: [0x30, 0x05],
  readBaseFingerprint: [0x30, 0x10],
} as const satisfies Record<string, readonly [number, number]>;

export type SamCommandName = keyof typeof SAM_CMD;

/** Typed SW3 statuses (READERS.md §1.4). */
export const SAM_STATUS = {
  0x90: { status: 'ok', meaning: '操作成功 success' },
  0x9f: { status: 'card-found', meaning: '寻找证/卡成功 find card OK' },
  0x10: { status: 'host-checksum-error', meaning: '接收业务终端数据的校验和错 bad checksum in host frame' },
  0x11: { status: 'host-length-error', meaning: '接收业务终端数据的长度错 bad length in host frame' },
  0x21: { status: 'host-command-error', meaning: '接收业务终端命令错误 bad command' },
  0x23: { status: 'unauthorized', meaning: '越权操作 unauthorized operation' },
  0x24: { status: 'unrecognised-error', meaning: '无法识别的错误 unrecognised error' },
  0x31: { status: 'card-auth-sam-failed', meaning: '证/卡认证 SAM 失败 card failed to authenticate the SAM' },
  0x32: { status: 'sam-auth-card-failed', meaning: 'SAM 认证证/卡失败 SAM failed to authenticate the card' },
  0x33: { status: 'verification-error', meaning: '信息验证错误 information verification error' },
  0x40: { status: 'unknown-card-type', meaning: '无法识别的证卡类型 unknown card type' },
  0x41: { status: 'read-failed', meaning: '读证/卡操作失败 read failed (card moved or removed)' },
  0x47: { status: 'random-failed', meaning: '取随机数失败 get-random failed' },
  0x60: { status: 'sam-self-test-failed', meaning: 'SAM 自检失败 SAM self-test failed' },
  0x66: { status: 'sam-not-authorized', meaning: 'SAM 没有经过授权 SAM not authorized' },
  0x80: { status: 'no-card', meaning: '寻找证/卡失败 no card found' },
  0x81: { status: 'select-failed', meaning: '选取证/卡失败 select failed' },
  0x91: { status: 'no-content', meaning: '证/卡中此项无内容 no such content' },
} as const satisfies Record<number, { status: string; meaning: string }>;

export type SamStatus = (typeof SAM_STATUS)[keyof typeof SAM_STATUS]['status'] | 'unknown-status';

export function samStatus(sw3: number): { status: SamStatus; meaning: string } {
  const s = (SAM_STATUS as Record<number, { status: SamStatus; meaning: string }>)[sw3];
  return s ?? { status: 'unknown-status', meaning: `unknown SW3 0x${sw3.toString(16).padStart(2, '0')}` };
}

export function samChecksum(bytes: Uint8Array, from: number, to: number): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i]!;
  return x;
}

/** Build a whole frame around a body (CMD PARA DATA or SW1 SW2 SW3 DATA). */
export function encodeSamFrame(body: ArrayLike<number>): Uint8Array {
  const len = body.length + 1;
  if (len > 0xffff) throw new RangeError('SAM frame body too long');
  const out = new Uint8Array(7 + len);
  out.set(SAM_PREAMBLE, 0);
  out[5] = len >> 8;
  out[6] = len & 0xff;
  out.set(Array.from(body), 7);
  out[out.length - 1] = samChecksum(out, 5, out.length - 1);
  return out;
}

export function encodeSamCommand(cmd: number, para: number, data: ArrayLike<number> = []): Uint8Array {
  return encodeSamFrame([cmd & 0xff, para & 0xff, ...Array.from(data)]);
}

export function samCommand(name: SamCommandName): Uint8Array {
  const [c, p] = SAM_CMD[name];
  return encodeSamCommand(c, p);
}

export function encodeSamReply(sw3: number, data: ArrayLike<number> = [], sw1 = 0, sw2 = 0): Uint8Array {
  const d = data instanceof Uint8Array ? data : Uint8Array.from(Array.from(data));
  const body = new Uint8Array(3 + d.length);
  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  body.set(d, 3);
  return encodeSamFrame(body);
}

// ---- streaming decoder --------------------------------------------------------------------------------

export interface SamRawFrame {
  readonly kind: 'frame';
  /** The bytes between the length field and the checksum. */
  readonly body: Uint8Array;
  /** Whole frame length on the wire. */
  readonly size: number;
}

export type SamDecodeErrorCode = 'E_SAM_JUNK' | 'E_SAM_CHECKSUM' | 'E_SAM_LENGTH';

export interface SamDecodeError {
  readonly kind: 'error';
  readonly code: SamDecodeErrorCode;
  readonly message: string;
  /** Bytes dropped because of this error. */
  readonly dropped: number;
}

export type SamDecoded = SamRawFrame | SamDecodeError;

export interface SamDecoderOptions {
  /** Reject a length field above this (default 4096). */
  readonly maxLen?: number;
  /** Reject a length field below this (default 3: CMD PARA CHK / SW… for replies use 4). */
  readonly minLen?: number;
}

export class SamFrameDecoder {
  private buf: Uint8Array;
  private n = 0;
  private readonly maxLen: number;
  private readonly minLen: number;

  constructor(opts: SamDecoderOptions = {}) {
    this.maxLen = opts.maxLen ?? SAM_DEFAULT_MAX_LEN;
    this.minLen = opts.minLen ?? 3;
    this.buf = new Uint8Array(Math.min(7 + this.maxLen, 8192));
  }

  /** Bytes currently held (a partial frame). Never more than 7 + maxLen. */
  get buffered(): number {
    return this.n;
  }

  /** Drop any partial frame (after a timeout). Returns how many bytes were dropped. */
  reset(): number {
    const d = this.n;
    this.n = 0;
    return d;
  }

  push(chunk: Uint8Array): SamDecoded[] {
    const out: SamDecoded[] = [];
    let i = 0;
    while (i < chunk.length) {
      const room = 7 + this.maxLen - this.n;
      const take = Math.min(room, chunk.length - i);
      this.append(chunk.subarray(i, i + take));
      i += take;
      this.drain(out);
    }
    return out;
  }

  private append(bytes: Uint8Array): void {
    if (this.n + bytes.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.n + bytes.length, this.buf.length * 2));
      next.set(this.buf.subarray(0, this.n));
      this.buf = next;
    }
    this.buf.set(bytes, this.n);
    this.n += bytes.length;
  }

  private consume(k: number): void {
    this.buf.copyWithin(0, k, this.n);
    this.n -= k;
  }

  /** Index of the first possible preamble start (full or a prefix at the end), or n. */
  private findPreamble(): number {
    const b = this.buf;
    for (let s = 0; s < this.n; s++) {
      let k = 0;
      while (k < 5 && s + k < this.n && b[s + k] === SAM_PREAMBLE[k]) k++;
      if (k === 5 || s + k === this.n) return s;
    }
    return this.n;
  }

  private drain(out: SamDecoded[]): void {
    for (;;) {
      const s = this.findPreamble();
      if (s > 0) {
        out.push({
          kind: 'error',
          code: 'E_SAM_JUNK',
          message: `skipped ${s} byte(s) before a preamble`,
          dropped: s,
        });
        this.consume(s);
      }
      if (this.n < 7) return;
      const len = (this.buf[5]! << 8) | this.buf[6]!;
      if (len < this.minLen || len > this.maxLen) {
        out.push({
          kind: 'error',
          code: 'E_SAM_LENGTH',
          message: `length field ${len} outside ${this.minLen}..${this.maxLen}`,
          dropped: 1,
        });
        this.consume(1);
        continue;
      }
      const size = 7 + len;
      if (this.n < size) return;
      const chk = samChecksum(this.buf, 5, size - 1);
      if (chk !== this.buf[size - 1]) {
        out.push({
          kind: 'error',
          code: 'E_SAM_CHECKSUM',
          message: `checksum 0x${this.buf[size - 1]!.toString(16)} != computed 0x${chk.toString(16)} in a ${size}-byte frame`,
          dropped: 1,
        });
        this.consume(1);
        continue;
      }
      out.push({ kind: 'frame', body: this.buf.slice(7, size - 1), size });
      this.consume(size);
    }
  }
}

// ---- typed frames ----------------------------------------------------------------------------------------

export interface SamReply {
  readonly sw1: number;
  readonly sw2: number;
  readonly sw3: number;
  readonly status: SamStatus;
  readonly data: Uint8Array;
}

export interface SamRequest {
  readonly cmd: number;
  readonly para: number;
  readonly data: Uint8Array;
  /** Known command name, if any. */
  readonly name?: SamCommandName;
}

export function toReply(frame: SamRawFrame): SamReply | SamDecodeError {
  const b = frame.body;
  if (b.length < 3) {
    return {
      kind: 'error',
      code: 'E_SAM_LENGTH',
      message: `reply body of ${b.length} bytes has no SW1..SW3`,
      dropped: frame.size,
    };
  }
  return { sw1: b[0]!, sw2: b[1]!, sw3: b[2]!, status: samStatus(b[2]!).status, data: b.subarray(3) };
}

export function toRequest(frame: SamRawFrame): SamRequest | SamDecodeError {
  const b = frame.body;
  if (b.length < 2) {
    return {
      kind: 'error',
      code: 'E_SAM_LENGTH',
      message: `request body of ${b.length} bytes has no CMD/PARA`,
      dropped: frame.size,
    };
  }
  const name = (Object.keys(SAM_CMD) as SamCommandName[]).find(
    (k) => SAM_CMD[k][0] === b[0] && SAM_CMD[k][1] === b[1],
  );
  return { cmd: b[0]!, para: b[1]!, data: b.subarray(2), ...(name !== undefined ? { name } : {}) };
}

// ---- read-base-info payload (30 01 / 30 10) ------------------------------------------------------------

export interface SamCardPayload {
  readonly text: Uint8Array;
  readonly photo: Uint8Array;
  /** Present (possibly empty) for the `30 10` layout; undefined for `30 01`. */
  readonly fingerprint?: Uint8Array;
}

export type SamPayloadError = { readonly code: 'E_SAM_PAYLOAD'; readonly message: string };

/**
 * Split reply data of a read into text, photo and fingerprint by its length fields (never by fixed sizes).
 * `layout`: 'base' (two length fields), 'fingerprint' (three), or 'auto' (whichever adds up exactly).
 */
export function parseCardPayload(
  data: Uint8Array,
  layout: 'base' | 'fingerprint' | 'auto' = 'auto',
): { ok: true; value: SamCardPayload } | { ok: false; error: SamPayloadError } {
  const u16 = (o: number): number => (data[o]! << 8) | data[o + 1]!;
  const tryBase = (): SamCardPayload | undefined => {
    if (data.length < 4) return undefined;
    const t = u16(0);
    const p = u16(2);
    if (4 + t + p !== data.length) return undefined;
    return { text: data.slice(4, 4 + t), photo: data.slice(4 + t, 4 + t + p) };
  };
  const tryFp = (): SamCardPayload | undefined => {
    if (data.length < 6) return undefined;
    const t = u16(0);
    const p = u16(2);
    const f = u16(4);
    if (6 + t + p + f !== data.length) return undefined;
    return {
      text: data.slice(6, 6 + t),
      photo: data.slice(6 + t, 6 + t + p),
      fingerprint: data.slice(6 + t + p),
    };
  };
  const v = layout === 'base' ? tryBase() : layout === 'fingerprint' ? tryFp() : (tryBase() ?? tryFp());
  if (v === undefined) {
    return {
      ok: false,
      error: {
        code: 'E_SAM_PAYLOAD',
        message: `length fields do not add up to ${data.length} data bytes (${layout})`,
      },
    };
  }
  if (v.text.length < 256) {
    return {
      ok: false,
      error: { code: 'E_SAM_PAYLOAD', message: `text block is ${v.text.length} bytes, needs 256` },
    };
  }
  return { ok: true, value: v };
}

/** Build the data part of a `30 01` / `30 10` reply (simulator, fixtures). */
export function encodeCardPayload(text: Uint8Array, photo: Uint8Array, fingerprint?: Uint8Array): Uint8Array {
  const head = fingerprint === undefined ? 4 : 6;
  const out = new Uint8Array(head + text.length + photo.length + (fingerprint?.length ?? 0));
  out[0] = text.length >> 8;
  out[1] = text.length & 0xff;
  out[2] = photo.length >> 8;
  out[3] = photo.length & 0xff;
  if (fingerprint !== undefined) {
    out[4] = fingerprint.length >> 8;
    out[5] = fingerprint.length & 0xff;
  }
  out.set(text, head);
  out.set(photo, head + text.length);
  if (fingerprint !== undefined) out.set(fingerprint, head + text.length + photo.length);
  return out;
}

/**
 * Newest-address reply (`30 03`, SW3 90): the layout is not published (READERS.md Appendix B). Readers seen
 * return UCS-2LE address text, space padded, possibly after a 2-byte length. Best effort: decode the longest
 * UCS-2 run, trimmed. Returns undefined when nothing printable is there.
 */
export function parseNewAddress(data: Uint8Array): string | undefined {
  let d = data;
  if (d.length >= 2 && ((d[0]! << 8) | d[1]!) === d.length - 2) d = d.subarray(2);
  const even = d.subarray(0, d.length - (d.length % 2));
  const s = new TextDecoder('utf-16le').decode(even).replaceAll('\u0000', ' ').trim();
  return /^[\p{L}\p{N}\p{P}\s]+$/u.test(s) && s !== '' ? s : undefined;
}

// ---- SAM ID (12 FF) ------------------------------------------------------------------------------------

/** SAM serial number from the 16 data bytes of the `12 FF` reply, in the HslCommunication format ⚠️. */
export function formatSamId(data: Uint8Array): string | undefined {
  if (data.length < 16) return undefined;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const p1 = dv.getUint16(0, true);
  const p2 = dv.getUint16(2, true);
  const p3 = dv.getUint32(4, true);
  const p4 = dv.getUint32(8, true);
  const p5 = dv.getUint32(12, true);
  const pad = (v: number, n: number): string => String(v).padStart(n, '0');
  return `${pad(p1, 2)}.${pad(p2, 2)}-${p3}-${pad(p4, 9)}-${pad(p5, 9)}`;
}

// ---- USB-HID 64-byte report variant ------------------------------------------------------------------

/** Vendor HID wrapper ⚠️: report[0] = payload length 1..63, payload in 1..63; 0xFF in byte 0 = "send next". */
export const SAM_HID_REPORT = 64;
export const SAM_HID_ACK = 0xff;

export function wrapSamHidReports(frame: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < frame.length; o += 63) {
    const part = frame.subarray(o, Math.min(o + 63, frame.length));
    const r = new Uint8Array(SAM_HID_REPORT);
    r[0] = part.length;
    r.set(part, 1);
    out.push(r);
  }
  return out;
}

export type SamHidUnwrapped =
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  | { readonly kind: 'ack' }
  | { readonly kind: 'error'; readonly code: 'E_SAM_HID_REPORT'; readonly message: string };

/** One input report → payload bytes (feed them to SamFrameDecoder) or an ACK. */
export function unwrapSamHidReport(report: Uint8Array): SamHidUnwrapped {
  if (report.length === 0) return { kind: 'error', code: 'E_SAM_HID_REPORT', message: 'empty report' };
  const n = report[0]!;
  if (n === SAM_HID_ACK) return { kind: 'ack' };
  if (n === 0 || n > 63 || n > report.length - 1) {
    return {
      kind: 'error',
      code: 'E_SAM_HID_REPORT',
      message: `report length byte ${n} invalid for a ${report.length}-byte report`,
    };
  }
  return { kind: 'data', bytes: report.slice(1, 1 + n) };
}
