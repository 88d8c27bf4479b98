// kiosk/host: the same screens served to a browser (Chromium app/kiosk mode, e2e tests) over HTTP and a
// WebSocket on the loopback interface. Static renderer bundle from memory, one WebSocket speaking the typed
// contract (kiosk/shared/contract.ts) through the shared router, strict CSP, localhost origins only.
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WsServerMessage } from '../shared/contract.ts';
import { WS_MAX_PAYLOAD, describe, fail, wsClientMessageSchema } from '../shared/contract.ts';
import type { Router } from '../main/router.ts';
import { LOOPBACK_HOSTS, allowedHosts, allowedOrigins, securityHeaders } from './security.ts';

/** A camera preview the face adapter can serve (an MJPEG stream, a JPEG, an SVG ...). */
export interface PreviewSource {
  (): { contentType: string; body: Buffer | NodeJS.ReadableStream };
}

export interface HostOptions {
  readonly router: Router;
  /** Serve /demo (the demo panel page). The router independently refuses demo calls outside demo mode. */
  readonly demo: boolean;
  /** dist/renderer, as built by scripts/build-renderer.ts */
  readonly rendererDir: string;
  /** 0 (default): a free port. */
  readonly port?: number;
  /** Must be a loopback address. */
  readonly host?: string;
  readonly preview?: PreviewSource;
  /** Refused requests (no payloads). */
  readonly onRefused?: (what: string, detail: string) => void;
}

export interface Host {
  readonly url: string;
  readonly port: number;
  /** Number of open WebSocket clients. */
  clients(): number;
  close(): Promise<void>;
}

const FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/styles.css': ['styles.css', 'text/css; charset=utf-8'],
} as const;
const DEMO_FILES = {
  '/demo': ['demo.html', 'text/html; charset=utf-8'],
  '/demo.js': ['demo.js', 'text/javascript; charset=utf-8'],
} as const;

const ICON = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect x="6" y="14" width="52" height="36" rx="5" fill="#0f2a4a"/>' +
    '<circle cx="22" cy="30" r="6" fill="#fff"/><path d="M36 26h14M36 34h14M36 42h9" stroke="#fff" stroke-width="4"/></svg>',
);

/** A neutral silhouette shown until a camera preview is provided. */
const PLACEHOLDER_PREVIEW = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 480"><rect width="640" height="480" fill="#1f2937"/>' +
    '<ellipse cx="320" cy="210" rx="110" ry="140" fill="none" stroke="#9ca3af" stroke-width="8" stroke-dasharray="24 16"/>' +
    '<path d="M150 480c20-90 90-130 170-130s150 40 170 130" fill="none" stroke="#9ca3af" stroke-width="8"/></svg>',
);

export async function startHost(opts: HostOptions): Promise<Host> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`kiosk/host binds to loopback only, not ${host}`);

  const assets = new Map<string, { body: Buffer; type: string }>();
  const table: Record<string, readonly [string, string]> = { ...FILES, ...(opts.demo ? DEMO_FILES : {}) };
  for (const [route, [file, type]] of Object.entries(table)) {
    assets.set(route, { body: await readFile(join(opts.rendererDir, file)), type });
  }

  const app = Fastify({
    logger: false,
    bodyLimit: 1024,
    return503OnClosing: true,
    forceCloseConnections: true,
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: WS_MAX_PAYLOAD } });
  let port = 0;
  let sockets = 0;

  const refuse = (reply: FastifyReply, what: string, detail: string) => {
    opts.onRefused?.(what, detail);
    return reply.code(403).type('text/plain').send('forbidden');
  };

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    reply.headers(securityHeaders(port));
    if (!allowedHosts(port).has(req.headers.host ?? ''))
      return refuse(reply, 'host', String(req.headers.host).slice(0, 80));
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(reply, 'method', req.method);
    return undefined;
  });

  for (const [route, asset] of assets) {
    app.get(route, async (_req, reply) => reply.type(asset.type).send(asset.body));
  }

  // Browsers ask for an icon; answer one rather than a 404 (which they log as a console error).
  app.get('/favicon.ico', async (_req, reply) => reply.type('image/svg+xml').send(ICON));

  app.get('/camera/preview', async (_req, reply) => {
    if (opts.preview) {
      const p = opts.preview();
      return reply.type(p.contentType).send(p.body);
    }
    return reply.type('image/svg+xml').send(PLACEHOLDER_PREVIEW);
  });

  app.get(
    '/ws',
    {
      websocket: true,
      preValidation: async (req, reply) => {
        const origin = req.headers.origin ?? '';
        if (!allowedOrigins(port).has(origin)) return refuse(reply, 'origin', origin.slice(0, 80));
        return undefined;
      },
    },
    (socket) => {
      sockets++;
      const send = (m: WsServerMessage) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(m));
      };
      const off = opts.router.onPush((channel, payload) => send({ kind: 'push', channel, payload }));
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) {
          opts.onRefused?.('ws', 'binary frame');
          return;
        }
        let raw: unknown;
        try {
          raw = JSON.parse(data.toString('utf8'));
        } catch {
          opts.onRefused?.('ws', 'not JSON');
          return;
        }
        const msg = wsClientMessageSchema.safeParse(raw);
        if (!msg.success) {
          const id = (raw as { id?: unknown } | null)?.id;
          if (typeof id === 'number')
            send({ kind: 'result', id, result: fail('E_IPC_INVALID_PAYLOAD', describe(msg.error)) });
          opts.onRefused?.('ws', 'bad frame');
          return;
        }
        void opts.router
          .invoke(msg.data.channel, msg.data.payload)
          .then((result) => send({ kind: 'result', id: msg.data.id, result }));
      });
      socket.on('close', () => {
        sockets--;
        off();
      });
    },
  );

  await app.listen({ host, port: opts.port ?? 0 });
  const addr = app.server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  const shown = host === '::1' ? '[::1]' : host;
  return {
    url: `http://${shown}:${port}`,
    port,
    clients: () => sockets,
    close: () => app.close(),
  };
}
