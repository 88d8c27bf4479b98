// Verifying one SD-JWT VC presentation for a transaction: issuer trust and signature, validity, disclosures
// against their digests, key binding (nonce, audience, freshness, sd_hash), status list, then the DCQL query.
// The heavy lifting is @sd-jwt/sd-jwt-vc's verify(); the pre-checks here exist to name each failure with its
// own code instead of parsing library error messages.
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import type { StatusList } from '@sd-jwt/jwt-status-list';
import { SDJwt, SDJwtInstance } from '@sd-jwt/core';
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

// A status list token is verified and decompressed once per fetched token, not once per presentation
// (@sd-jwt/sd-jwt-vc's own status step decompresses the list on every call, which dominates with large lists).
const decodedStatusLists = new Map<
  string,
  { ok: true; list: StatusList; exp?: number } | { ok: false; detail: string }
>();
// The DCQL query of a transaction is one of three per vct set: parse each once.
const parsedQueries = new Map<string, ReturnType<typeof DcqlQuery.parse>>();
function parsedQuery(q: Record<string, unknown>) {
  const key = JSON.stringify(q);
  let parsed = parsedQueries.get(key);
  if (!parsed) {
    parsed = DcqlQuery.parse(q as never);
    DcqlQuery.validate(parsed);
    if (parsedQueries.size > 64) parsedQueries.clear();
    parsedQueries.set(key, parsed);
  }
  return parsed;
}

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

  // 6. The library's verification: issuer signature, time, KB-JWT signature + nonce + sd_hash.
  let issuerSigOk = true;
  let kbSigOk = true;
  const sdjwt = new SDJwtInstance({
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
    kbVerifier: (data, sig) => {
      const h = JSON.parse(Buffer.from(data.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      const ok = verifyJwsSignature(h.alg, data, sig, holderKey);
      if (!ok) kbSigOk = false;
      return ok;
    },
  });
  let verified: Awaited<ReturnType<SDJwtInstance<Record<string, unknown>>['verify']>>;
  try {
    verified = await sdjwt.verify(presentation, {
      keyBindingNonce: ctx.nonce,
      currentDate: now,
      skewSeconds: ctx.skewSeconds,
    });
  } catch (e) {
    if (!issuerSigOk) return fail('E_WALLET_SIGNATURE_INVALID', 'issuer signature does not verify');
    if (!kbSigOk) return fail('E_WALLET_KB_INVALID', 'KB-JWT not signed by the credential key');
    const msg = (e as Error).message ?? '';
    if (/sd_hash|key binding/i.test(msg)) return fail('E_WALLET_KB_INVALID', msg.slice(0, 120));
    return fail('E_WALLET_RESPONSE_INVALID', msg.slice(0, 120));
  }

  // 7. Revocation: Token Status List (draft-ietf-oauth-status-list), parsed by @sd-jwt/jwt-status-list.
  const ref = (payload.status as { status_list?: { idx?: unknown; uri?: unknown } } | undefined)?.status_list;
  if (ref !== undefined) {
    if (typeof ref.uri !== 'string' || !Number.isSafeInteger(ref.idx) || (ref.idx as number) < 0)
      return fail('E_WALLET_RESPONSE_INVALID', 'malformed status reference');
    let token: string;
    try {
      token = await ctx.statusList(ref.uri);
    } catch (e) {
      if (ctx.statusFailClosed)
        return fail('E_WALLET_STATUS_UNAVAILABLE', (e as Error).message.slice(0, 120));
      token = '';
    }
    if (token !== '') {
      const list = statusListFor(token, ref.uri, ctx);
      if (!list.ok) {
        if (ctx.statusFailClosed) return fail('E_WALLET_STATUS_UNAVAILABLE', list.detail);
      } else {
        if (list.exp !== undefined && list.exp + ctx.skewSeconds < now && ctx.statusFailClosed)
          return fail('E_WALLET_STATUS_UNAVAILABLE', 'status list expired');
        let status: number;
        try {
          status = list.list.getStatus(ref.idx as number);
        } catch {
          return fail('E_WALLET_RESPONSE_INVALID', 'status index outside the list');
        }
        if (status !== 0) return fail('E_WALLET_REVOKED', `status ${status}`);
      }
    }
  }
  const claims = verified.payload as Record<string, unknown>;
  const vct = typeof claims.vct === 'string' ? claims.vct : '';

  // 7. DCQL: does what was disclosed satisfy the query?
  try {
    const query = parsedQuery(ctx.dcqlQuery);
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

function statusListFor(token: string, uri: string, ctx: PresentationContext) {
  const known = decodedStatusLists.get(token);
  if (known) return known;
  const result = ((): { ok: true; list: StatusList; exp?: number } | { ok: false; detail: string } => {
    const [h64, p64, sig] = token.split('.');
    if (!h64 || !p64 || !sig) return { ok: false, detail: 'status list is not a JWT' };
    let h: Record<string, unknown>;
    let p: Record<string, unknown>;
    try {
      h = JSON.parse(Buffer.from(h64, 'base64url').toString('utf8')) as Record<string, unknown>;
      p = JSON.parse(Buffer.from(p64, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return { ok: false, detail: 'status list is not a JWT' };
    }
    if (h.typ !== 'statuslist+jwt') return { ok: false, detail: 'status list typ' };
    if (p.sub !== uri) return { ok: false, detail: 'status list sub differs from the uri' };
    const t = ctx.trust.resolve(h, p.iss, ctx.nowMs);
    if (!t.ok) return { ok: false, detail: `status list signer: ${t.detail}` };
    if (!verifyJwsSignature(h.alg, `${h64}.${p64}`, sig, t.value.key))
      return { ok: false, detail: 'status list signature does not verify' };
    try {
      const list = getListFromStatusListJWT(token);
      return typeof p.exp === 'number' ? { ok: true, list, exp: p.exp } : { ok: true, list };
    } catch {
      return { ok: false, detail: 'status list cannot be decoded' };
    }
  })();
  if (decodedStatusLists.size > 64) decodedStatusLists.clear();
  decodedStatusLists.set(token, result);
  return result;
}
