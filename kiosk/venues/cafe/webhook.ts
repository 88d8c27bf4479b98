// The billing-system webhook (docs/venues.md, "Billing webhook"): JSON body, HMAC-SHA256 over
// `<timestamp>.<body>` in X-Eid-Signature, the same Idempotency-Key on every retry, exponential back-off.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HEADER_TIMESTAMP = 'x-eid-timestamp';
export const HEADER_SIGNATURE = 'x-eid-signature';
export const HEADER_IDEMPOTENCY = 'idempotency-key';

/** `v1=` + hex HMAC-SHA256(secret, `${timestamp}.${body}`); timestamp in Unix seconds. */
export function sign(secret: string | Uint8Array, timestamp: number, body: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Checks a signature header (constant time) and that the timestamp is within `toleranceSeconds` of now. */
export function verify(
  secret: string | Uint8Array,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowMs: number,
  toleranceSeconds: number,
): { ok: true } | { ok: false; why: string } {
  const ts = Number(headers.timestamp);
  if (!headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp)) return { ok: false, why: 'no timestamp' };
  if (Math.abs(nowMs / 1000 - ts) > toleranceSeconds) return { ok: false, why: 'stale timestamp' };
  const want = Buffer.from(sign(secret, ts, body));
  // Several signatures may be sent during a secret rotation: "v1=aa..,v1=bb..".
  const got = (headers.signature ?? '').split(',').map((s) => Buffer.from(s.trim()));
  if (got.some((g) => g.length === want.length && timingSafeEqual(g, want))) return { ok: true };
  return { ok: false, why: 'bad signature' };
}

export interface DeliveryOptions {
  readonly url: string;
  readonly secret: string | Uint8Array;
  readonly body: string;
  readonly idempotencyKey: string;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  readonly clock: () => number;
  readonly random?: () => number;
}

export type Delivery =
  | { readonly ok: true; readonly status: number; readonly json: unknown; readonly attempts: number }
  | {
      readonly ok: false;
      /** down: never answered usefully (network, timeout, 5xx, 429); refused: a 4xx; conflict: 409. */
      readonly kind: 'down' | 'refused' | 'conflict';
      readonly status?: number;
      readonly detail: string;
      readonly attempts: number;
    };

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Posts the signed body, retrying network errors, timeouts, 408/425/429 and 5xx with back-off. */
export async function deliver(o: DeliveryOptions): Promise<Delivery> {
  const random = o.random ?? Math.random;
  let detail = '';
  let status: number | undefined;
  for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
    // Signed afresh per attempt: the timestamp is the attempt's, the body and key are the same.
    const ts = Math.floor(o.clock() / 1000);
    let retryAfterMs = 0;
    try {
      const res = await o.fetch(o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [HEADER_TIMESTAMP]: String(ts),
          [HEADER_SIGNATURE]: sign(o.secret, ts, o.body),
          [HEADER_IDEMPOTENCY]: o.idempotencyKey,
        },
        body: o.body,
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      status = res.status;
      const text = await res.text();
      if (res.ok) {
        let json: unknown;
        try {
          json = text === '' ? {} : JSON.parse(text);
        } catch {
          return {
            ok: false,
            kind: 'down',
            status,
            detail: 'billing answered with invalid JSON',
            attempts: attempt,
          };
        }
        return { ok: true, status, json, attempts: attempt };
      }
      if (res.status === 409)
        return { ok: false, kind: 'conflict', status, detail: 'HTTP 409', attempts: attempt };
      if (!RETRYABLE.has(res.status)) {
        return { ok: false, kind: 'refused', status, detail: `HTTP ${res.status}`, attempts: attempt };
      }
      detail = `HTTP ${res.status}`;
      const ra = Number(res.headers.get('retry-after'));
      if (Number.isFinite(ra) && ra > 0) retryAfterMs = Math.min(ra * 1000, 10_000);
    } catch (e) {
      const err = e as Error;
      detail = err.name === 'TimeoutError' ? `no answer within ${o.timeoutMs} ms` : `network: ${err.message}`;
      status = undefined;
    }
    if (attempt < o.maxAttempts) {
      const base = o.backoffMs * 2 ** (attempt - 1);
      await o.sleep(Math.max(retryAfterMs, Math.round(base * (0.8 + 0.4 * random()))));
    }
  }
  return {
    ok: false,
    kind: 'down',
    ...(status !== undefined ? { status } : {}),
    detail: `${detail} after ${o.maxAttempts} attempts`,
    attempts: o.maxAttempts,
  };
}
