// Fetching Token Status Lists (draft-ietf-oauth-status-list) for revocation checks: bounded size and time,
// cached per URI. The list's own signature is checked by @sd-jwt/sd-jwt-vc through the verifier callback.
export class StatusUnavailableError extends Error {
  override readonly name = 'StatusUnavailableError';
}

export interface StatusListFetcher {
  (uri: string): Promise<string>;
  clear(): void;
}

export function statusListFetcher(opts: {
  cacheSeconds: number;
  timeoutMs: number;
  maxBytes: number;
  allowHttp: boolean;
  fetch?: typeof fetch;
  now?: () => number;
}): StatusListFetcher {
  const cache = new Map<string, { jwt: string; until: number }>();
  const inflight = new Map<string, Promise<string>>();
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? fetch;
  const get = async (uri: string): Promise<string> => {
    const hit = cache.get(uri);
    if (hit && hit.until > now()) return hit.jwt;
    const running = inflight.get(uri);
    if (running) return running;
    const p = (async () => {
      let url: URL;
      try {
        url = new URL(uri);
      } catch {
        throw new StatusUnavailableError('status list uri is not a URL');
      }
      if (url.protocol !== 'https:' && !(opts.allowHttp && url.protocol === 'http:'))
        throw new StatusUnavailableError('status list uri must be https');
      let res: Response;
      try {
        res = await doFetch(url, {
          headers: { accept: 'application/statuslist+jwt' },
          signal: AbortSignal.timeout(opts.timeoutMs),
          redirect: 'error',
        });
      } catch (e) {
        throw new StatusUnavailableError(`status list fetch failed: ${(e as Error).name}`);
      }
      if (!res.ok) throw new StatusUnavailableError(`status list HTTP ${res.status}`);
      const len = Number(res.headers.get('content-length') ?? '0');
      if (len > opts.maxBytes) throw new StatusUnavailableError('status list too large');
      const body = await res.text();
      if (body.length > opts.maxBytes) throw new StatusUnavailableError('status list too large');
      const jwt = body.trim();
      let until = now() + opts.cacheSeconds * 1000;
      try {
        const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
          exp?: number;
          ttl?: number;
        };
        if (typeof payload.exp === 'number') until = Math.min(until, payload.exp * 1000);
        if (typeof payload.ttl === 'number') until = Math.min(until, now() + payload.ttl * 1000);
      } catch {
        // the library rejects a malformed list; nothing cached beyond the default
      }
      cache.set(uri, { jwt, until });
      return jwt;
    })();
    inflight.set(uri, p);
    try {
      return await p;
    } finally {
      inflight.delete(uri);
    }
  };
  return Object.assign(get, { clear: () => cache.clear() });
}
