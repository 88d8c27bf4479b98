// The OpenID4VP 1.0 verifier as a Fastify plugin (cross-device flow, docs/wallet.md).
//
//   kiosk  ── POST {prefix}/transactions ─────────────▶ new transaction: nonce, state, per-tx encryption key,
//                                                        signed request object (JAR, x5c, client_id x509_hash)
//   kiosk  ◀─ { transactionId, uri, expiresAt } ─────── uri = openid4vp://?client_id=…&request_uri=…  (the QR)
//   wallet ── GET  {prefix}/request/:id ──────────────▶ the request object (application/oauth-authz-req+jwt)
//   wallet ── POST {prefix}/response/:id ─────────────▶ direct_post(.jwt): decrypt, state, one use, SD-JWT VC
//                                                        checks, DCQL → notify(terminalId, wallet.result)
//
// The lead mounts it into buildBackend and connects `notify` to the kiosk channel.
import { createHash, generateKeyPairSync, randomBytes, createPrivateKey } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CompactSign, compactDecrypt } from 'jose';
import type { JWK } from 'jose';
import { setGlobalConfig } from '@openid4vc/oauth2';
import type { CallbackContext, HashAlgorithm } from '@openid4vc/oauth2';
import {
  calculateX509HashClientIdPrefixValue,
  createOpenid4vpAuthorizationRequest,
  parseOpenid4vpAuthorizationResponse,
} from '@openid4vc/openid4vp';
import type { Openid4vpAuthorizationRequest } from '@openid4vc/openid4vp';
import { buildDcqlQuery, CREDENTIAL_QUERY_ID } from '../../kiosk/credentials/wallet/dcql.ts';
import type {
  WalletErrorCode,
  WalletProfile,
  WalletResultMessage,
  WalletTransactionTicket,
  WalletVerifiedCredential,
} from '../../kiosk/credentials/wallet/messages.ts';
import { verifierOptionsSchema } from './config.ts';
import type { VerifierOptions, VerifierOptionsInput } from './config.ts';
import { verifySdJwtPresentation } from './presentation.ts';
import { tokenBuckets } from './rate-limit.ts';
import { statusListFetcher } from './status-list.ts';
import { memoryTransactionStore } from './transactions.ts';
import type { Transaction, TransactionStore } from './transactions.ts';
import { issuerTrust } from './trust.ts';
import { verifyPool } from './worker-pool.ts';
import type { VerifyJob } from './verify-worker.ts';

export type { WalletResultMessage } from '../../kiosk/credentials/wallet/messages.ts';

const PROFILES: readonly WalletProfile[] = ['internet-cafe', 'hotel-front-desk', 'stadium-gate'];

export interface RegisterVerifierOptions extends VerifierOptionsInput {
  /** Deliver a result to the kiosk that showed the QR (the lead wires this to app.kioskChannel.send). */
  notify: (terminalId: string, message: WalletResultMessage) => Promise<void>;
  /**
   * Who is asking for a transaction: the enrolled terminal id, or undefined to refuse (401). The lead wires this
   * to the backend's terminal authentication.
   */
  authenticateTerminal: (request: FastifyRequest) => Promise<string | undefined> | string | undefined;
  now?: () => number;
  /** fetch used for status lists (tests inject nothing; it defaults to the global fetch). */
  fetch?: typeof fetch;
  store?: TransactionStore;
}

export interface VerifierHandle {
  readonly clientId: string;
  /** Create a transaction without HTTP (e.g. when the kiosk asks over the kiosk channel). */
  createTransaction(
    terminalId: string,
    profile: WalletProfile,
    replaces?: string,
  ): Promise<WalletTransactionTicket>;
  stats(): {
    transactions: number;
    verified: number;
    rejected: number;
    byWorker: number;
    workerFallback: number;
  };
}

class RouteError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}

const b64u = (n = 16) => randomBytes(n).toString('base64url');

export async function registerVerifier(
  app: FastifyInstance,
  input: RegisterVerifierOptions,
): Promise<VerifierHandle> {
  const { notify, authenticateTerminal, now = Date.now, store = memoryTransactionStore() } = input;
  const opts: VerifierOptions = verifierOptionsSchema.parse({
    ...Object.fromEntries(
      Object.entries(input).filter(
        ([k]) => !['notify', 'authenticateTerminal', 'now', 'fetch', 'store'].includes(k),
      ),
    ),
  });
  if (opts.allowInsecureUrls) setGlobalConfig({ allowInsecureUrls: true });
  const base = opts.publicBaseUrl.replace(/\/$/, '') + opts.prefix;

  const signingKey = createPrivateKey({ key: opts.signingKey as never, format: 'jwk' });
  const hash: CallbackContext['hash'] = (data, alg: HashAlgorithm) =>
    new Uint8Array(createHash(String(alg).replace('-', '')).update(data).digest());
  const clientId =
    opts.clientIdPrefix === 'x509_hash'
      ? `x509_hash:${await calculateX509HashClientIdPrefixValue({ x509Certificate: opts.certificateChain[0]!, hash })}`
      : `x509_san_dns:${new URL(opts.publicBaseUrl).hostname}`;

  const trust = issuerTrust(opts);
  const statusList = statusListFetcher({
    ...opts.statusList,
    allowHttp: opts.allowInsecureUrls,
    now,
    ...(input.fetch ? { fetch: input.fetch } : {}),
  });
  const terminalLimiter = tokenBuckets(
    opts.rateLimit.perTerminal.capacity,
    opts.rateLimit.perTerminal.refillPerSecond,
  );
  const ipLimiter = tokenBuckets(opts.rateLimit.perIp.capacity, opts.rateLimit.perIp.refillPerSecond);
  const counters = { verified: 0, rejected: 0 };
  const verifyInProcess = (job: VerifyJob) =>
    verifySdJwtPresentation(job.presentation, {
      ...job,
      skewSeconds: opts.clockSkewSeconds,
      kbMaxAgeSeconds: opts.kbMaxAgeSeconds,
      trust,
      statusList,
      statusFailClosed: opts.statusList.failClosed,
    });
  const pool =
    opts.verifyThreads > 0
      ? verifyPool(
          opts.verifyThreads,
          {
            trustedIssuers: opts.trustedIssuers,
            trustedCertificates: opts.trustedCertificates,
            statusList: opts.statusList,
            allowInsecureUrls: opts.allowInsecureUrls,
            clockSkewSeconds: opts.clockSkewSeconds,
            kbMaxAgeSeconds: opts.kbMaxAgeSeconds,
          },
          verifyInProcess,
        )
      : undefined;
  app.addHook('onClose', async () => pool?.close());
  const pruneTimer = setInterval(() => store.prune(now(), opts.tombstoneSeconds * 1000), 10_000);
  pruneTimer.unref();
  app.addHook('onClose', async () => clearInterval(pruneTimer));

  const signJwt: CallbackContext['signJwt'] = async (_signer, jwt) => {
    const compact = await new CompactSign(new TextEncoder().encode(JSON.stringify(jwt.payload)))
      .setProtectedHeader(jwt.header as never)
      .sign(signingKey);
    return { jwt: compact, signerJwk: {} as never };
  };

  async function createTransaction(terminalId: string, profile: WalletProfile, replaces?: string) {
    if (replaces) {
      const old = store.get(replaces);
      if (old && old.terminalId === terminalId) store.cancel(replaces);
    }
    const id = b64u(16);
    const nonce = b64u(24);
    const state = b64u(24);
    const t = now();
    const expiresAt = t + opts.transactionTtlSeconds * 1000;
    const dcqlQuery = buildDcqlQuery(profile, opts.vctValues);
    let encryptionKey: Transaction['encryptionKey'];
    const clientMetadata: Record<string, unknown> = {
      client_name: 'eid-kiosk',
      vp_formats_supported: {
        'dc+sd-jwt': {
          'sd-jwt_alg_values': ['ES256', 'ES384', 'EdDSA'],
          'kb-jwt_alg_values': ['ES256', 'ES384', 'EdDSA'],
        },
      },
    };
    if (opts.responseMode === 'direct_post.jwt') {
      const kp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const publicJwk: JWK = {
        ...(kp.publicKey.export({ format: 'jwk' }) as JWK),
        kid: id,
        use: 'enc',
        alg: 'ECDH-ES',
      };
      // A WebCrypto key: jose decrypts ~20% faster with it than with a KeyObject it converts on every call.
      const privateKey = await crypto.subtle.importKey(
        'pkcs8',
        kp.privateKey.export({ format: 'der', type: 'pkcs8' }),
        { name: 'ECDH', namedCurve: 'P-256' },
        false,
        ['deriveBits'],
      );
      encryptionKey = { privateKey, publicJwk };
      clientMetadata.jwks = { keys: [publicJwk] };
      clientMetadata.encrypted_response_enc_values_supported = ['A128GCM', 'A256GCM'];
    }
    const payload = {
      response_type: 'vp_token',
      client_id: clientId,
      response_uri: `${base}/response/${id}`,
      response_mode: opts.responseMode,
      nonce,
      state,
      dcql_query: dcqlQuery,
      client_metadata: clientMetadata,
    } as unknown as Openid4vpAuthorizationRequest;
    const created = await createOpenid4vpAuthorizationRequest({
      authorizationRequestPayload: payload,
      jar: {
        requestUri: `${base}/request/${id}`,
        jwtSigner: { method: 'x5c', x5c: opts.certificateChain, alg: 'ES256' },
        expiresInSeconds: opts.transactionTtlSeconds,
        additionalJwtPayload: { aud: 'https://self-issued.me/v2' },
      },
      callbacks: { signJwt, encryptJwe: () => Promise.reject(new Error('unused')) },
      now: new Date(t),
    });
    const requestObject = created.jar?.authorizationRequestJwt;
    if (typeof requestObject !== 'string') throw new Error('the library produced no request object');
    store.put({
      id,
      terminalId,
      profile,
      nonce,
      state,
      clientId,
      createdAt: t,
      expiresAt,
      requestObject,
      requestPayload: created.authorizationRequestPayload as Record<string, unknown>,
      ...(encryptionKey ? { encryptionKey } : {}),
      status: 'pending',
    });
    return { transactionId: id, uri: created.authorizationRequest, expiresAt };
  }

  const send = (reply: FastifyReply, e: RouteError) => {
    if (e.retryAfter !== undefined) void reply.header('retry-after', String(e.retryAfter));
    return reply.code(e.status).send({ error: e.error, error_description: e.description });
  };
  const limitIp = (req: FastifyRequest) => {
    const wait = ipLimiter.take(req.ip, now());
    if (wait > 0) throw new RouteError(429, 'rate_limited', 'E_WALLET_RATE_LIMITED: too many requests', wait);
  };

  await app.register(
    async (scope) => {
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: opts.maxResponseBytes },
        (_req, body, done) => {
          try {
            done(null, Object.fromEntries(new URLSearchParams(body as string)));
          } catch (e) {
            done(e as Error, undefined);
          }
        },
      );

      scope.post('/transactions', async (req, reply) => {
        try {
          const terminalId = await authenticateTerminal(req);
          if (!terminalId) throw new RouteError(401, 'unauthorized', 'E_WALLET_UNAUTHENTICATED');
          const wait = terminalLimiter.take(terminalId, now());
          if (wait > 0) throw new RouteError(429, 'rate_limited', 'E_WALLET_RATE_LIMITED: terminal', wait);
          const body = (req.body ?? {}) as { profile?: unknown; replaces?: unknown };
          const profile = body.profile as WalletProfile;
          if (!PROFILES.includes(profile)) throw new RouteError(400, 'invalid_request', 'unknown profile');
          const replaces = typeof body.replaces === 'string' ? body.replaces : undefined;
          return reply.code(201).send(await createTransaction(terminalId, profile, replaces));
        } catch (e) {
          if (e instanceof RouteError) return send(reply, e);
          throw e;
        }
      });

      scope.get<{ Params: { id: string } }>('/request/:id', async (req, reply) => {
        try {
          limitIp(req);
          const tx = store.get(req.params.id);
          if (!tx) throw new RouteError(404, 'invalid_request_uri', 'E_WALLET_TX_UNKNOWN');
          if (tx.status !== 'pending' || tx.expiresAt < now())
            throw new RouteError(410, 'invalid_request_uri', 'E_WALLET_TX_EXPIRED');
          return reply.header('content-type', 'application/oauth-authz-req+jwt').send(tx.requestObject);
        } catch (e) {
          if (e instanceof RouteError) return send(reply, e);
          throw e;
        }
      });

      scope.post<{ Params: { id: string } }>(
        '/response/:id',
        { bodyLimit: opts.maxResponseBytes },
        async (req, reply) => {
          try {
            limitIp(req);
            const tx = store.get(req.params.id);
            if (!tx) throw new RouteError(400, 'invalid_request', 'E_WALLET_TX_UNKNOWN');
            if (tx.status === 'answered') throw new RouteError(400, 'invalid_request', 'E_WALLET_REPLAYED');
            if (tx.status === 'cancelled' || tx.expiresAt < now())
              throw new RouteError(400, 'invalid_request', 'E_WALLET_TX_EXPIRED');
            const body = req.body;
            if (body === null || typeof body !== 'object')
              throw new RouteError(400, 'invalid_request', 'E_WALLET_RESPONSE_INVALID: form body expected');
            // Open first (decrypt, parse, state): a post that is not bound to this transaction is refused to its
            // sender and neither consumes the QR nor reaches the kiosk.
            const opened = await openResponse(tx, body as Record<string, unknown>);
            if (!opened.ok && !opened.bound) throw new RouteError(400, 'invalid_request', opened.code);
            // One use: claim before verifying, so a concurrent duplicate is refused as a replay.
            if (!store.claim(tx.id)) throw new RouteError(400, 'invalid_request', 'E_WALLET_REPLAYED');
            const outcome = opened.ok ? await verifyPresentation(tx, opened.presentation) : opened;
            const message: WalletResultMessage = outcome.ok
              ? {
                  type: 'wallet.result',
                  ok: true,
                  terminalId: tx.terminalId,
                  transactionId: tx.id,
                  profile: tx.profile,
                  credential: outcome.credential,
                  verifiedAt: now(),
                }
              : {
                  type: 'wallet.result',
                  ok: false,
                  terminalId: tx.terminalId,
                  transactionId: tx.id,
                  profile: tx.profile,
                  code: outcome.code,
                  detail: outcome.detail,
                  verifiedAt: now(),
                };
            if (outcome.ok) counters.verified++;
            else counters.rejected++;
            try {
              await notify(tx.terminalId, message);
            } catch (e) {
              req.log.warn({ err: (e as Error).message, tx: tx.id }, 'wallet result could not be delivered');
            }
            if (!outcome.ok) throw new RouteError(400, 'invalid_request', outcome.code);
            return reply.code(200).send({});
          } catch (e) {
            if (e instanceof RouteError) return send(reply, e);
            throw e;
          }
        },
      );
    },
    { prefix: opts.prefix },
  );

  type Opened =
    { ok: true; presentation: string } | { ok: false; bound: boolean; code: WalletErrorCode; detail: string };

  /** Decrypt and parse a response; `bound` says whether it provably belongs to this transaction (state). */
  async function openResponse(tx: Transaction, body: Record<string, unknown>): Promise<Opened> {
    const encrypted = typeof body.response === 'string';
    if (!encrypted && typeof body.error === 'string') {
      // An OAuth error response (e.g. the person declined): bound to the transaction by its state.
      const bound = body.state === tx.state;
      return {
        ok: false,
        bound,
        code: bound ? 'E_WALLET_WALLET_ERROR' : 'E_WALLET_STATE_MISMATCH',
        detail: body.error.slice(0, 64),
      };
    }
    if (opts.responseMode === 'direct_post.jwt' && !encrypted)
      return {
        ok: false,
        bound: false,
        code: 'E_WALLET_RESPONSE_INVALID',
        detail: 'encrypted response (direct_post.jwt) required',
      };
    if (!encrypted && body.state !== tx.state)
      return { ok: false, bound: false, code: 'E_WALLET_STATE_MISMATCH', detail: 'state' };
    let parsed;
    try {
      parsed = await parseOpenid4vpAuthorizationResponse({
        authorizationResponse: body,
        authorizationRequestPayload: tx.requestPayload as never,
        callbacks: {
          decryptJwe: async (jwe) => {
            if (!tx.encryptionKey) return { decrypted: false };
            try {
              const { plaintext } = await compactDecrypt(jwe, tx.encryptionKey.privateKey, {
                keyManagementAlgorithms: ['ECDH-ES'],
                contentEncryptionAlgorithms: ['A128GCM', 'A256GCM'],
              });
              return {
                decrypted: true,
                decryptionJwk: tx.encryptionKey.publicJwk as never,
                payload: new TextDecoder().decode(plaintext),
              };
            } catch {
              return { decrypted: false };
            }
          },
          verifyJwt: async () => ({ verified: false }),
        },
      });
    } catch (e) {
      const msg = (e as Error).message ?? '';
      if (/state/i.test(msg))
        return { ok: false, bound: false, code: 'E_WALLET_STATE_MISMATCH', detail: 'state' };
      return { ok: false, bound: false, code: 'E_WALLET_RESPONSE_INVALID', detail: msg.slice(0, 120) };
    }
    // From here the response decrypted with this transaction's key (or carried its state): it is bound.
    if (parsed.type !== 'dcql')
      return { ok: false, bound: true, code: 'E_WALLET_RESPONSE_INVALID', detail: 'not a DCQL response' };
    const entry = (parsed.dcql.presentations as Record<string, unknown>)[CREDENTIAL_QUERY_ID];
    const first = Array.isArray(entry) ? entry[0] : entry;
    if (first === undefined)
      return {
        ok: false,
        bound: true,
        code: 'E_WALLET_CLAIMS_MISSING',
        detail: 'no presentation for the query',
      };
    if (typeof first !== 'string' || !first.includes('~'))
      return {
        ok: false,
        bound: true,
        code: 'E_WALLET_FORMAT_UNSUPPORTED',
        detail: 'only dc+sd-jwt presentations are supported',
      };
    return { ok: true, presentation: first };
  }

  async function verifyPresentation(
    tx: Transaction,
    first: string,
  ): Promise<
    { ok: true; credential: WalletVerifiedCredential } | { ok: false; code: WalletErrorCode; detail: string }
  > {
    const job: VerifyJob = {
      presentation: first,
      nonce: tx.nonce,
      clientId: tx.clientId,
      profile: tx.profile,
      dcqlQuery: (tx.requestPayload.dcql_query ?? {}) as Record<string, unknown>,
      nowMs: now(),
    };
    return pool ? pool.verify(job) : verifyInProcess(job);
  }

  return {
    clientId,
    createTransaction,
    stats: () => ({
      transactions: store.size(),
      ...counters,
      byWorker: pool?.stats().byWorker ?? 0,
      workerFallback: pool?.stats().fallback ?? 0,
    }),
  };
}
