// The kiosk's HTTP client to the backend: signed requests, and a clock offset learned from the backend so a
// kiosk whose clock jumped still authenticates (the backend answers E_BACKEND_CLOCK_SKEW with its time).
import type { TerminalIdentity } from '../audit/identity.ts';
import { signRequest } from './request-signing.ts';

export interface BackendAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T & { code?: string; message?: string };
}

export interface BackendClient {
  request<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<BackendAnswer<T>>;
  /** Server time minus local time, as last learned (ms). */
  clockOffset(): number;
}

export function createBackendClient(o: {
  backendUrl: string;
  identity: TerminalIdentity;
  now?: () => number;
  timeoutMs?: number;
}): BackendClient {
  const base = o.backendUrl.replace(/\/+$/, '');
  const now = o.now ?? Date.now;
  let offset = 0;
  async function once<T>(
    method: string,
    path: string,
    raw: Buffer,
    signal?: AbortSignal,
  ): Promise<BackendAnswer<T>> {
    const headers: Record<string, string> = signRequest(o.identity, method, path, raw, now() + offset);
    if (raw.length > 0) headers['content-type'] = 'application/json';
    const res = await fetch(base + path, {
      method,
      headers,
      ...(raw.length > 0 ? { body: raw.toString('utf8') } : {}),
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(o.timeoutMs ?? 15_000)])
        : AbortSignal.timeout(o.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    let body: BackendAnswer<T>['body'];
    try {
      body = (text ? JSON.parse(text) : {}) as BackendAnswer<T>['body'];
    } catch {
      body = {
        code: 'E_SYNC_BACKEND_DOWN',
        message: `non-JSON answer (${res.status})`,
      } as BackendAnswer<T>['body'];
    }
    return { status: res.status, body };
  }
  return {
    async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal) {
      const raw = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
      let r = await once<T>(method, path, raw, signal);
      const serverTime = (r.body as { serverTime?: unknown }).serverTime;
      if (r.status === 401 && r.body.code === 'E_BACKEND_CLOCK_SKEW' && typeof serverTime === 'number') {
        offset = serverTime - now();
        r = await once<T>(method, path, raw, signal);
      }
      return r;
    },
    clockOffset: () => offset,
  };
}
