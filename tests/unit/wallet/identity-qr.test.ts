import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { base45Decode, base45Encode } from '../../../kiosk/credentials/identity-qr/base45.ts';
import { cborEncode, coseSign1 } from '../../../kiosk/credentials/identity-qr/cose.ts';
import { identityQrClaimsMap, wrapCose } from '../../../kiosk/credentials/identity-qr/issue.ts';
import { pseudonymSource } from '../../../kiosk/credentials/identity-qr/profile.ts';
import {
  memoryReplayCache,
  prepareTrustList,
  verifyIdentityQr,
} from '../../../kiosk/credentials/identity-qr/verify.ts';
import { issueSample, makeIssuer, sampleInput } from '../../fixtures/wallet/identity-qr-keys.ts';

const T0 = 1_795_000_000; // seconds
const at = (s: number) => s * 1000;

describe('base45 (RFC 9285 §4.3 examples)', () => {
  const cases: [string, string][] = [
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
  ];
  it.each(cases)('%s ↔ %s', (plain, enc) => {
    expect(base45Encode(new TextEncoder().encode(plain))).toBe(enc);
    expect(new TextDecoder().decode(base45Decode(enc))).toBe(plain);
  });
  it('rejects non-canonical input', () => {
    expect(base45Decode('GGW')).toBeUndefined(); // RFC 9285 §4.2: 65535 < value
    expect(base45Decode('a')).toBeUndefined();
    expect(base45Decode('AB')).toBeUndefined(); // 10 + 11·45 = 505 > 255 for a final pair
    expect(base45Decode('U5')).toEqual(new Uint8Array([255])); // 30 + 5·45 = 255
    expect(base45Decode('ab!')).toBeUndefined();
    expect(base45Decode('ABCD')).toBeUndefined();
  });
  it('round-trips random bytes of every length 0..64', () => {
    for (let n = 0; n <= 64; n++) {
      const b = new Uint8Array(n).map((_, i) => (i * 37 + n * 11) & 0xff);
      expect(base45Decode(base45Encode(b))).toEqual(b);
    }
  });
});

describe('verifyIdentityQr', () => {
  for (const kind of ['ES256', 'EdDSA'] as const) {
    it(`accepts a fresh ${kind} code once, then refuses it as replayed`, () => {
      const issuer = makeIssuer(kind);
      const trustList = prepareTrustList([issuer.trust]);
      const replayCache = memoryReplayCache(() => at(T0));
      const text = issueSample(issuer, T0);
      expect(text.startsWith('EID1:')).toBe(true);
      const r = verifyIdentityQr(text, { trustList, now: at(T0 + 5), replayCache });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const d = r.document;
      expect(d.source).toBe('identity-qr');
      expect(d.documentType).toBe('identity-qr');
      expect(d.name).toBe('张三');
      expect(d.birthDate).toBe('1949-12-31');
      expect(d.nationality).toBe('CHN');
      expect(d.trustAnchor).toBe(issuer.kid);
      expect(d.documentNumber).toBe(pseudonymSource(issuer.iss, sampleInput(issuer, T0).sub));
      expect(d.documentNumber).not.toContain('11010519491231002X');
      expect(d.claims?.maskedDocumentNumber).toBe('1101**********002X');
      expect(d.checks.every((c) => c.ok)).toBe(true);
      const again = verifyIdentityQr(text, { trustList, now: at(T0 + 6), replayCache });
      expect(again).toMatchObject({ ok: false, code: 'E_IDQR_REPLAYED', reason: 'credential-replayed' });
    });
  }

  const issuer = makeIssuer('ES256');
  const trustList = prepareTrustList([issuer.trust]);
  const opts = (now = at(T0 + 1)) => ({ trustList, now, replayCache: memoryReplayCache(() => now) });

  it('applies the validity window with the clock skew', () => {
    const text = issueSample(issuer, T0);
    expect(verifyIdentityQr(text, opts(at(T0 + 60 + 10))).ok).toBe(true); // exp + skew
    expect(verifyIdentityQr(text, opts(at(T0 + 60 + 11)))).toMatchObject({
      code: 'E_IDQR_EXPIRED',
      reason: 'credential-expired',
    });
    expect(verifyIdentityQr(text, opts(at(T0 - 10))).ok).toBe(true);
    expect(verifyIdentityQr(text, opts(at(T0 - 11)))).toMatchObject({
      code: 'E_IDQR_NOT_YET_VALID',
      reason: 'credential-not-yet-valid',
    });
    expect(verifyIdentityQr(text, { ...opts(at(T0 + 75)), clockSkewSeconds: 30 }).ok).toBe(true);
  });

  it('refuses a lifetime longer than 60 s', () => {
    const text = issueSample(issuer, T0, { lifetimeSeconds: 3600 });
    expect(verifyIdentityQr(text, opts())).toMatchObject({ code: 'E_IDQR_LIFETIME_TOO_LONG' });
  });

  it('refuses an unknown kid and a known kid with another issuer name', () => {
    const stranger = makeIssuer('ES256', 'https://evil.test', 'other-kid');
    expect(verifyIdentityQr(issueSample(stranger, T0), opts())).toMatchObject({
      code: 'E_IDQR_ISSUER_UNTRUSTED',
      reason: 'credential-untrusted',
    });
    // Same kid as the trusted issuer but signed by another key: signature fails.
    const impostor = { ...makeIssuer('ES256', issuer.iss, issuer.kid) };
    expect(verifyIdentityQr(issueSample(impostor, T0), opts())).toMatchObject({
      code: 'E_IDQR_SIGNATURE_INVALID',
    });
    // Trusted key, but claims to be another issuer.
    expect(verifyIdentityQr(issueSample(issuer, T0, { iss: 'https/other' }), opts())).toMatchObject({
      code: 'E_IDQR_ISSUER_UNTRUSTED',
    });
  });

  it('refuses a code whose signed payload was altered after signing', () => {
    const input = sampleInput(issuer, T0);
    const payload = cborEncode(identityQrClaimsMap(input));
    const cose = coseSign1(payload, issuer.privateKey, new TextEncoder().encode(issuer.kid));
    // Flip a byte inside the payload region (after the protected header) and rewrap.
    const idx = cose.indexOf(0xe5); // first byte of '张' in UTF-8
    expect(idx).toBeGreaterThan(0);
    const bad = Uint8Array.from(cose);
    bad[idx + 1]! ^= 0x01;
    expect(verifyIdentityQr(wrapCose(bad), opts())).toMatchObject({ code: 'E_IDQR_SIGNATURE_INVALID' });
    expect(verifyIdentityQr(wrapCose(cose), opts()).ok).toBe(true);
  });

  it('checks sizes before parsing: long text and zlib bombs', () => {
    expect(verifyIdentityQr('EID1:' + 'A'.repeat(5000), opts())).toMatchObject({ code: 'E_IDQR_TOO_LARGE' });
    const bomb = 'EID1:' + base45Encode(deflateSync(new Uint8Array(1_000_000)));
    expect(bomb.length).toBeLessThan(4096);
    expect(verifyIdentityQr(bomb, opts())).toMatchObject({ code: 'E_IDQR_TOO_LARGE' });
  });

  it('gives E_IDQR_FORMAT for garbage at every layer', () => {
    const o = opts();
    expect(verifyIdentityQr('HC1:ABC', o)).toMatchObject({ code: 'E_IDQR_FORMAT' });
    expect(verifyIdentityQr('EID1:abc', o)).toMatchObject({ code: 'E_IDQR_FORMAT' });
    expect(verifyIdentityQr('EID1:' + base45Encode(new Uint8Array([1, 2, 3])), o)).toMatchObject({
      code: 'E_IDQR_FORMAT',
    });
    expect(
      verifyIdentityQr('EID1:' + base45Encode(deflateSync(new Uint8Array([0xff, 0x00]))), o),
    ).toMatchObject({
      code: 'E_IDQR_FORMAT',
    });
    expect(verifyIdentityQr(wrapCose(cborEncode([1, 2, 3])), o)).toMatchObject({ code: 'E_IDQR_FORMAT' });
    // A truncated zlib stream
    const good = issueSample(issuer, T0);
    expect(verifyIdentityQr(good.slice(0, good.length - 30), o).ok).toBe(false);
  });

  it('refuses a code that carries an unmasked document number', () => {
    const input = sampleInput(issuer, T0);
    const text = issueSample(issuer, T0, {
      claims: { ...input.claims, maskedDocumentNumber: '11010519491231002X' },
    });
    expect(verifyIdentityQr(text, opts())).toMatchObject({ code: 'E_IDQR_CLAIMS_INVALID' });
  });

  it('never throws on random mutations of a valid code (seeded)', () => {
    const good = issueSample(issuer, T0);
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    let accepted = 0;
    for (let i = 0; i < 300; i++) {
      const chars = good.split('');
      const n = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < n; j++) {
        const p = 5 + Math.floor(rnd() * (chars.length - 5));
        chars[p] = alphabet[Math.floor(rnd() * alphabet.length)]!;
      }
      const r = verifyIdentityQr(chars.join(''), opts());
      if (r.ok) accepted++;
    }
    // A mutation that survives is one that changed nothing (same char drawn); anything else must fail.
    expect(accepted).toBeLessThan(10);
  });
});

describe('verifyIdentityQr on random structures inside a valid envelope (seeded)', () => {
  it('answers every random CBOR/COSE shape with a typed failure, never an exception', () => {
    const issuer = makeIssuer('EdDSA');
    const trustList = prepareTrustList([issuer.trust]);
    let seed = 4242;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const value = (depth: number): unknown => {
      const k = Math.floor(rnd() * (depth > 2 ? 4 : 7));
      if (k === 0) return Math.floor(rnd() * 1e6) - 5e5;
      if (k === 1) return 'x'.repeat(Math.floor(rnd() * 20));
      if (k === 2) return new Uint8Array(Math.floor(rnd() * 40)).map(() => Math.floor(rnd() * 256));
      if (k === 3) return pick([true, false, null, undefined, 1.5]);
      if (k === 4) return Array.from({ length: Math.floor(rnd() * 5) }, () => value(depth + 1));
      const m = new Map<unknown, unknown>();
      for (let i = 0; i < Math.floor(rnd() * 6); i++)
        m.set(pick([1, 2, 4, 6, 7, -1, 'eid', 'n']), value(depth + 1));
      return m;
    };
    const codes = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const shape = rnd() < 0.5 ? value(0) : [cborEncode(value(1)), value(1), cborEncode(value(1)), value(1)];
      let r;
      expect(() => {
        r = verifyIdentityQr(wrapCose(cborEncode(shape)), {
          trustList,
          now: at(T0),
          replayCache: memoryReplayCache(() => at(T0)),
        });
      }).not.toThrow();
      expect(r!).toMatchObject({ ok: false });
      codes.add((r as unknown as { code: string }).code);
    }
    expect(codes.has('E_IDQR_FORMAT')).toBe(true);
  });
});
