// The kiosk's side of the wallet flow: ask the backend verifier for a transaction (one per QR shown).
import type { WalletProfile, WalletTransactionTicket } from '../credentials/wallet/messages.ts';

export type CreateTransactionResult =
  | { ok: true; ticket: WalletTransactionTicket }
  | {
      ok: false;
      code: 'E_WALLET_BACKEND_UNREACHABLE' | 'E_WALLET_RATE_LIMITED' | 'E_WALLET_UNAUTHENTICATED';
      detail: string;
      retryAfterMs?: number;
    };

export interface WalletBackend {
  createTransaction(profile: WalletProfile, replaces?: string): Promise<CreateTransactionResult>;
}

export interface HttpWalletBackendOptions {
  /** Base URL of the backend (config wallet.verifierUrl); the verifier's routes are under /wallet. */
  readonly verifierUrl: string;
  readonly prefix?: string;
  /** Headers that authenticate this terminal to the backend (the lead provides them from enrolment). */
  readonly authHeaders: () => Promise<Record<string, string>> | Record<string, string>;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export function httpWalletBackend(opts: HttpWalletBackendOptions): WalletBackend {
  const doFetch = opts.fetch ?? fetch;
  const url = opts.verifierUrl.replace(/\/$/, '') + (opts.prefix ?? '/wallet') + '/transactions';
  return {
    async createTransaction(profile, replaces) {
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(await opts.authHeaders()) },
          body: JSON.stringify({ profile, ...(replaces ? { replaces } : {}) }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
        });
      } catch (e) {
        return { ok: false, code: 'E_WALLET_BACKEND_UNREACHABLE', detail: (e as Error).name };
      }
      if (res.status === 201) {
        const t = (await res.json()) as WalletTransactionTicket;
        if (
          typeof t.uri !== 'string' ||
          typeof t.transactionId !== 'string' ||
          typeof t.expiresAt !== 'number'
        )
          return { ok: false, code: 'E_WALLET_BACKEND_UNREACHABLE', detail: 'malformed answer' };
        return { ok: true, ticket: t };
      }
      await res.body?.cancel();
      if (res.status === 401 || res.status === 403)
        return { ok: false, code: 'E_WALLET_UNAUTHENTICATED', detail: `HTTP ${res.status}` };
      if (res.status === 429) {
        const ra = Number(res.headers.get('retry-after') ?? '5');
        return { ok: false, code: 'E_WALLET_RATE_LIMITED', detail: 'HTTP 429', retryAfterMs: ra * 1000 };
      }
      return { ok: false, code: 'E_WALLET_BACKEND_UNREACHABLE', detail: `HTTP ${res.status}` };
    },
  };
}
