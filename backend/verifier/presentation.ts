// Verifying one SD-JWT VC presentation for a transaction: issuer trust and signature, validity, disclosures
// against their digests, key binding (nonce, audience, freshness, sd_hash), status list, then the DCQL query.
// The heavy lifting is @sd-jwt/sd-jwt-vc's verify(); the pre-checks here exist to name each failure with its
// own code instead of parsing library error messages.
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { SDJwt } from '@sd-jwt/core';
import { digest } from '@sd-jwt/crypto-nodejs';
import { DcqlPresentationResult, DcqlQuery } from 'dcql';
import type {
  WalletErrorCode,
  WalletProfile,
  WalletVerifiedCredential,
} from '../../kiosk/credentials/wallet/messages.ts';
import { CREDENTIAL_QUERY_ID, pickRequestedClaims } from '../../kiosk/credentials/wallet/dcql.ts';
import type { IssuerTrust } from './trust.ts';
import { verifyJwsSignature } from './trust.ts';
import type { StatusListFetcher } from './status-list.ts';
import { StatusUnavailableError } from './status-list.ts';

export type PresentationResult =
  { ok: true; credential: WalletVerifiedCredential } | { ok: false; code: WalletErrorCode; detail: string };

export interface PresentationContext {
  readonly nonce: string;
  readonly clientId: string;
  readonly profile: WalletProfile;
  readonly dcqlQuery: Record<string, unknown>;
  readonly nowMs: number;
  readonly skewSeconds: number;
  readonly kbMaxAgeSeconds: number;
  readonly trust: IssuerTrust;
  readonly statusList: StatusListFetcher;
  readonly statusFailClosed: boolean;
}

class RevokedError extends Error {}

const hasher = (data: string | ArrayBuffer, alg: string) => digest(data, alg);
const fail = (code: WalletErrorCode, detail: string): PresentationResult => ({ ok: false, code, detail });

export async function verifySdJwtPresentation(
  presentation: string,
  ctx: PresentationContext,
): Promise<PresentationResult> {
  // 1. Decode (library), no trust yet.
  let decoded: Awaited<ReturnType<typeof SDJwt.decodeSDJwt>>;
  try {
    decoded = await SDJwt.decodeSDJwt(presentation, hasher);
  } catch (e) {
    return fail('E_WALLET_RESPONSE_INVALID', `not an SD-JWT: ${(e as Error).message.slice(0, 80)}`);
  }
  const header = (decoded.jwt.header ?? {}) as Record<string, unknown>;
  const payload = (decoded.jwt.payload ?? {}) as Record<string, unknown>;
  const typ = header.typ;
  if (typ !== 'dc+sd-jwt' && typ !== 'vc+sd-jwt')
    return fail('E_WALLET_FORMAT_UNSUPPORTED', `typ ${String(typ)}`);

  // 2. Issuer trust.
  const trust = ctx.trust.resolve(header, payload.iss, ctx.nowMs);
  if (!trust.ok) return fail('E_WALLET_ISSUER_UNTRUSTED', trust.detail);

  // 3. Validity of the credential (named before the library's generic message).
  const now = Math.floor(ctx.nowMs / 1000);
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const exp = num(payload.exp);
  const nbf = num(payload.nbf);
  const iat = num(payload.iat);
  if (exp !== undefined && exp + ctx.skewSeconds < now)
    return fail('E_WALLET_CREDENTIAL_EXPIRED', 'exp passed');
  if ((nbf ?? iat ?? 0) - ctx.skewSeconds > now)
    return fail('E_WALLET_CREDENTIAL_NOT_YET_VALID', 'nbf/iat ahead');

  // 4. Every disclosure must be referenced by a digest the issuer signed (directly or inside a disclosure).
  const referenced = new Set<string>();
  collectDigests(payload, referenced);
  for (const d of decoded.disclosures) collectDigests(d.value, referenced);
  for (const d of decoded.disclosures) {
    if (d._digest === undefined || !referenced.has(d._digest))
      return fail('E_WALLET_DISCLOSURE_TAMPERED', 'a disclosure matches no signed digest');
  }

  // 5. Key binding: present, nonce, audience, freshness (the library checks its signature and sd_hash).
  const kb = decoded.kbJwt;
  if (!kb) return fail('E_WALLET_KB_INVALID', 'no key-binding JWT');
  const kbPayload = (kb.payload ?? {}) as Record<string, unknown>;
  if (kbPayload.nonce !== ctx.nonce) return fail('E_WALLET_NONCE_MISMATCH', 'nonce differs');
  const aud = kbPayload.aud;
  if (!(aud === ctx.clientId || (Array.isArray(aud) && aud.length === 1 && aud[0] === ctx.clientId)))
    return fail('E_WALLET_AUDIENCE_MISMATCH', 'aud is not this verifier');
  const kbIat = num(kbPayload.iat);
  if (kbIat === undefined || kbIat - ctx.skewSeconds > now || kbIat + ctx.kbMaxAgeSeconds < now)
    return fail('E_WALLET_KB_STALE', 'KB-JWT iat outside the window');
  const cnfJwk = (payload.cnf as { jwk?: Record<string, unknown> } | undefined)?.jwk;
  if (!cnfJwk) return fail('E_WALLET_KB_INVALID', 'credential has no cnf.jwk');
  let holderKey: KeyObject;
  try {
    holderKey = createPublicKey({ key: cnfJwk as never, format: 'jwk' });
  } catch {
    return fail('E_WALLET_KB_INVALID', 'cnf.jwk unusable');
  }

  // 6. The library's verification: issuer signature, KB signature + sd_hash, status list.
  let issuerSigOk = true;
  let kbSigOk = true;
  const sdjwt = new SDJwtVcInstance({
    hasher,
    verifier: (data, sig) => {
      const h = JSON.parse(Buffer.from(data.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      const ok = verifyJwsSignature(h.alg, data, sig, trust.value.key);
      if (!ok) issuerSigOk = false;
      return ok;
    },
    statusVerifier: (data, sig) => {
      const [h64, p64] = data.split('.');
      const h = JSON.parse(Buffer.from(h64 ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      const p = JSON.parse(Buffer.from(p64 ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      const t = ctx.trust.resolve(h, p.iss ?? payload.iss, ctx.nowMs);
      return t.ok && verifyJwsSignature(h.alg, data, sig, t.value.key);
    },
    kbVerifier: (data, sig) => {
      const h = JSON.parse(Buffer.from(data.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      const ok = verifyJwsSignature(h.alg, data, sig, holderKey);
      if (!ok) kbSigOk = false;
      return ok;
    },
    statusListFetcher: (uri) => ctx.statusList(uri),
    statusValidator: async (status) => {
      if (status !== 0) throw new RevokedError(`status ${status}`);
    },
  });
  let verified: Awaited<ReturnType<SDJwtVcInstance['verify']>>;
  try {
    verified = await sdjwt.verify(presentation, {
      keyBindingNonce: ctx.nonce,
      currentDate: now,
      skewSeconds: ctx.skewSeconds,
    });
  } catch (e) {
    if (e instanceof RevokedError) return fail('E_WALLET_REVOKED', e.message);
    if (e instanceof StatusUnavailableError) {
      if (ctx.statusFailClosed) return fail('E_WALLET_STATUS_UNAVAILABLE', e.message);
      verified = undefined as never;
    } else if (!issuerSigOk) return fail('E_WALLET_SIGNATURE_INVALID', 'issuer signature does not verify');
    else if (!kbSigOk) return fail('E_WALLET_KB_INVALID', 'KB-JWT not signed by the credential key');
    else {
      const msg = (e as Error).message ?? '';
      if (/status list/i.test(msg)) return fail('E_WALLET_STATUS_UNAVAILABLE', msg.slice(0, 120));
      if (/sd_hash|key binding/i.test(msg)) return fail('E_WALLET_KB_INVALID', msg.slice(0, 120));
      return fail('E_WALLET_RESPONSE_INVALID', msg.slice(0, 120));
    }
  }
  if (!verified) return fail('E_WALLET_STATUS_UNAVAILABLE', 'status unavailable');
  const claims = verified.payload as Record<string, unknown>;
  const vct = typeof claims.vct === 'string' ? claims.vct : '';

  // 7. DCQL: does what was disclosed satisfy the query?
  try {
    const query = DcqlQuery.parse(ctx.dcqlQuery as never);
    const res = DcqlPresentationResult.fromDcqlPresentation(
      {
        [CREDENTIAL_QUERY_ID]: [
          {
            credential_format: 'dc+sd-jwt',
            vct,
            claims: claims as never,
            cryptographic_holder_binding: true,
          },
        ],
      },
      { dcqlQuery: query },
    );
    if (!res.can_be_satisfied)
      return fail('E_WALLET_CLAIMS_MISSING', 'presentation does not satisfy the DCQL query');
  } catch (e) {
    return fail('E_WALLET_CLAIMS_MISSING', `DCQL: ${(e as Error).message.slice(0, 80)}`);
  }

  const credential: WalletVerifiedCredential = {
    format: 'dc+sd-jwt',
    vct,
    issuer: typeof claims.iss === 'string' ? claims.iss : '',
    trustAnchor: trust.value.anchor,
    claims: pickRequestedClaims(ctx.profile, claims),
    ...(nbf !== undefined || iat !== undefined ? { validFrom: (nbf ?? iat)! } : {}),
    ...(exp !== undefined ? { validTo: exp } : {}),
    checks: [
      'issuer-signature',
      'issuer-trusted',
      'validity',
      'disclosures',
      'key-binding',
      'nonce',
      'audience',
      'status',
      'dcql',
    ],
  };
  return { ok: true, credential };
}

function collectDigests(v: unknown, into: Set<string>): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (
        item !== null &&
        typeof item === 'object' &&
        !Array.isArray(item) &&
        typeof (item as Record<string, unknown>)['...'] === 'string'
      )
        into.add((item as Record<string, string>)['...']!);
      collectDigests(item, into);
    }
    return;
  }
  if (v === null || typeof v !== 'object') return;
  for (const [k, val] of Object.entries(v)) {
    if (k === '_sd' && Array.isArray(val)) for (const d of val) if (typeof d === 'string') into.add(d);
    collectDigests(val, into);
  }
}
