// Cryptographic helpers of the audit chain, all from node:crypto: SHA-256, Ed25519, HMAC-SHA256, and the
// sealed box (X25519 ephemeral-static + HKDF-SHA256 + AES-256-GCM with the context bound as AAD).
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  createCipheriv,
  createDecipheriv,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  sign as edSign,
  verify as edVerify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { KioskError } from '../shared/errors.ts';
import { canonicalBytes } from './canonical.ts';

export const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
export const fromB64u = (s: string): Buffer => Buffer.from(s, 'base64url');

export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

// ---- Ed25519 ---------------------------------------------------------------------------------------------

/** An Ed25519 public key from its raw 32 bytes in base64url. Throws E_AUDIT_KEY_INVALID. */
export function ed25519PublicFromRaw(x: string): KeyObject {
  if (!/^[A-Za-z0-9_-]{43}$/.test(x)) throw new KioskError('E_AUDIT_KEY_INVALID', 'not a raw Ed25519 key');
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  } catch (cause) {
    throw new KioskError('E_AUDIT_KEY_INVALID', 'not a raw Ed25519 key', { cause });
  }
}

/** The raw 32-byte public key (base64url) of an Ed25519 or X25519 key (private or public). */
export function rawPublic(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new KioskError('E_AUDIT_KEY_INVALID', 'not an OKP key');
  return jwk.x;
}

export function ed25519Sign(privateKey: KeyObject, data: Uint8Array): Buffer {
  return edSign(null, data, privateKey);
}

export function ed25519Verify(publicKey: KeyObject, data: Uint8Array, sig: Uint8Array): boolean {
  if (sig.length !== 64) return false;
  try {
    return edVerify(null, data, publicKey, sig);
  } catch {
    return false;
  }
}

// ---- X25519 sealed box -----------------------------------------------------------------------------------

export const SEAL_ALG = 'X25519-HKDF-SHA256-A256GCM';
const SEAL_INFO = Buffer.from('eid-kiosk seal v1', 'utf8');

/** A sealed personal-data payload as it travels and is stored (all byte fields base64url). */
export interface SealedBox {
  readonly v: 1;
  readonly alg: typeof SEAL_ALG;
  /** the sender's ephemeral X25519 public key (raw) */
  readonly epk: string;
  /** the recipient's X25519 public key (raw): says which backend key opens it */
  readonly rpk: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

export function x25519PublicFromRaw(x: string): KeyObject {
  if (!/^[A-Za-z0-9_-]{43}$/.test(x)) throw new KioskError('E_AUDIT_KEY_INVALID', 'not a raw X25519 key');
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' });
  } catch (cause) {
    throw new KioskError('E_AUDIT_KEY_INVALID', 'not a raw X25519 key', { cause });
  }
}

export function generateX25519(): { privateKey: KeyObject; publicKey: string } {
  const { privateKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: rawPublic(privateKey) };
}

export function x25519PrivateFromPem(pem: string): KeyObject {
  try {
    const k = createPrivateKey(pem);
    if (k.asymmetricKeyType !== 'x25519') throw new Error(`expected x25519, got ${k.asymmetricKeyType}`);
    return k;
  } catch (cause) {
    throw new KioskError('E_AUDIT_KEY_INVALID', 'not an X25519 private key (PKCS#8 PEM)', { cause });
  }
}

function sealKey(shared: Buffer, epk: string, rpk: string): Buffer {
  const salt = Buffer.concat([fromB64u(epk), fromB64u(rpk)]);
  return Buffer.from(hkdfSync('sha256', shared, salt, SEAL_INFO, 32));
}

/**
 * Seal `plaintext` to the recipient's X25519 public key. `context` (any canonical value: terminal, seq,
 * event type) is bound as AES-GCM additional data, so a box moved to another event does not open.
 */
export function seal(recipientPublicKey: string, plaintext: Uint8Array, context: unknown): SealedBox {
  const rpkKey = x25519PublicFromRaw(recipientPublicKey);
  const eph = generateKeyPairSync('x25519');
  const epk = rawPublic(eph.privateKey);
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: rpkKey });
  const key = sealKey(shared, epk, recipientPublicKey);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(canonicalBytes(context));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  key.fill(0);
  shared.fill(0);
  return { v: 1, alg: SEAL_ALG, epk, rpk: recipientPublicKey, iv: b64u(iv), ct: b64u(ct), tag: b64u(tag) };
}

/** Open a sealed box with the recipient's private key. Throws E_AUDIT_UNSEAL_FAILED. */
export function unseal(recipientPrivateKey: KeyObject, box: SealedBox, context: unknown): Buffer {
  try {
    if (box.v !== 1 || box.alg !== SEAL_ALG) throw new Error('unknown sealed-box version');
    if (box.rpk !== rawPublic(recipientPrivateKey)) throw new Error('sealed to another key');
    const shared = diffieHellman({
      privateKey: recipientPrivateKey,
      publicKey: x25519PublicFromRaw(box.epk),
    });
    const key = sealKey(shared, box.epk, box.rpk);
    const decipher = createDecipheriv('aes-256-gcm', key, fromB64u(box.iv));
    decipher.setAAD(canonicalBytes(context));
    decipher.setAuthTag(fromB64u(box.tag));
    const pt = Buffer.concat([decipher.update(fromB64u(box.ct)), decipher.final()]);
    key.fill(0);
    shared.fill(0);
    return pt;
  } catch (cause) {
    throw new KioskError('E_AUDIT_UNSEAL_FAILED', 'the sealed payload does not open with this key/context', {
      cause,
    });
  }
}
