// A fetch that signs every request as this terminal (kiosk/sync/request-signing.ts: Ed25519 over method, path
// and query, time and the body's SHA-256), for httpWalletBackend's `fetch` option: the backend's verifier then
// knows which enrolled kiosk asked for the QR and sends the result to that kiosk only.
//
//   httpWalletBackend({ verifierUrl, authHeaders: () => ({}), fetch: terminalSignedFetch({ identity }) })
import type { TerminalIdentity } from '../audit/identity.ts';
import { signRequest } from '../sync/request-signing.ts';

export interface TerminalSignedFetchOptions {
  readonly identity: TerminalIdentity;
  /** Server time minus local time (ms), e.g. the audit runtime's BackendClient.clockOffset. */
  readonly clockOffset?: () => number;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

export function terminalSignedFetch(o: TerminalSignedFetchOptions): typeof fetch {
  const doFetch = o.fetch ?? fetch;
  const now = o.now ?? Date.now;
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    if (input instanceof Request) throw new TypeError('terminalSignedFetch takes a URL and init');
    const url = new URL(String(input));
    const method = (init.method ?? 'GET').toUpperCase();
    const body = init.body;
    let raw: Uint8Array;
    if (body === undefined || body === null) raw = new Uint8Array(0);
    else if (typeof body === 'string') raw = Buffer.from(body, 'utf8');
    else if (body instanceof Uint8Array) raw = body;
    else throw new TypeError('terminalSignedFetch signs string or byte bodies only');
    const signed = signRequest(
      o.identity,
      method,
      url.pathname + url.search,
      raw,
      now() + (o.clockOffset?.() ?? 0),
    );
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(signed)) headers.set(k, v);
    return doFetch(url, { ...init, method, headers });
  }) as typeof fetch;
}
