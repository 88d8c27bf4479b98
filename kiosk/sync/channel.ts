// The kiosk end of the kiosk channel: a WebSocket to the backend, authenticated by signing the server's
// challenge, reconnecting with exponential backoff and jitter. Messages the backend pushes (verified wallet
// results, review decisions) arrive at onMessage.
import WebSocket from 'ws';
import { b64u } from '../audit/crypto.ts';
import type { TerminalIdentity } from '../audit/identity.ts';
import { channelSigningInput } from './request-signing.ts';

/** Largest frame the kiosk accepts: the backend's MAX_CHANNEL_MESSAGE_BYTES (1 MiB; a wallet result with a
 *  portrait is tens of KB) plus headroom. */
const MAX_FRAME_BYTES = 1_100_000;

export type ChannelState = 'connecting' | 'ready' | 'closed' | 'revoked';

export interface KioskChannelOptions {
  /** ws(s)://host:port/v1/channel (an http(s) URL is turned into ws(s)). */
  readonly url: string;
  readonly identity: TerminalIdentity;
  readonly onMessage: (body: unknown, meta: { id: string }) => void;
  readonly onState?: (state: ChannelState, detail?: string) => void;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Send an application ping this often (ms) so the backend sees the terminal online. */
  readonly pingMs?: number;
}

export function channelUrl(url: string): string {
  const u = url.replace(/^http(s?):\/\//, 'ws$1://');
  return /\/v1\/channel$/.test(u) ? u : u.replace(/\/+$/, '') + '/v1/channel';
}

export function connectKioskChannel(o: KioskChannelOptions): { close(): void; state(): ChannelState } {
  const base = o.retryBaseMs ?? 500;
  const cap = o.retryMaxMs ?? 30_000;
  let attempt = 0;
  let closed = false;
  let ws: WebSocket | null = null;
  let timer: NodeJS.Timeout | null = null;
  let ping: NodeJS.Timeout | null = null;
  let state: ChannelState = 'connecting';
  const setState = (s: ChannelState, d?: string) => {
    state = s;
    o.onState?.(s, d);
  };

  function schedule(): void {
    if (closed) return;
    const d = Math.max(50, Math.random() * Math.min(cap, base * 2 ** Math.min(attempt, 20)));
    attempt++;
    timer = setTimeout(open, d);
  }

  function open(): void {
    timer = null;
    if (closed) return;
    setState('connecting');
    const sock = new WebSocket(channelUrl(o.url), { handshakeTimeout: 10_000, maxPayload: MAX_FRAME_BYTES });
    ws = sock;
    sock.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: { type?: unknown; nonce?: unknown; id?: unknown; body?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return;
      }
      if (msg.type === 'challenge' && typeof msg.nonce === 'string') {
        const sig = b64u(o.identity.sign(channelSigningInput(msg.nonce, o.identity.terminalId)));
        sock.send(JSON.stringify({ type: 'auth', terminalId: o.identity.terminalId, sig }));
      } else if (msg.type === 'ready') {
        attempt = 0;
        setState('ready');
        if (o.pingMs) {
          ping = setInterval(() => {
            if (sock.readyState === WebSocket.OPEN) sock.send(JSON.stringify({ type: 'ping' }));
          }, o.pingMs);
        }
      } else if (msg.type === 'message') {
        try {
          o.onMessage(msg.body, { id: String(msg.id) });
        } catch {
          // the handler's fault is not the channel's
        }
      }
    });
    sock.on('close', (code, reason) => {
      if (ping) clearInterval(ping);
      ping = null;
      ws = null;
      if (closed) return;
      if (code === 4403) {
        // revoked: no point retrying fast; try again at the slowest pace (re-enrolment changes the key)
        setState('revoked', reason.toString());
        attempt = 30;
      } else {
        setState('closed', `${code} ${reason.toString()}`);
      }
      schedule();
    });
    sock.on('error', () => {
      // 'close' follows and schedules the retry
    });
  }

  open();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (ping) clearInterval(ping);
      ws?.close(1000, 'kiosk closing');
      ws?.terminate();
      setState('closed', 'closed by kiosk');
    },
    state: () => state,
  };
}
