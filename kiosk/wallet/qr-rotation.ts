// The rotating wallet request QR on the welcome screen. Every `rotateMs` (≤ 60 s), and at once after a result
// arrived for the QR on screen, the kiosk asks the verifier for a new transaction and cancels the previous one
// (`replaces`), so a photographed QR dies with the next rotation. Emits `{ uri, expiresAt }` for the machine's
// `wallet.qr` event, or `null` while no QR can be shown (backend unreachable: it keeps retrying with backoff).
import type { IdentityDocument } from '../core/types.ts';
import type { WalletProfile, WalletResultMessage } from '../credentials/wallet/messages.ts';
import { walletResultToDocument } from '../credentials/wallet/document.ts';
import { walletRejection } from '../credentials/wallet/reasons.ts';
import type { DocumentRejectedEvent } from '../credentials/wallet/reasons.ts';
import type { WalletBackend } from './backend-client.ts';

export interface WalletQr {
  readonly uri: string;
  /** epoch ms when this QR is replaced (never later than the transaction's own expiry). */
  readonly expiresAt: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export interface WalletQrRotationOptions {
  readonly backend: WalletBackend;
  readonly profile: WalletProfile;
  /** config wallet.qrRotateSeconds × 1000; clamped to 5–60 s. */
  readonly rotateMs: number;
  readonly onQr: (qr: WalletQr | null) => void;
  readonly onError?: (code: string, detail: string) => void;
  readonly timers?: Timers;
  /** First retry delay after a failure; doubles up to 30 s. */
  readonly retryMs?: number;
}

export type WalletMachineEvent =
  { readonly type: 'document.read'; readonly document: IdentityDocument } | DocumentRejectedEvent;

export interface WalletQrRotation {
  stop(): void;
  /** Rotate now (e.g. after a check-in finished). */
  rotateNow(): void;
  readonly currentTransactionId: string | undefined;
  /**
   * A result from the backend (kiosk channel): the machine event for it if it belongs to a QR this kiosk showed
   * (the current one or the one just replaced), else null. Triggers an immediate rotation either way it matches.
   */
  handleResult(message: WalletResultMessage): WalletMachineEvent | null;
}

export function startWalletQrRotation(opts: WalletQrRotationOptions): WalletQrRotation {
  const timers = opts.timers ?? realTimers;
  const rotateMs = Math.min(60_000, Math.max(5_000, opts.rotateMs));
  const baseRetry = opts.retryMs ?? 1_000;
  let retry = baseRetry;
  let current: string | undefined;
  let previous: string | undefined;
  let handle: unknown;
  let stopped = false;
  let inflight = false;
  let again = false;

  const schedule = (ms: number) => {
    if (handle !== undefined) timers.clearTimeout(handle);
    handle = timers.setTimeout(() => void rotate(), ms);
  };

  async function rotate(): Promise<void> {
    if (stopped) return;
    if (inflight) {
      again = true;
      return;
    }
    inflight = true;
    try {
      const r = await opts.backend.createTransaction(opts.profile, current);
      if (stopped) return;
      if (r.ok) {
        previous = current;
        current = r.ticket.transactionId;
        retry = baseRetry;
        const expiresAt = Math.min(r.ticket.expiresAt, timers.now() + rotateMs);
        opts.onQr({ uri: r.ticket.uri, expiresAt });
        schedule(Math.max(1_000, expiresAt - timers.now()));
      } else {
        opts.onQr(null);
        opts.onError?.(r.code, r.detail);
        schedule(Math.max(r.retryAfterMs ?? 0, retry));
        retry = Math.min(30_000, retry * 2);
      }
    } finally {
      inflight = false;
      if (again && !stopped) {
        again = false;
        void rotate();
      }
    }
  }

  void rotate();

  return {
    stop() {
      stopped = true;
      if (handle !== undefined) timers.clearTimeout(handle);
    },
    rotateNow: () => void rotate(),
    get currentTransactionId() {
      return current;
    },
    handleResult(message) {
      if (message.transactionId !== current && message.transactionId !== previous) return null;
      void rotate(); // after each use
      if (message.ok) return { type: 'document.read', document: walletResultToDocument(message) };
      return walletRejection(message.code);
    },
  };
}
