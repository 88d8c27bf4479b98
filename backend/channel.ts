// The kiosk channel: an authenticated WebSocket per terminal (the terminal signs a server challenge), and
// send(terminalId, message) that reaches the terminal whichever instance it is connected to: on PostgreSQL
// every instance LISTENs on one channel and send() NOTIFYs it; on SQLite (one instance) it delivers locally.
// Delivery is live and best-effort: a kiosk that is offline misses the push and reads durable state (review
// decisions) through the query API when it reconnects.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { WebSocket } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import { b64u, ed25519PublicFromRaw, ed25519Verify, fromB64u } from '../kiosk/audit/crypto.ts';
import { channelSigningInput } from '../kiosk/sync/request-signing.ts';
import { HttpError } from './http-error.ts';
import type { BackendStorage } from './storage/store.ts';

/** NOTIFY payloads are limited to 8000 bytes: a frame up to this size travels inside the NOTIFY. */
export const MAX_INLINE_NOTIFY_BYTES = 7000;
/**
 * The largest message (its JSON frame). Larger than a NOTIFY can carry: on PostgreSQL a bigger frame is parked in
 * the kv table (`channel-frame:<time>:<uuid>`) and the NOTIFY carries the key; the instance holding the socket
 * reads it. A wallet result with the holder's portrait (tens of KB) is the reason. The kiosk's WebSocket accepts
 * frames up to this size too (kiosk/sync/channel.ts).
 */
export const MAX_CHANNEL_MESSAGE_BYTES = 1_048_576;
/** Parked frames older than this are swept (at the next large send); delivery is live, not durable. */
const PARKED_FRAME_TTL_MS = 60_000;
const PARKED_PREFIX = 'channel-frame:';

/** A parked frame is stored encrypted (AES-256-GCM); the key travels only in the NOTIFY, never to a table. */
function sealFrame(frame: string): { box: string; key: string } {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(frame, 'utf8'), c.final()]);
  return { box: Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64'), key: key.toString('base64url') };
}
function openFrame(box: string, key: string): string {
  const b = Buffer.from(box, 'base64');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(key, 'base64url'), b.subarray(0, 12));
  d.setAuthTag(b.subarray(12, 28));
  return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
}

export interface KioskChannel {
  /** Push a JSON message to a terminal, on whichever instance it is connected. */
  send(terminalId: string, message: unknown): Promise<void>;
  /** Close a terminal's sockets on every instance (revocation). */
  kick(terminalId: string): Promise<void>;
  /** Terminals with an authenticated socket on this instance. */
  connectedHere(): string[];
  /** Called with each message a terminal sends up (other than pings). */
  onMessage(handler: (terminalId: string, message: unknown) => void): () => void;
  /** Attach a new socket (called by the route). */
  accept(socket: WebSocket): void;
  close(): Promise<void>;
}

export interface ChannelOptions {
  storage: BackendStorage;
  log: FastifyBaseLogger;
  pingMs: number;
  authTimeoutMs: number;
  now: () => number;
  pg?: { databaseUrl: string; schema: string };
}

export async function createKioskChannel(o: ChannelOptions): Promise<KioskChannel> {
  const sockets = new Map<string, Set<WebSocket>>();
  const handlers = new Set<(t: string, m: unknown) => void>();
  const channelName = `eid_kiosk_${o.pg?.schema ?? 'public'}`.slice(0, 63);
  let closed = false;

  function deliver(terminalId: string, frame: string): number {
    const set = sockets.get(terminalId);
    if (!set) return 0;
    for (const s of set) if (s.readyState === 1) s.send(frame);
    return set.size;
  }

  function kickHere(terminalId: string): void {
    for (const s of sockets.get(terminalId) ?? []) s.close(4403, 'revoked');
  }

  // ---- LISTEN (PostgreSQL): one dedicated connection per instance, reconnecting ----
  let listener: pg.Client | null = null;
  let listenerReady: Promise<void> = Promise.resolve();
  async function listen(attempt = 0): Promise<void> {
    if (closed || !o.pg) return;
    const c = new pg.Client({ connectionString: o.pg.databaseUrl });
    c.on('notification', (n) => {
      if (n.channel !== channelName || !n.payload) return;
      try {
        const { t, f, ref, k, kick } = JSON.parse(n.payload) as {
          t: string;
          f?: string;
          ref?: string;
          k?: string;
          kick?: boolean;
        };
        if (kick) kickHere(t);
        else if (f) deliver(t, f);
        else if (ref?.startsWith(PARKED_PREFIX) && typeof k === 'string' && sockets.has(t)) {
          o.storage
            .getKv(ref)
            .then((box) => {
              if (box !== null) deliver(t, openFrame(box, k));
              else o.log.warn({ terminalId: t }, 'kiosk channel: parked frame already swept');
            })
            .catch((err: unknown) =>
              o.log.warn({ err: (err as Error).message }, 'kiosk channel: parked frame unreadable'),
            );
        }
      } catch {
        o.log.warn('kiosk channel: unreadable notification');
      }
    });
    c.on('error', (err) => {
      o.log.warn({ err: err.message }, 'kiosk channel: LISTEN connection lost; reconnecting');
      listener = null;
      c.end().catch(() => undefined);
      if (!closed) setTimeout(() => void listen(attempt + 1), Math.min(30_000, 200 * 2 ** attempt)).unref();
    });
    try {
      await c.connect();
      await c.query(`LISTEN "${channelName}"`);
      listener = c;
    } catch (err) {
      o.log.warn({ err: (err as Error).message }, 'kiosk channel: LISTEN failed; retrying');
      await c.end().catch(() => undefined);
      if (!closed) setTimeout(() => void listen(attempt + 1), Math.min(30_000, 200 * 2 ** attempt)).unref();
    }
  }
  if (o.pg) listenerReady = listen();
  await listenerReady;

  const channel: KioskChannel = {
    async send(terminalId, message) {
      const frame = JSON.stringify({ type: 'message', id: randomUUID(), body: message });
      if (Buffer.byteLength(frame) > MAX_CHANNEL_MESSAGE_BYTES) {
        throw new HttpError(
          413,
          'E_BACKEND_TOO_LARGE',
          `a channel message must be under ${MAX_CHANNEL_MESSAGE_BYTES} bytes`,
        );
      }
      if (o.pg && Buffer.byteLength(frame) > MAX_INLINE_NOTIFY_BYTES) {
        // too large for a NOTIFY: park it where every instance can read it, notify the key
        const t = o.now();
        const key = `${PARKED_PREFIX}${String(t).padStart(15, '0')}:${randomUUID()}`;
        const stale = `${PARKED_PREFIX}${String(Math.max(0, t - PARKED_FRAME_TTL_MS)).padStart(15, '0')}`;
        await o.storage.driver.run('DELETE FROM kv WHERE key >= $1 AND key < $2', [PARKED_PREFIX, stale]);
        const sealed = sealFrame(frame);
        await o.storage.putKvIfAbsent(key, sealed.box);
        await o.storage.driver.query('SELECT pg_notify($1, $2)', [
          channelName,
          JSON.stringify({ t: terminalId, ref: key, k: sealed.key }),
        ]);
        // the listeners read it within milliseconds; remove it soon (the sweep above catches what this misses)
        setTimeout(() => {
          if (!closed) o.storage.driver.run('DELETE FROM kv WHERE key = $1', [key]).catch(() => undefined);
        }, 10_000).unref();
      } else if (o.pg) {
        await o.storage.driver.query('SELECT pg_notify($1, $2)', [
          channelName,
          JSON.stringify({ t: terminalId, f: frame }),
        ]);
      } else {
        deliver(terminalId, frame);
      }
    },
    async kick(terminalId) {
      if (o.pg) {
        await o.storage.driver.query('SELECT pg_notify($1, $2)', [
          channelName,
          JSON.stringify({ t: terminalId, kick: true }),
        ]);
      } else {
        kickHere(terminalId);
      }
    },
    connectedHere: () => [...sockets.keys()],
    onMessage(h) {
      handlers.add(h);
      return () => void handlers.delete(h);
    },
    accept(socket) {
      const nonce = b64u(randomBytes(24));
      let terminalId: string | null = null;
      let lastTouch = 0;
      const authTimer = setTimeout(() => socket.close(4401, 'auth timeout'), o.authTimeoutMs);
      const ping = setInterval(() => {
        if (socket.readyState === 1) socket.ping();
      }, o.pingMs);
      ping.unref();
      const touch = () => {
        const now = o.now();
        if (terminalId && now - lastTouch > 5_000) {
          lastTouch = now;
          void o.storage.touchTerminal(terminalId, now).catch(() => undefined);
        }
      };
      socket.on('pong', touch);
      socket.send(JSON.stringify({ type: 'challenge', nonce }));
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        void (async () => {
          if (isBinary || data.length > 16_384) return socket.close(4400, 'bad frame');
          let msg: { type?: unknown; terminalId?: unknown; sig?: unknown };
          try {
            msg = JSON.parse(data.toString('utf8')) as typeof msg;
          } catch {
            return socket.close(4400, 'bad frame');
          }
          if (terminalId === null) {
            if (msg.type !== 'auth' || typeof msg.terminalId !== 'string' || typeof msg.sig !== 'string') {
              return socket.close(4401, 'auth expected');
            }
            const t = await o.storage.getTerminal(msg.terminalId);
            if (!t) return socket.close(4401, 'unknown terminal');
            const ok = ed25519Verify(
              ed25519PublicFromRaw(t.publicKey),
              channelSigningInput(nonce, t.id),
              fromB64u(msg.sig),
            );
            if (!ok) return socket.close(4401, 'bad signature');
            if (t.revokedAt !== null) return socket.close(4403, 'revoked');
            clearTimeout(authTimer);
            terminalId = t.id;
            let set = sockets.get(t.id);
            if (!set) sockets.set(t.id, (set = new Set()));
            set.add(socket);
            touch();
            socket.send(JSON.stringify({ type: 'ready', terminalId: t.id, serverTime: o.now() }));
            return;
          }
          if (msg.type === 'ping') {
            touch();
            socket.send(JSON.stringify({ type: 'pong', serverTime: o.now() }));
            return;
          }
          for (const h of handlers) h(terminalId, msg);
        })().catch((err: unknown) => {
          o.log.warn({ err: (err as Error).message }, 'kiosk channel: message handling failed');
          socket.close(1011, 'server error');
        });
      });
      socket.on('close', () => {
        clearTimeout(authTimer);
        clearInterval(ping);
        if (terminalId) {
          const set = sockets.get(terminalId);
          set?.delete(socket);
          if (set && set.size === 0) sockets.delete(terminalId);
        }
      });
      socket.on('error', () => undefined);
    },
    async close() {
      closed = true;
      for (const set of sockets.values()) for (const s of set) s.close(1001, 'server closing');
      sockets.clear();
      if (listener) await listener.end().catch(() => undefined);
      listener = null;
    },
  };
  return channel;
}
