// Config section 'wallet': every key has a default; unknown keys fail.
// Two ways in live here: the OpenID4VP wallet (the kiosk shows a rotating QR, the backend verifier checks the
// presentation) and the signed identity QR (the phone shows a code, the kiosk verifies it offline).
import { z } from 'zod';

/** A public JWK as the trust list holds it: key type fields plus a mandatory `kid`. */
export const trustedJwkSchema = z.looseObject({
  kty: z.enum(['EC', 'OKP']),
  crv: z.enum(['P-256', 'Ed25519']),
  x: z.string().min(1),
  y: z.string().min(1).optional(),
  kid: z.string().min(1),
  alg: z.enum(['ES256', 'EdDSA']).optional(),
});

/** One identity-QR issuer: the `iss` it writes and the key it signs with. */
export const identityQrIssuerSchema = z.strictObject({
  /** The CWT `iss` this issuer writes (e.g. 'https://id.example.gov.cn'). */
  iss: z.string().min(1),
  /** Public key; its `kid` (UTF-8) is the COSE kid header. */
  jwk: trustedJwkSchema,
  /** Human label for the attendant screen and logs. */
  name: z.string().default(''),
});

export const identityQrSection = z
  .strictObject({
    /** Accept phone-shown identity codes at all. */
    enabled: z.boolean().default(true),
    /** Text prefix of the code (context identifier), e.g. 'EID1:'. */
    prefix: z.string().min(1).max(16).default('EID1:'),
    /** Issuers whose codes are accepted. Empty = no code verifies (E_IDQR_ISSUER_UNTRUSTED). */
    trustedIssuers: z.array(identityQrIssuerSchema).default([]),
    /** Clock difference allowed between the phone/issuer and the kiosk, seconds. */
    clockSkewSeconds: z.number().int().min(0).max(300).default(10),
    /** Longest allowed exp − iat, seconds (the profile says 60). */
    maxLifetimeSeconds: z.number().int().min(1).max(600).default(60),
    /** Longest scanned text accepted before any parsing, characters. */
    maxTextLength: z.number().int().min(64).max(8192).default(4096),
    /** Largest inflated COSE payload, bytes (zlib output is bounded to this). */
    maxInflatedBytes: z.number().int().min(256).max(65536).default(16384),
    /** SQLite file of used codes (issuer + cti), pruned by exp. Relative paths are against the data dir. */
    replayCachePath: z.string().default('identity-qr-replay.sqlite'),
  })
  .prefault({});

export const walletSection = z
  .strictObject({
    /** Show the OpenID4VP request QR on the welcome screen. */
    enabled: z.boolean().default(true),
    /** Base URL of the backend verifier (backend/verifier), as the kiosk reaches it. */
    verifierUrl: z.url().default('http://127.0.0.1:8787'),
    /** A new request QR at least this often, seconds (≤ 60), and after each use. */
    qrRotateSeconds: z.number().int().min(5).max(60).default(30),
    /** Time allowed for one HTTP call to the verifier, ms. */
    requestTimeoutMs: z.number().int().min(100).max(30000).default(5000),
    /** Decoder for camera frames: zxing-wasm (measured better, docs/identity-qr.md) or @zxing/library. */
    cameraDecoder: z.enum(['zxing-wasm', 'zxing-js']).default('zxing-wasm'),
    identityQr: identityQrSection,
  })
  .prefault({});

export type WalletConfig = z.infer<typeof walletSection>;
export type IdentityQrConfig = z.infer<typeof identityQrSection>;
export type TrustedJwk = z.infer<typeof trustedJwkSchema>;
export type IdentityQrIssuer = z.infer<typeof identityQrIssuerSchema>;
