// Attendant PIN hashes: `scrypt$N$r$p$<salt b64>$<key b64>`. Pure: the scrypt function itself is passed in
// (kiosk/main and the CLI pass node:crypto's), so this file stays free of I/O and Node imports.

export interface PinHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Uint8Array;
  readonly key: Uint8Array;
}

/** scrypt(password, salt, keylen, {N, r, p}) → derived key; node:crypto's scrypt, promisified, fits. */
export type ScryptFn = (
  password: string,
  salt: Uint8Array,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Uint8Array>;

/** Defaults for new hashes: N 2^15, r 8, p 1 (about 32 MiB, ~100 ms on a kiosk-class CPU). */
export const PIN_SCRYPT = { N: 32768, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;

/** Memory scrypt needs for these parameters, with headroom (node's default maxmem is 32 MiB). */
export function scryptMaxmem(N: number, r: number, p: number): number {
  return 128 * r * (N + p + 2) + 1024 * 1024;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Parses a stored PIN hash; undefined when it is not one (wrong shape, weak parameters, short salt/key). */
export function parsePinHash(s: string): PinHash | undefined {
  const parts = s.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0)) return undefined;
  if (N < 16384 || N > 1 << 22 || (N & (N - 1)) !== 0 || r > 32 || p > 16) return undefined;
  const [saltB64, keyB64] = [parts[4] ?? '', parts[5] ?? ''];
  if (!B64.test(saltB64) || !B64.test(keyB64)) return undefined;
  const salt = fromBase64(saltB64);
  const key = fromBase64(keyB64);
  if (salt.length < 16 || key.length < 32) return undefined;
  return { N, r, p, salt, key };
}

export function formatPinHash(h: PinHash): string {
  return `scrypt$${h.N}$${h.r}$${h.p}$${toBase64(h.salt)}$${toBase64(h.key)}`;
}

/** Makes a new PIN hash with a fresh salt (`randomBytes` passed in, e.g. crypto.getRandomValues). */
export async function makePinHash(
  pin: string,
  scrypt: ScryptFn,
  randomBytes: (n: number) => Uint8Array,
  params: { N: number; r: number; p: number } = PIN_SCRYPT,
): Promise<string> {
  if (!/^[0-9]{4,12}$/.test(pin)) throw new RangeError('a PIN is 4 to 12 digits');
  const salt = randomBytes(PIN_SCRYPT.saltBytes);
  const key = await scrypt(pin, salt, PIN_SCRYPT.keyBytes, {
    ...params,
    maxmem: scryptMaxmem(params.N, params.r, params.p),
  });
  return formatPinHash({ ...params, salt, key });
}

/** Compares in time independent of where the first difference is. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * The `checkPin` the machine needs: true when `pin` matches `pinHash`. With no hash (null) or a malformed
 * one every PIN is refused, so the console cannot be opened by default.
 */
export function pinChecker(pinHash: string | null, scrypt: ScryptFn): (pin: string) => Promise<boolean> {
  const h = pinHash === null ? undefined : parsePinHash(pinHash);
  return async (pin) => {
    if (h === undefined || pin.length === 0 || pin.length > 64) return false;
    const key = await scrypt(pin, h.salt, h.key.length, {
      N: h.N,
      r: h.r,
      p: h.p,
      maxmem: scryptMaxmem(h.N, h.r, h.p),
    });
    return constantTimeEqual(key, h.key);
  };
}
