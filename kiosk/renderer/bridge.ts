// The renderer's only way out: the preload's bridge in Electron, else a WebSocket to kiosk/host speaking the
// same contract. Every push is parsed with the contract's schema before a screen sees it.
import type {
  InvokeChannel,
  InvokeInput,
  InvokeOutput,
  KioskBridge,
  PushChannel,
  PushPayload,
  Result,
  WsServerMessage,
} from '../shared/contract.ts';
import { fail, pushChannels, wsServerMessageSchema } from '../shared/contract.ts';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface RendererBridge extends KioskBridge {
  onStatus(listener: (status: ConnectionStatus) => void): void;
}

declare global {
  interface Window {
    kioskBridge?: KioskBridge;
  }
}

type Listener = (payload: unknown) => void;

function parsePush(channel: PushChannel, payload: unknown): unknown {
  const r = pushChannels[channel].safeParse(payload);
  return r.success ? r.data : undefined;
}

export function connectBridge(): RendererBridge {
  const preload = window.kioskBridge;
  if (preload) {
    return {
      invoke: (c, p) => preload.invoke(c, p),
      on: (channel, listener) =>
        preload.on(channel, (payload) => {
          const parsed = parsePush(channel, payload);
          if (parsed !== undefined) listener(parsed as never);
        }),
      onStatus: (l) => l('open'),
    };
  }
  return wsBridge(`ws://${location.host}/ws`);
}

function wsBridge(url: string): RendererBridge {
  const listeners = new Map<PushChannel, Set<Listener>>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  const pending = new Map<number, (r: Result<unknown>) => void>();
  let nextId = 1;
  let ws: WebSocket | null = null;
  let backoff = 250;

  const setStatus = (s: ConnectionStatus) => statusListeners.forEach((l) => l(s));

  const open = () => {
    setStatus('connecting');
    const sock = new WebSocket(url);
    ws = sock;
    sock.addEventListener('open', () => {
      backoff = 250;
      setStatus('open');
    });
    sock.addEventListener('message', (ev) => {
      let msg: WsServerMessage;
      try {
        const parsed = wsServerMessageSchema.safeParse(JSON.parse(String(ev.data)));
        if (!parsed.success) return;
        msg = parsed.data as WsServerMessage;
      } catch {
        return;
      }
      if (msg.kind === 'result') {
        pending.get(msg.id)?.(msg.result);
        pending.delete(msg.id);
      } else {
        const payload = parsePush(msg.channel, msg.payload);
        if (payload !== undefined) listeners.get(msg.channel)?.forEach((l) => l(payload));
      }
    });
    sock.addEventListener('close', () => {
      ws = null;
      for (const resolve of pending.values()) resolve(fail('E_IPC_DISCONNECTED', 'connection closed'));
      pending.clear();
      setStatus('closed');
      setTimeout(open, backoff);
      backoff = Math.min(backoff * 2, 5000);
    });
  };
  open();

  return {
    invoke<C extends InvokeChannel>(channel: C, payload: InvokeInput<C>): Promise<Result<InvokeOutput<C>>> {
      return new Promise((resolve) => {
        if (!ws || ws.readyState !== WebSocket.OPEN) {
          resolve(fail('E_IPC_DISCONNECTED', 'not connected'));
          return;
        }
        const id = nextId++;
        pending.set(id, resolve as (r: Result<unknown>) => void);
        ws.send(JSON.stringify({ kind: 'invoke', id, channel, payload }));
      });
    },
    on<C extends PushChannel>(channel: C, listener: (payload: PushPayload<C>) => void): () => void {
      const set = listeners.get(channel) ?? new Set<Listener>();
      listeners.set(channel, set);
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
    },
  };
}
