// Base45 (RFC 9285): the QR alphanumeric-mode friendly encoding the EU DCC uses. Pure.
// Decoding is strict: characters outside the alphabet, a dangling single character, and groups whose value
// does not fit their byte count are rejected (RFC 9285 §4.2 requires that), so one text has one meaning.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const n = bytes[i]! * 256 + bytes[i + 1]!;
    const e = Math.floor(n / 2025);
    const rest = n % 2025;
    out += ALPHABET[rest % 45]! + ALPHABET[Math.floor(rest / 45)]! + ALPHABET[e]!;
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1]!;
    out += ALPHABET[n % 45]! + ALPHABET[Math.floor(n / 45)]!;
  }
  return out;
}

/** Returns undefined for any text that is not canonical base45. */
export function base45Decode(text: string): Uint8Array | undefined {
  const len = text.length;
  if (len % 3 === 1) return undefined;
  const out = new Uint8Array(Math.floor(len / 3) * 2 + (len % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < len; i += 3) {
    const c = code(text, i);
    const d = code(text, i + 1);
    if (c < 0 || d < 0) return undefined;
    if (i + 2 < len) {
      const e = code(text, i + 2);
      if (e < 0) return undefined;
      const n = c + d * 45 + e * 2025;
      if (n > 0xffff) return undefined;
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      const n = c + d * 45;
      if (n > 0xff) return undefined;
      out[o++] = n;
    }
  }
  return out;
}

function code(text: string, i: number): number {
  const ch = text.charCodeAt(i);
  return ch < 128 ? LOOKUP[ch]! : -1;
}
