// The reference backend: enrolment, signed ingest, query API, dashboard, unsealing, kiosk channel.
// buildBackend(opts) → a Fastify instance (not listening): call .listen() or use .inject() in tests.
import { randomBytes, createHash } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import type { z } from 'zod';
import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  ed25519PublicFromRaw,
  ed25519Verify,
  fromB64u,
  rawPublic,
  unseal,
  x25519PrivateFromPem,
} from '../kiosk/audit/crypto.ts';
import { checkEvent } from '../kiosk/audit/chain.ts';
import type { StoredEvent } from '../kiosk/audit/event.ts';
import { sealContext } from '../kiosk/audit/event.ts';
import { terminalIdFor } from '../kiosk/audit/identity.ts';
import { enrolSigningInput } from '../kiosk/sync/request-signing.ts';
import { DASHBOARD_COOKIE, requireRole, requireTerminal, tokenTable } from './auth.ts';
import type { Actor } from './auth.ts';
import { createKioskChannel } from './channel.ts';
import type { KioskChannel } from './channel.ts';
import { renderDashboard, renderLogin } from './dashboard.ts';
import { HttpError, badRequest } from './http-error.ts';
import { backendOptionsSchema } from './options.ts';
import type { BackendOptions, ResolvedBackendOptions } from './options.ts';
import {
  enrolSchema,
  enrolmentCodeSchema,
  eventsQuerySchema,
  ingestSchema,
  reviewDecisionSchema,
  reviewsQuerySchema,
  unsealSchema,
  venueSchema,
} from './schemas.ts';
import { openPgDriver } from './storage/pg.ts';
import { openSqliteDriver } from './storage/sqlite.ts';
import { createStorage } from './storage/store.ts';
import type { BackendStorage, ReviewRow } from './storage/store.ts';

export interface BackendHandle {
  readonly storage: BackendStorage;
  readonly options: ResolvedBackendOptions;
  /** The X25519 public key (raw, base64url) kiosks seal personal data to. */
  readonly sealPublicKey: string;
  /** Run the retention purge now. */
  purge(now?: number): Promise<{ sealed: number; events: number }>;
  /** Decide a review (dashboard, API, terminal) and tell the kiosk over the channel. */
  decideReview(id: string, approve: boolean, reason: string, by: string): Promise<ReviewRow>;
  /**
   * The enrolled, unrevoked terminal that signed this request (see docs/backend.md, Terminal requests), or
   * undefined. For plugins (the OpenID4VP verifier's authenticateTerminal).
   */
  authenticateTerminal(req: FastifyRequest): Promise<string | undefined>;
}

declare module 'fastify' {
  interface FastifyInstance {
    kioskChannel: KioskChannel;
    backend: BackendHandle;
  }
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

export interface BuildBackendExtras {
  /** Wall clock (tests jump it). */
  now?: () => number;
  /** Register further plugins (e.g. the OpenID4VP verifier) after the core routes. */
  register?: (app: FastifyInstance) => Promise<void> | void;
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw badRequest('the request does not match its schema', {
      issues: r.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return r.data;
}

/** Enrolment code alphabet: Crockford base32 without I, L, O, U (read aloud, typed by an attendant). */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function normaliseCode(c: string): string {
  return c.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}
function newCode(): string {
  const b = randomBytes(10);
  let s = '';
  for (const x of b) s += CODE_ALPHABET[x & 31];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}
const codeHash = (c: string) => createHash('sha256').update(normaliseCode(c)).digest('hex');

export async function buildBackend(
  input: BackendOptions & BuildBackendExtras = {},
): Promise<FastifyInstance> {
  const { now: nowOpt, register, ...rest } = input;
  const opts = backendOptionsSchema.parse(rest);
  const now = nowOpt ?? Date.now;
  const driver = opts.databaseUrl
    ? await openPgDriver(opts.databaseUrl, opts.pgSchema, opts.pgPoolSize)
    : openSqliteDriver(opts.sqlitePath);
  const storage = createStorage(driver);
  try {
    await storage.migrate();
  } catch (e) {
    await storage.close();
    throw e;
  }

  // the sealing key: given, or made once and kept in the database (first instance wins)
  let sealKey: KeyObject;
  if (opts.sealPrivateKeyPem) sealKey = x25519PrivateFromPem(opts.sealPrivateKeyPem);
  else {
    const pem = generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    sealKey = x25519PrivateFromPem(await storage.putKvIfAbsent('seal_private_key', pem));
  }
  const sealPublicKey = rawPublic(sealKey);
  const tokens = tokenTable(opts.tokens);

  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: 'info',
            ...(opts.logger === true ? {} : opts.logger),
            // tokens and cookies never reach the log
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-eid-signature"]'],
          },
    bodyLimit: opts.bodyLimit,
    // forwarded headers are not trusted by default; put the backend behind a proxy that sets them if needed
  });

  // keep the raw body (signatures cover its bytes), then parse JSON
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    req.rawBody = buf;
    if (buf.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(buf.toString('utf8')));
    } catch {
      done(badRequest('the body is not valid JSON'), undefined);
    }
  });
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpError) {
      return reply.code(err.status).send({ code: err.code, message: err.message, ...err.detail });
    }
    const e = err as { code?: string; statusCode?: number; message?: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .code(413)
        .send({ code: 'E_BACKEND_TOO_LARGE', message: `the body exceeds ${opts.bodyLimit} bytes` });
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      // Fastify's own 4xx (unsupported media type, malformed request): keep 415, the rest is a 400
      return reply
        .code(e.statusCode === 415 ? 415 : 400)
        .send({ code: 'E_BACKEND_BAD_REQUEST', message: e.message ?? 'bad request' });
    }
    req.log.error({ err }, 'backend internal error');
    return reply
      .code(500)
      .send({ code: 'E_BACKEND_INTERNAL', message: 'internal error; nothing partial was stored' });
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ code: 'E_BACKEND_NOT_FOUND', message: 'no such endpoint' }),
  );

  const channel = await createKioskChannel({
    storage,
    log: app.log,
    pingMs: opts.channelPingMs,
    authTimeoutMs: opts.channelAuthTimeoutMs,
    now,
    ...(opts.databaseUrl ? { pg: { databaseUrl: opts.databaseUrl, schema: opts.pgSchema } } : {}),
  });
  app.decorate('kioskChannel', channel);

  async function decideReview(id: string, approve: boolean, reason: string, by: string): Promise<ReviewRow> {
    const r = await storage.decideReview(id, { approve, reason, by, now: now() });
    if (r === 'not-found') throw new HttpError(404, 'E_BACKEND_NOT_FOUND', 'no such review');
    if (r === 'conflict') throw new HttpError(409, 'E_BACKEND_CONFLICT', 'the review was already decided');
    await channel
      .send(r.terminalId, {
        type: 'review.decision',
        reviewId: r.id,
        checkInId: r.checkInId,
        approved: approve,
        reason,
        by,
      })
      .catch((err: unknown) => app.log.warn({ err: (err as Error).message }, 'review decision not pushed'));
    return r;
  }

  const handle: BackendHandle = {
    storage,
    options: opts,
    sealPublicKey,
    purge: (at = now()) => storage.purge(at),
    decideReview,
    async authenticateTerminal(req) {
      try {
        return (await requireTerminal(storage, req, opts.maxSkewMs, now())).id;
      } catch (e) {
        if (e instanceof HttpError) return undefined;
        throw e;
      }
    },
  };
  app.decorate('backend', handle);

  let purgeTimer: NodeJS.Timeout | null = null;
  if (opts.purgeIntervalMs > 0) {
    purgeTimer = setInterval(() => {
      storage
        .purge(now())
        .catch((err: unknown) => app.log.warn({ err: (err as Error).message }, 'purge failed'));
    }, opts.purgeIntervalMs);
    purgeTimer.unref();
  }
  app.addHook('onClose', async () => {
    if (purgeTimer) clearInterval(purgeTimer);
    await channel.close();
    await storage.close();
  });

  await app.register(websocket, { options: { maxPayload: 65_536 } });

  const role = (req: FastifyRequest, r: Parameters<typeof requireRole>[2]): Actor =>
    requireRole(tokens, req, r);

  // ---- public --------------------------------------------------------------------------------------------
  app.get('/healthz', async () => ({ ok: true, storage: storage.dialect }));
  app.get('/v1/info', async () => ({ sealPublicKey, serverTime: now(), version: 1 }));

  // ---- enrolment -----------------------------------------------------------------------------------------
  app.post('/v1/admin/enrolment-codes', async (req, reply) => {
    const actor = role(req, 'enrol');
    const b = parse(enrolmentCodeSchema, req.body);
    const t = now();
    if (!(await storage.getVenue(b.venueId))) {
      await storage.upsertVenue(
        {
          id: b.venueId,
          name: b.venueId,
          eventKeepDays: opts.defaultEventKeepDays,
          sealedKeepDays: opts.defaultSealedKeepDays,
        },
        t,
      );
    }
    const code = newCode();
    const expiresAt = t + (b.ttlSeconds ?? opts.enrolmentCodeTtlSeconds) * 1000;
    await storage.createEnrolmentCode({
      codeHash: codeHash(code),
      venueId: b.venueId,
      label: b.label,
      expiresAt,
      createdBy: actor.name,
      now: t,
    });
    await storage.audit({
      actor: actor.name,
      action: 'enrolment-code.create',
      target: b.venueId,
      detail: b.label,
      now: t,
    });
    return reply.code(201).send({ code, venueId: b.venueId, expiresAt });
  });

  app.post('/v1/enrol', async (req, reply) => {
    const b = parse(enrolSchema, req.body);
    const pub = ed25519PublicFromRaw(b.publicKey);
    if (!ed25519Verify(pub, enrolSigningInput(normaliseCode(b.code), b.publicKey), fromB64u(b.sig))) {
      throw new HttpError(401, 'E_BACKEND_UNAUTHORISED', 'the enrolment signature does not verify');
    }
    const terminalId = terminalIdFor(b.publicKey);
    const r = await storage.enrol({
      codeHash: codeHash(b.code),
      terminalId,
      publicKey: b.publicKey,
      now: now(),
    });
    if (r === null)
      throw new HttpError(403, 'E_BACKEND_CODE_INVALID', 'the enrolment code is unknown, used or expired');
    if (r === 'exists')
      throw new HttpError(409, 'E_BACKEND_CONFLICT', 'this terminal key is already enrolled');
    return reply.code(201).send({ terminalId: r.id, venueId: r.venueId, sealPublicKey, serverTime: now() });
  });

  app.post<{ Params: { id: string } }>('/v1/admin/terminals/:id/revoke', async (req) => {
    const actor = role(req, 'admin');
    const t = now();
    const done = await storage.revokeTerminal(req.params.id, t);
    if (!done) {
      const exists = await storage.getTerminal(req.params.id);
      if (!exists) throw new HttpError(404, 'E_BACKEND_NOT_FOUND', 'no such terminal');
    }
    await storage.audit({
      actor: actor.name,
      action: 'terminal.revoke',
      target: req.params.id,
      detail: '',
      now: t,
    });
    await channel.kick(req.params.id);
    return { ok: true, terminalId: req.params.id, revokedAt: t };
  });

  app.put('/v1/admin/venues', async (req) => {
    const actor = role(req, 'admin');
    const v = parse(venueSchema, req.body);
    await storage.upsertVenue(v, now());
    await storage.audit({
      actor: actor.name,
      action: 'venue.upsert',
      target: v.id,
      detail: JSON.stringify(v),
      now: now(),
    });
    return { ok: true, venue: v };
  });

  // ---- terminal (signed) ---------------------------------------------------------------------------------
  app.post('/v1/ingest', async (req, reply) => {
    const t = await requireTerminal(storage, req, opts.maxSkewMs, now());
    const b = parse(ingestSchema, req.body);
    if (b.terminalId !== t.id)
      throw new HttpError(403, 'E_BACKEND_FORBIDDEN', 'a terminal may only send its own events');
    if (b.events.length > opts.maxBatchEvents) {
      throw new HttpError(413, 'E_BACKEND_TOO_LARGE', `at most ${opts.maxBatchEvents} events per batch`);
    }
    const events = b.events as unknown as StoredEvent[];
    const pub = ed25519PublicFromRaw(t.publicKey);
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as StoredEvent;
      const p = checkEvent(e, pub, t.id);
      if (p) {
        throw new HttpError(422, 'E_INGEST_BAD_SIGNATURE', `event ${e.seq}: ${p.message}`, {
          seq: e.seq,
          fault: p.fault,
        });
      }
      const prev = events[i - 1];
      if (prev && (e.seq !== prev.seq + 1 || e.prevHash !== prev.hash)) {
        throw new HttpError(
          422,
          'E_INGEST_NOT_CONTIGUOUS',
          `event ${e.seq} does not follow event ${prev.seq}`,
          { seq: e.seq },
        );
      }
    }
    const first = events[0] as StoredEvent;
    const last = events[events.length - 1] as StoredEvent;
    const batchId = `${t.id}:${first.seq}-${last.seq}`;
    const r = await storage.ingest(t.id, events, now());
    switch (r.kind) {
      case 'stored':
        return reply.code(200).send({
          ok: true,
          batchId,
          ackedSeq: r.ackedSeq,
          ackedHash: r.ackedHash,
          stored: r.stored,
          duplicate: r.duplicate,
        });
      case 'gap':
        throw new HttpError(
          409,
          'E_INGEST_GAP',
          `expected seq ${r.expectedSeq}, the batch starts at ${first.seq}`,
          { batchId, expectedSeq: r.expectedSeq },
        );
      case 'fork':
        throw new HttpError(409, 'E_INGEST_FORK', `event ${r.seq} conflicts with the stored chain`, {
          batchId,
          seq: r.seq,
        });
      case 'revoked':
        throw new HttpError(403, 'E_BACKEND_TERMINAL_REVOKED', 'this terminal was revoked');
      case 'unknown-terminal':
        throw new HttpError(401, 'E_BACKEND_UNKNOWN_TERMINAL', 'this terminal is not enrolled');
    }
  });

  app.get('/v1/terminal/state', async (req) => {
    const t = await requireTerminal(storage, req, opts.maxSkewMs, now());
    return {
      terminalId: t.id,
      venueId: t.venueId,
      headSeq: t.headSeq,
      headHash: t.headHash,
      serverTime: now(),
      sealPublicKey,
    };
  });

  app.get('/v1/terminal/reviews', async (req) => {
    const t = await requireTerminal(storage, req, opts.maxSkewMs, now());
    const rows = await storage.reviews({ status: 'pending', venueId: t.venueId, limit: 100 });
    return { reviews: rows };
  });

  app.post<{ Params: { id: string } }>('/v1/terminal/reviews/:id/decision', async (req) => {
    const t = await requireTerminal(storage, req, opts.maxSkewMs, now());
    const b = parse(reviewDecisionSchema, req.body);
    const review = await storage.getReview(req.params.id);
    if (!review || review.venueId !== t.venueId)
      throw new HttpError(404, 'E_BACKEND_NOT_FOUND', 'no such review');
    return { review: await decideReview(req.params.id, b.approve, b.reason, `terminal:${t.id}`) };
  });

  // ---- queries (token) -----------------------------------------------------------------------------------
  app.get('/v1/terminals', async (req) => {
    role(req, 'view');
    return { terminals: await storage.listTerminals() };
  });
  app.get('/v1/events', async (req) => {
    role(req, 'view');
    const f = parse(eventsQuerySchema, req.query);
    const evs = await storage.events({
      limit: f.limit,
      ...(f.terminalId !== undefined ? { terminalId: f.terminalId } : {}),
      ...(f.venueId !== undefined ? { venueId: f.venueId } : {}),
      ...(f.type !== undefined ? { type: f.type } : {}),
      ...(f.afterSeq !== undefined ? { afterSeq: f.afterSeq } : {}),
    });
    return { events: evs };
  });
  app.get('/v1/reviews', async (req) => {
    role(req, 'view');
    const f = parse(reviewsQuerySchema, req.query);
    return {
      reviews: await storage.reviews({
        limit: f.limit,
        ...(f.status !== undefined ? { status: f.status } : {}),
        ...(f.venueId !== undefined ? { venueId: f.venueId } : {}),
      }),
    };
  });
  app.post<{ Params: { id: string } }>('/v1/reviews/:id/decision', async (req) => {
    const actor = role(req, 'review');
    const b = parse(reviewDecisionSchema, req.body);
    return { review: await decideReview(req.params.id, b.approve, b.reason, actor.name) };
  });
  app.get('/v1/stats', async (req) => {
    role(req, 'view');
    return storage.stats(now(), opts.onlineWithinMs);
  });
  app.get('/v1/audit-log', async (req) => {
    role(req, 'admin');
    return { entries: await storage.auditLog(200) };
  });

  app.post('/v1/unseal', async (req) => {
    const actor = role(req, 'unseal');
    const b = parse(unsealSchema, req.body);
    const found = await storage.sealedBox(b.terminalId, b.seq);
    if (!found)
      throw new HttpError(
        404,
        'E_BACKEND_NOT_FOUND',
        'no sealed payload for that event (never kept, or purged)',
      );
    // audited before it is opened: if the audit write fails, nothing is revealed
    await storage.audit({
      actor: actor.name,
      action: 'unseal',
      target: `${b.terminalId}:${b.seq}`,
      detail: b.purpose,
      now: now(),
    });
    const pt = unseal(sealKey, found.box, sealContext(found.event));
    return { terminalId: b.terminalId, seq: b.seq, fields: JSON.parse(pt.toString('utf8')) as unknown };
  });

  // ---- dashboard ----------------------------------------------------------------------------------------
  // encapsulated, so its form parser does not clash with a plugin's (the wallet verifier adds its own)
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    scope.get('/dashboard/login', async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send(renderLogin()),
    );
    scope.post('/dashboard/login', async (req, reply) => {
      const token = (req.body as Record<string, unknown> | undefined)?.token;
      if (typeof token !== 'string' || !tokens.find(token)?.roles.has('view')) {
        return reply.code(401).type('text/html; charset=utf-8').send(renderLogin('Unknown token.'));
      }
      return reply
        .header(
          'set-cookie',
          `${DASHBOARD_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        )
        .redirect('/dashboard', 303);
    });
    scope.get('/dashboard', async (req, reply) => {
      let actor: Actor;
      try {
        actor = role(req, 'view');
      } catch {
        return reply.redirect('/dashboard/login', 303);
      }
      const t = now();
      const [stats, pending, log] = await Promise.all([
        storage.stats(t, opts.onlineWithinMs),
        storage.reviews({ status: 'pending', limit: 100 }),
        actor.roles.has('admin') ? storage.auditLog(30) : Promise.resolve([]),
      ]);
      return reply
        .type('text/html; charset=utf-8')
        .send(renderDashboard({ now: t, actor, stats, pending, log }));
    });
    scope.post<{ Params: { id: string } }>('/dashboard/reviews/:id', async (req, reply) => {
      const actor = role(req, 'review');
      const form = (req.body ?? {}) as Record<string, unknown>;
      const b = parse(reviewDecisionSchema, { approve: form.decision === 'approve', reason: form.reason });
      if (form.decision !== 'approve' && form.decision !== 'deny')
        throw badRequest('decision must be approve or deny');
      await decideReview(req.params.id, b.approve, b.reason, actor.name);
      return reply.redirect('/dashboard', 303);
    });
  });

  // ---- kiosk channel -------------------------------------------------------------------------------------
  app.get('/v1/channel', { websocket: true }, (socket) => channel.accept(socket));

  if (register) await register(app);
  return app;
}
