// Issuer trust for SD-JWT VCs: a JWK with kid (plus the iss it belongs to) from the trust list, or an x5c chain
// that ends at a trusted CA certificate. Signature checks of JWS compact tokens use node:crypto on the exact
// signing input ("header.payload"), with the algorithm fixed by the key, never by the token alone.
import { X509Certificate, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { VerifierOptions } from './config.ts';

export interface ResolvedIssuerKey {
  readonly key: KeyObject;
  readonly anchor: string;
}

export type TrustResolution = { ok: true; value: ResolvedIssuerKey } | { ok: false; detail: string };

export interface IssuerTrust {
  resolve(header: Readonly<Record<string, unknown>>, iss: unknown, nowMs: number): TrustResolution;
}

export function issuerTrust(
  opts: Pick<VerifierOptions, 'trustedIssuers' | 'trustedCertificates'>,
): IssuerTrust {
  const byKid = new Map<string, { iss: string; key: KeyObject; anchor: string }>();
  for (const t of opts.trustedIssuers) {
    const { kty, crv, x, y } = t.jwk;
    const jwk: Record<string, string> = { kty, crv, x };
    if (y !== undefined) jwk.y = y;
    byKid.set(t.jwk.kid, {
      iss: t.iss,
      key: createPublicKey({ key: jwk, format: 'jwk' }),
      anchor: t.jwk.kid,
    });
  }
  const cas = opts.trustedCertificates.map((pem) => new X509Certificate(pem));
  const chainCache = new Map<string, { value: ResolvedIssuerKey; notAfter: number }>();
  return {
    resolve(header, iss, nowMs) {
      const x5c = header.x5c;
      if (Array.isArray(x5c) && x5c.length > 0) {
        if (cas.length === 0)
          return { ok: false, detail: 'x5c given but no trusted certificates configured' };
        const cached = chainCache.get(x5c.join('.'));
        if (cached && nowMs < cached.notAfter) return { ok: true, value: cached.value };
        let chain: X509Certificate[];
        try {
          chain = x5c.map((c) => new X509Certificate(Buffer.from(String(c), 'base64')));
        } catch {
          return { ok: false, detail: 'x5c is not a certificate chain' };
        }
        for (const c of chain) {
          if (nowMs < Date.parse(c.validFrom) || nowMs > Date.parse(c.validTo))
            return { ok: false, detail: 'certificate in x5c outside its validity' };
        }
        for (let i = 0; i + 1 < chain.length; i++) {
          if (!chain[i]!.checkIssued(chain[i + 1]!) || !chain[i]!.verify(chain[i + 1]!.publicKey))
            return { ok: false, detail: 'x5c chain is broken' };
        }
        const top = chain[chain.length - 1]!;
        const ca = cas.find(
          (a) => a.fingerprint256 === top.fingerprint256 || (top.checkIssued(a) && top.verify(a.publicKey)),
        );
        if (!ca) return { ok: false, detail: 'x5c does not chain to a trusted certificate' };
        const value = { key: chain[0]!.publicKey, anchor: ca.subject.replace(/\n/g, ', ') };
        const notAfter = Math.min(...chain.map((c) => Date.parse(c.validTo)), Date.parse(ca.validTo));
        if (chainCache.size > 1000) chainCache.clear();
        chainCache.set(x5c.join('.'), { value, notAfter });
        return { ok: true, value };
      }
      const kid = header.kid;
      if (typeof kid !== 'string') return { ok: false, detail: 'no kid and no x5c' };
      const t = byKid.get(kid);
      if (!t) return { ok: false, detail: 'kid not on the trust list' };
      if (t.iss !== iss) return { ok: false, detail: 'iss does not belong to this key' };
      return { ok: true, value: { key: t.key, anchor: t.anchor } };
    },
  };
}

const HASH: Readonly<Record<string, string | null>> = {
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  EdDSA: null,
};
const CURVE: Readonly<Record<string, string>> = {
  ES256: 'prime256v1',
  ES384: 'secp384r1',
  ES512: 'secp521r1',
};

/** Verify a compact JWS signature over `signingInput` ("header.payload"). alg must fit the key. */
export function verifyJwsSignature(
  alg: unknown,
  signingInput: string,
  signatureB64u: string,
  key: KeyObject,
): boolean {
  if (typeof alg !== 'string' || !(alg in HASH)) return false;
  const sig = Buffer.from(signatureB64u, 'base64url');
  if (alg === 'EdDSA') {
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return cryptoVerify(null, Buffer.from(signingInput), key, sig);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== CURVE[alg]) return false;
  return cryptoVerify(HASH[alg]!, Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }, sig);
}
