// Offline verification of the phone-shown identity code (docs/identity-qr.md). Pure: the trust list, the clock
// and the replay cache are passed in. Order matters: size limits before parsing, the signature before any claim
// is believed, and the replay cache is touched only by a code that passed everything else.
import { inflateSync } from 'node:zlib';
import type { KeyObject } from 'node:crypto';
import type { CredentialCheck, IdentityDocument, ReasonCode } from '../../core/types.ts';
import { base45Decode } from './base45.ts';
import {
  COSE_ALG,
  CoseFormatError,
  cborDecode,
  coseVerifySignature,
  decodeCoseSign1,
  publicKeyFromJwk,
} from './cose.ts';
import { CWT, EID_CLAIM, EID_KEYS, pseudonymSource } from './profile.ts';
import type { IdentityQrClaims } from './profile.ts';

export type IdentityQrErrorCode =
  | 'E_IDQR_TOO_LARGE'
  | 'E_IDQR_FORMAT'
  | 'E_IDQR_ALG_UNSUPPORTED'
  | 'E_IDQR_ISSUER_UNTRUSTED'
  | 'E_IDQR_SIGNATURE_INVALID'
  | 'E_IDQR_EXPIRED'
  | 'E_IDQR_NOT_YET_VALID'
  | 'E_IDQR_LIFETIME_TOO_LONG'
  | 'E_IDQR_CLAIMS_INVALID'
  | 'E_IDQR_REPLAYED';

/** The plain reason the kiosk screen shows for each code. */
export const IDQR_REASONS: Readonly<Record<IdentityQrErrorCode, ReasonCode>> = {
  E_IDQR_TOO_LARGE: 'credential-invalid',
  E_IDQR_FORMAT: 'credential-invalid',
  E_IDQR_ALG_UNSUPPORTED: 'credential-invalid',
  E_IDQR_ISSUER_UNTRUSTED: 'credential-untrusted',
  E_IDQR_SIGNATURE_INVALID: 'credential-invalid',
  E_IDQR_EXPIRED: 'credential-expired',
  E_IDQR_NOT_YET_VALID: 'credential-not-yet-valid',
  E_IDQR_LIFETIME_TOO_LONG: 'credential-invalid',
  E_IDQR_CLAIMS_INVALID: 'credential-invalid',
  E_IDQR_REPLAYED: 'credential-replayed',
};

/** Remembers used codes. `useOnce` returns false if the key was already used (atomic check-and-set). */
export interface ReplayCache {
  useOnce(key: string, expiresAtSeconds: number): boolean;
}

/** A trust-list entry prepared for verification (see prepareTrustList). */
export interface TrustedIssuerKey {
  readonly iss: string;
  readonly kid: string;
  readonly name: string;
  readonly key: KeyObject;
}
export type PreparedTrustList = ReadonlyMap<string, TrustedIssuerKey>;

export interface IdentityQrTrustInput {
  readonly iss: string;
  readonly jwk: Readonly<Record<string, unknown>> & { readonly kid: string };
  readonly name?: string;
}

/** Import every JWK once; key = kid. Throws on a key that cannot be imported (config error, not a scan error). */
export function prepareTrustList(entries: readonly IdentityQrTrustInput[]): PreparedTrustList {
  const map = new Map<string, TrustedIssuerKey>();
  for (const e of entries) {
    map.set(e.jwk.kid, { iss: e.iss, kid: e.jwk.kid, name: e.name ?? '', key: publicKeyFromJwk(e.jwk) });
  }
  return map;
}

export interface VerifyIdentityQrOptions {
  readonly trustList: PreparedTrustList;
  /** Current time, epoch milliseconds. */
  readonly now: number;
  readonly replayCache: ReplayCache;
  readonly prefix?: string;
  readonly clockSkewSeconds?: number;
  readonly maxLifetimeSeconds?: number;
  readonly maxTextLength?: number;
  readonly maxInflatedBytes?: number;
}

export type VerifyIdentityQrResult =
  | { readonly ok: true; readonly document: IdentityDocument }
  | {
      readonly ok: false;
      readonly code: IdentityQrErrorCode;
      readonly reason: ReasonCode;
      readonly detail: string;
    };

const fail = (code: IdentityQrErrorCode, detail: string): VerifyIdentityQrResult => ({
  ok: false,
  code,
  reason: IDQR_REASONS[code],
  detail,
});

const td = new TextDecoder('utf-8', { fatal: true });

export function verifyIdentityQr(text: string, opts: VerifyIdentityQrOptions): VerifyIdentityQrResult {
  const prefix = opts.prefix ?? 'EID1:';
  const skew = opts.clockSkewSeconds ?? 10;
  const maxLifetime = opts.maxLifetimeSeconds ?? 60;
  const maxText = opts.maxTextLength ?? 4096;
  const maxInflated = opts.maxInflatedBytes ?? 16384;

  // 1. Size before anything else.
  if (typeof text !== 'string') return fail('E_IDQR_FORMAT', 'not text');
  if (text.length > maxText) return fail('E_IDQR_TOO_LARGE', `text of ${text.length} chars > ${maxText}`);
  const trimmed = text.replace(/[\r\n]+$/, '');
  if (!trimmed.startsWith(prefix)) return fail('E_IDQR_FORMAT', 'wrong prefix');

  // 2. base45 → zlib (bounded) → COSE_Sign1.
  const compressed = base45Decode(trimmed.slice(prefix.length));
  if (!compressed) return fail('E_IDQR_FORMAT', 'not base45');
  if (compressed.length < 2 || compressed[0] !== 0x78) return fail('E_IDQR_FORMAT', 'not a zlib stream');
  let coseBytes: Uint8Array;
  try {
    coseBytes = inflateSync(compressed, { maxOutputLength: maxInflated });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
      return fail('E_IDQR_TOO_LARGE', `inflated payload > ${maxInflated} bytes`);
    return fail('E_IDQR_FORMAT', 'zlib stream is corrupt');
  }
  let msg;
  try {
    msg = decodeCoseSign1(coseBytes);
  } catch (e) {
    return fail('E_IDQR_FORMAT', e instanceof CoseFormatError ? e.message : 'not COSE_Sign1');
  }

  // 3. Algorithm and key.
  if (msg.alg !== COSE_ALG.ES256 && msg.alg !== COSE_ALG.EdDSA)
    return fail('E_IDQR_ALG_UNSUPPORTED', `alg ${String(msg.alg)}`);
  if (!msg.kid) return fail('E_IDQR_ISSUER_UNTRUSTED', 'no kid');
  let kid: string;
  try {
    kid = td.decode(msg.kid);
  } catch {
    return fail('E_IDQR_ISSUER_UNTRUSTED', 'kid is not UTF-8');
  }
  const trusted = opts.trustList.get(kid);
  if (!trusted) return fail('E_IDQR_ISSUER_UNTRUSTED', 'kid not on the trust list');

  // 4. Signature, before any claim is believed.
  if (!coseVerifySignature(msg, trusted.key))
    return fail('E_IDQR_SIGNATURE_INVALID', 'signature does not verify');

  // 5. Claims.
  let claims: unknown;
  try {
    claims = cborDecode(msg.payload);
  } catch {
    return fail('E_IDQR_FORMAT', 'payload is not CBOR');
  }
  if (!(claims instanceof Map)) return fail('E_IDQR_CLAIMS_INVALID', 'payload is not a claims map');
  const iss = claims.get(CWT.iss);
  const sub = claims.get(CWT.sub);
  const exp = claims.get(CWT.exp);
  const iat = claims.get(CWT.iat);
  const cti = claims.get(CWT.cti);
  if (typeof iss !== 'string') return fail('E_IDQR_CLAIMS_INVALID', 'iss missing');
  if (iss !== trusted.iss) return fail('E_IDQR_ISSUER_UNTRUSTED', 'iss does not belong to this key');
  if (typeof sub !== 'string' || sub.length < 8 || sub.length > 128)
    return fail('E_IDQR_CLAIMS_INVALID', 'sub missing');
  if (!Number.isSafeInteger(exp) || !Number.isSafeInteger(iat))
    return fail('E_IDQR_CLAIMS_INVALID', 'iat/exp missing');
  if (!(cti instanceof Uint8Array) || cti.length < 8 || cti.length > 32)
    return fail('E_IDQR_CLAIMS_INVALID', 'cti missing (8–32 bytes)');
  const iatS = iat as number;
  const expS = exp as number;
  const nowS = Math.floor(opts.now / 1000);
  if (expS <= iatS) return fail('E_IDQR_CLAIMS_INVALID', 'exp not after iat');
  if (expS - iatS > maxLifetime)
    return fail('E_IDQR_LIFETIME_TOO_LONG', `lifetime ${expS - iatS} s > ${maxLifetime} s`);
  if (iatS - skew > nowS) return fail('E_IDQR_NOT_YET_VALID', `iat ${iatS - nowS} s in the future`);
  if (expS + skew < nowS) return fail('E_IDQR_EXPIRED', `expired ${nowS - expS} s ago`);
  const eid = parseEid(claims.get(EID_CLAIM));
  if (typeof eid === 'string') return fail('E_IDQR_CLAIMS_INVALID', eid);

  // 6. Single use, last: only a code that passed everything else consumes its slot.
  const replayKey = `${iss}#${Buffer.from(cti).toString('hex')}`;
  if (!opts.replayCache.useOnce(replayKey, expS + skew)) return fail('E_IDQR_REPLAYED', 'code already used');

  const checks: CredentialCheck[] = [
    { name: 'identity-qr.signature', ok: true, detail: `kid ${kid}` },
    { name: 'identity-qr.issuer-trusted', ok: true, detail: iss },
    { name: 'validity.window', ok: true, detail: `iat ${iatS} exp ${expS} skew ${skew}` },
    { name: 'identity-qr.single-use', ok: true },
  ];
  const extra: Record<string, unknown> = {
    sub,
    maskedDocumentNumber: eid.maskedDocumentNumber,
    expiresAt: expS * 1000,
  };
  if (eid.documentKind !== undefined) extra.documentKind = eid.documentKind;
  if (eid.portraitDigest !== undefined)
    extra.portraitDigest = Buffer.from(eid.portraitDigest).toString('hex');
  if (eid.ageOver18 !== undefined) extra.age_over_18 = eid.ageOver18;
  const doc: IdentityDocument = {
    source: 'identity-qr',
    documentType: 'identity-qr',
    documentNumber: pseudonymSource(iss, sub),
    name: eid.name,
    ...(eid.nameLatin !== undefined ? { nameLatin: eid.nameLatin } : {}),
    ...(eid.sex !== undefined ? { sex: eid.sex } : {}),
    ...(eid.birthDate !== undefined ? { birthDate: eid.birthDate } : {}),
    ...(eid.nationality !== undefined ? { nationality: eid.nationality } : {}),
    issuer: trusted.name || iss,
    checks,
    claims: extra,
    trustAnchor: kid,
  };
  return { ok: true, document: doc };
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function parseEid(v: unknown): IdentityQrClaims | string {
  if (!(v instanceof Map)) return 'eid claim missing';
  const get = (k: string) => v.get(k);
  const name = get(EID_KEYS.name);
  const dn = get(EID_KEYS.maskedDocumentNumber);
  if (typeof name !== 'string' || name.length === 0 || name.length > 128) return 'eid.n (name) missing';
  if (typeof dn !== 'string' || dn.length === 0 || dn.length > 64) return 'eid.dn (masked number) missing';
  if (!dn.includes('*')) return 'eid.dn must be masked';
  const out: { -readonly [K in keyof IdentityQrClaims]: IdentityQrClaims[K] } = {
    name,
    maskedDocumentNumber: dn,
  };
  const nl = get(EID_KEYS.nameLatin);
  if (nl !== undefined) {
    if (typeof nl !== 'string' || nl.length > 128) return 'eid.nl invalid';
    out.nameLatin = nl;
  }
  const b = get(EID_KEYS.birthDate);
  if (b !== undefined) {
    if (typeof b !== 'string' || !DATE.test(b)) return 'eid.b must be YYYY-MM-DD';
    out.birthDate = b;
  }
  const nat = get(EID_KEYS.nationality);
  if (nat !== undefined) {
    if (typeof nat !== 'string' || !/^[A-Z]{3}$/.test(nat)) return 'eid.nat must be ISO alpha-3';
    out.nationality = nat;
  }
  const sx = get(EID_KEYS.sex);
  if (sx !== undefined) {
    if (sx !== 'M' && sx !== 'F' && sx !== 'X') return 'eid.sx must be M, F or X';
    out.sex = sx;
  }
  const dt = get(EID_KEYS.documentKind);
  if (dt !== undefined) {
    if (typeof dt !== 'string' || dt.length > 64) return 'eid.dt invalid';
    out.documentKind = dt;
  }
  const pd = get(EID_KEYS.portraitDigest);
  if (pd !== undefined) {
    if (!(pd instanceof Uint8Array) || pd.length !== 32) return 'eid.pd must be 32 bytes';
    out.portraitDigest = pd;
  }
  const a18 = get(EID_KEYS.ageOver18);
  if (a18 !== undefined) {
    if (typeof a18 !== 'boolean') return 'eid.a18 must be a boolean';
    out.ageOver18 = a18;
  }
  return out;
}

/** A replay cache in memory (tests, the CLI's one-shot verify). Production uses kiosk/wallet/replay-cache.ts. */
export function memoryReplayCache(now: () => number = Date.now): ReplayCache & { size(): number } {
  const used = new Map<string, number>();
  let lastPrune = 0;
  return {
    useOnce(key, exp) {
      const t = Math.floor(now() / 1000);
      if (t !== lastPrune) {
        lastPrune = t;
        for (const [k, e] of used) if (e < t) used.delete(k);
      }
      if (used.has(key)) return false;
      used.set(key, exp);
      return true;
    },
    size: () => used.size,
  };
}
