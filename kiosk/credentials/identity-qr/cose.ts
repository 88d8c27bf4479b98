// COSE_Sign1 (RFC 9052 §4.2, §4.4) for the identity QR: decode the structure, build the Sig_structure, sign and
// verify with node:crypto. This is encoding only; the cryptography is Node's (ECDSA P-256 / Ed25519). Pure.
import { createPublicKey, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Decoder, Encoder, Tag } from 'cbor-x';

/** COSE algorithm identifiers (IANA COSE Algorithms registry) this profile accepts. */
export const COSE_ALG = { ES256: -7, EdDSA: -8 } as const;
export type CoseAlgName = keyof typeof COSE_ALG;
const COSE_SIGN1_TAG = 18;
const HDR_ALG = 1;
const HDR_KID = 4;

// Maps stay Maps (integer keys are the norm in COSE and CWT); no cbor-x record extension.
const decoder = new Decoder({ mapsAsObjects: false, useRecords: false, bundleStrings: false } as never);
const encoder = new Encoder({
  useRecords: false,
  mapsAsObjects: false,
  variableMapSize: true,
  tagUint8Array: false,
} as never);

export function cborDecode(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}
export function cborEncode(value: unknown): Uint8Array {
  return encoder.encode(value);
}

export interface CoseSign1 {
  readonly protectedBytes: Uint8Array;
  readonly protectedHeader: ReadonlyMap<unknown, unknown>;
  readonly unprotectedHeader: ReadonlyMap<unknown, unknown>;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
  /** alg from the protected header (RFC 9052: alg must be protected). */
  readonly alg: number | undefined;
  /** kid from the protected header, else the unprotected one. */
  readonly kid: Uint8Array | undefined;
}

export class CoseFormatError extends Error {
  override readonly name = 'CoseFormatError';
}

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;

/** Parse a tagged (18) or untagged COSE_Sign1. Throws CoseFormatError on any structural fault. */
export function decodeCoseSign1(bytes: Uint8Array): CoseSign1 {
  let item: unknown;
  try {
    item = cborDecode(bytes);
  } catch (e) {
    throw new CoseFormatError('not CBOR', { cause: e });
  }
  if (item instanceof Tag) {
    if (item.tag !== COSE_SIGN1_TAG) throw new CoseFormatError(`unexpected CBOR tag ${String(item.tag)}`);
    item = item.value;
  }
  if (!Array.isArray(item) || item.length !== 4)
    throw new CoseFormatError('COSE_Sign1 must be an array of 4');
  const [p, u, payload, signature] = item as unknown[];
  if (!isBytes(p)) throw new CoseFormatError('protected header must be a byte string');
  if (!(u instanceof Map)) throw new CoseFormatError('unprotected header must be a map');
  if (!isBytes(payload))
    throw new CoseFormatError('payload must be a byte string (detached payloads unsupported)');
  if (!isBytes(signature)) throw new CoseFormatError('signature must be a byte string');
  let protectedHeader: Map<unknown, unknown>;
  if (p.length === 0) protectedHeader = new Map();
  else {
    let ph: unknown;
    try {
      ph = cborDecode(p);
    } catch (e) {
      throw new CoseFormatError('protected header is not CBOR', { cause: e });
    }
    if (!(ph instanceof Map)) throw new CoseFormatError('protected header must encode a map');
    protectedHeader = ph;
  }
  const alg = protectedHeader.get(HDR_ALG);
  if (alg !== undefined && typeof alg !== 'number') throw new CoseFormatError('alg must be an integer');
  const kid = protectedHeader.get(HDR_KID) ?? u.get(HDR_KID);
  if (kid !== undefined && !isBytes(kid)) throw new CoseFormatError('kid must be a byte string');
  return {
    protectedBytes: p,
    protectedHeader,
    unprotectedHeader: u,
    payload,
    signature,
    alg,
    kid,
  };
}

/** Sig_structure for COSE_Sign1 (RFC 9052 §4.4): ["Signature1", body_protected, external_aad, payload]. */
export function sigStructure(
  protectedBytes: Uint8Array,
  payload: Uint8Array,
  externalAad: Uint8Array = new Uint8Array(0),
): Uint8Array {
  return cborEncode(['Signature1', protectedBytes, externalAad, payload]);
}

export function coseVerifySignature(msg: CoseSign1, key: KeyObject, externalAad?: Uint8Array): boolean {
  const toBeSigned = sigStructure(msg.protectedBytes, msg.payload, externalAad);
  if (msg.alg === COSE_ALG.ES256) {
    if (key.asymmetricKeyType !== 'ec' || msg.signature.length !== 64) return false;
    return cryptoVerify('sha256', toBeSigned, { key, dsaEncoding: 'ieee-p1363' }, msg.signature);
  }
  if (msg.alg === COSE_ALG.EdDSA) {
    if (key.asymmetricKeyType !== 'ed25519' || msg.signature.length !== 64) return false;
    return cryptoVerify(null, toBeSigned, key, msg.signature);
  }
  return false;
}

/** Build a tagged COSE_Sign1 with alg and kid in the protected header. */
export function coseSign1(payload: Uint8Array, privateKey: KeyObject, kid: Uint8Array): Uint8Array {
  const alg = algForKey(privateKey);
  const protectedBytes = cborEncode(
    new Map<number, unknown>([
      [HDR_ALG, alg],
      [HDR_KID, kid],
    ]),
  );
  const toBeSigned = sigStructure(protectedBytes, payload);
  const signature =
    alg === COSE_ALG.ES256
      ? cryptoSign('sha256', toBeSigned, { key: privateKey, dsaEncoding: 'ieee-p1363' })
      : cryptoSign(null, toBeSigned, privateKey);
  return cborEncode(new Tag([protectedBytes, new Map(), payload, new Uint8Array(signature)], COSE_SIGN1_TAG));
}

export function algForKey(key: KeyObject): number {
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1' && curve !== 'P-256')
      throw new CoseFormatError(`unsupported EC curve ${curve}`);
    return COSE_ALG.ES256;
  }
  if (key.asymmetricKeyType === 'ed25519') return COSE_ALG.EdDSA;
  throw new CoseFormatError(`unsupported key type ${String(key.asymmetricKeyType)}`);
}

/** A public KeyObject from a JWK (P-256 or Ed25519). Throws on anything else. */
export function publicKeyFromJwk(jwk: Readonly<Record<string, unknown>>): KeyObject {
  const { kty, crv, x, y } = jwk;
  const clean: Record<string, unknown> = { kty, crv, x };
  if (y !== undefined) clean.y = y;
  return createPublicKey({ key: clean as never, format: 'jwk' });
}
