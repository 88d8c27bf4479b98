// The COSE/CWT layer against public third-party vectors (tests/fixtures/wallet/cose-vectors.ts cites them).
import { describe, expect, it } from 'vitest';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import {
  cborDecode,
  coseVerifySignature,
  decodeCoseSign1,
  publicKeyFromJwk,
  sigStructure,
} from '../../../kiosk/credentials/identity-qr/cose.ts';
import { coseSign1 } from '../../../kiosk/credentials/identity-qr/cose.ts';
import {
  COSE_WG_KEY_11,
  COSE_WG_SIGN_FAIL_02,
  COSE_WG_SIGN_PASS_02,
  RFC8392_A2_3_COSE_KEY,
  RFC8392_A3_CLAIMS,
  RFC8392_A3_SIGNED_CWT,
} from '../../fixtures/wallet/cose-vectors.ts';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** RFC 8392 A.2.3 COSE_Key → JWK (EC2: -1 crv, -2 x, -3 y, -4 d). */
function rfc8392Jwk(withD: boolean) {
  const k = cborDecode(hex(RFC8392_A2_3_COSE_KEY)) as Map<number, unknown>;
  expect(k.get(1)).toBe(2); // kty EC2
  expect(k.get(-1)).toBe(1); // crv P-256
  const jwk: Record<string, string> = {
    kty: 'EC',
    crv: 'P-256',
    x: b64u(k.get(-2) as Uint8Array),
    y: b64u(k.get(-3) as Uint8Array),
  };
  if (withD) jwk.d = b64u(k.get(-4) as Uint8Array);
  return { jwk, kid: Buffer.from(k.get(2) as Uint8Array).toString('utf8') };
}

describe('RFC 8392 A.3 signed CWT', () => {
  it('decodes, finds the kid in the unprotected header and verifies with the A.2.3 key', () => {
    const msg = decodeCoseSign1(hex(RFC8392_A3_SIGNED_CWT));
    const { jwk, kid } = rfc8392Jwk(false);
    expect(kid).toBe('AsymmetricECDSA256');
    expect(Buffer.from(msg.kid!).toString('utf8')).toBe(kid);
    expect(msg.alg).toBe(-7);
    expect(coseVerifySignature(msg, publicKeyFromJwk(jwk))).toBe(true);
  });

  it('yields exactly the claims the RFC shows', () => {
    const msg = decodeCoseSign1(hex(RFC8392_A3_SIGNED_CWT));
    const c = cborDecode(msg.payload) as Map<number, unknown>;
    expect(c.get(1)).toBe(RFC8392_A3_CLAIMS.iss);
    expect(c.get(2)).toBe(RFC8392_A3_CLAIMS.sub);
    expect(c.get(3)).toBe(RFC8392_A3_CLAIMS.aud);
    expect(c.get(4)).toBe(RFC8392_A3_CLAIMS.exp);
    expect(c.get(5)).toBe(RFC8392_A3_CLAIMS.nbf);
    expect(c.get(6)).toBe(RFC8392_A3_CLAIMS.iat);
    expect(Buffer.from(c.get(7) as Uint8Array).toString('hex')).toBe(RFC8392_A3_CLAIMS.cti);
  });

  it('rejects the vector after one bit of the payload or signature flips', () => {
    const { jwk } = rfc8392Jwk(false);
    const key = publicKeyFromJwk(jwk);
    const good = hex(RFC8392_A3_SIGNED_CWT);
    for (const offset of [30, good.length - 10]) {
      const bad = good.slice();
      bad[offset]! ^= 0x01;
      let verified = false;
      try {
        verified = coseVerifySignature(decodeCoseSign1(bad), key);
      } catch {
        verified = false;
      }
      expect(verified).toBe(false);
    }
  });

  it('our signer, given the RFC private key, produces something the RFC public key verifies', () => {
    const { jwk } = rfc8392Jwk(true);
    const priv = createPrivateKey({ key: jwk, format: 'jwk' });
    const msg = decodeCoseSign1(
      coseSign1(decodeCoseSign1(hex(RFC8392_A3_SIGNED_CWT)).payload, priv, hex('01')),
    );
    expect(coseVerifySignature(msg, createPublicKey(priv))).toBe(true);
  });
});

describe('cose-wg/Examples sign1-tests', () => {
  it('sign-pass-02: our Sig_structure equals the published ToBeSign bytes and the signature verifies', () => {
    const msg = decodeCoseSign1(hex(COSE_WG_SIGN_PASS_02.cbor));
    const tbs = sigStructure(msg.protectedBytes, msg.payload, hex(COSE_WG_SIGN_PASS_02.external));
    expect(Buffer.from(tbs).toString('hex').toUpperCase()).toBe(COSE_WG_SIGN_PASS_02.toBeSign);
    expect(
      coseVerifySignature(msg, publicKeyFromJwk(COSE_WG_KEY_11), hex(COSE_WG_SIGN_PASS_02.external)),
    ).toBe(true);
    // Without the external AAD the same message must not verify.
    expect(coseVerifySignature(msg, publicKeyFromJwk(COSE_WG_KEY_11))).toBe(false);
  });

  it('sign-fail-02: the altered message does not verify', () => {
    const msg = decodeCoseSign1(hex(COSE_WG_SIGN_FAIL_02.cbor));
    expect(coseVerifySignature(msg, publicKeyFromJwk(COSE_WG_KEY_11))).toBe(false);
  });
});
