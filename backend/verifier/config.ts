// Options of the OpenID4VP verifier plugin (backend/verifier). Parsed with zod like every config section.
import { z } from 'zod';
import { trustedJwkSchema } from '../../config/schema/wallet.ts';

const bucket = z.strictObject({
  /** Burst size. */
  capacity: z.number().int().min(1).default(30),
  /** Tokens added per second. */
  refillPerSecond: z.number().min(0.01).default(1),
});

export const verifierOptionsSchema = z.strictObject({
  /** Base URL wallets reach the verifier at (request_uri and response_uri are built from it). https in production. */
  publicBaseUrl: z.url(),
  /** Route prefix inside the Fastify app. */
  prefix: z.string().default('/wallet'),
  /**
   * Client identifier prefix (OpenID4VP 1.0 §5.9): 'x509_hash' (the SHA-256 of the leaf certificate: works with a
   * self-managed certificate) or 'x509_san_dns' (the leaf's DNS SAN must equal the publicBaseUrl host).
   */
  clientIdPrefix: z.enum(['x509_hash', 'x509_san_dns']).default('x509_hash'),
  /** Private signing key of the verifier (JWK, P-256). Signs the request objects (JAR). */
  signingKey: z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), d: z.string() }),
  /** Certificate chain, leaf first, base64 DER (the x5c header of every request object). */
  certificateChain: z.array(z.string().min(1)).min(1),
  /** Response mode the QR asks for: 'direct_post.jwt' (encrypted response, default) or 'direct_post'. */
  responseMode: z.enum(['direct_post.jwt', 'direct_post']).default('direct_post.jwt'),
  /** How long a QR's transaction can be answered, seconds. The kiosk rotates sooner (≤ 60 s). */
  transactionTtlSeconds: z.number().int().min(10).max(600).default(90),
  /** How long a used/expired transaction is remembered to name a replay as such, seconds. */
  tombstoneSeconds: z.number().int().min(10).max(86400).default(600),
  /** Accepted SD-JWT VC types. */
  vctValues: z.array(z.string().min(1)).min(1).default(['urn:eudi:pid:1']),
  /** Trusted credential issuers: public JWK with kid (matched against the credential's kid header) and iss. */
  trustedIssuers: z
    .array(z.strictObject({ iss: z.string().min(1), jwk: trustedJwkSchema, name: z.string().default('') }))
    .default([]),
  /** Trusted issuer CA certificates (PEM) for credentials that carry an x5c chain. */
  trustedCertificates: z.array(z.string().min(1)).default([]),
  /** Clock skew allowed on credential iat/nbf/exp and the KB-JWT iat, seconds. */
  clockSkewSeconds: z.number().int().min(0).max(600).default(30),
  /** A KB-JWT older than this is refused, seconds. */
  kbMaxAgeSeconds: z.number().int().min(10).max(3600).default(300),
  statusList: z
    .strictObject({
      /** Refuse credentials whose status list cannot be fetched (fail closed). */
      failClosed: z.boolean().default(true),
      /** Keep a fetched status list this long, seconds (capped by its own exp/ttl). */
      cacheSeconds: z.number().int().min(0).max(86400).default(300),
      timeoutMs: z.number().int().min(100).max(30000).default(3000),
      maxBytes: z.number().int().min(1024).max(10_000_000).default(1_000_000),
    })
    .prefault({}),
  rateLimit: z
    .strictObject({
      /** Transactions a kiosk may create (one per QR rotation, plus retries). */
      perTerminal: bucket.prefault({ capacity: 20, refillPerSecond: 0.5 }),
      /** Wallet-facing requests (request object fetch + response post) per client IP. */
      perIp: bucket.prefault({ capacity: 60, refillPerSecond: 2 }),
    })
    .prefault({}),
  /** Largest accepted response body, bytes (an SD-JWT with a portrait is ~100 KB). */
  maxResponseBytes: z
    .number()
    .int()
    .min(4096)
    .max(5_000_000)
    .default(512 * 1024),
  /**
   * Worker threads for the SD-JWT verification step (0 = in the request thread). With 1–2 the HTTP, decryption
   * and parsing stay on the main thread and the signature/status/DCQL work moves to other cores.
   */
  verifyThreads: z.number().int().min(0).max(8).default(0),
  /** Test only: allow http:// URLs in the OpenID4VP library (global switch). */
  allowInsecureUrls: z.boolean().default(false),
});

export type VerifierOptionsInput = z.input<typeof verifierOptionsSchema>;
export type VerifierOptions = z.infer<typeof verifierOptionsSchema>;
