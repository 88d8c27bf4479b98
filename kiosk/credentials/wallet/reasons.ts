// Wallet error codes → the plain reason the kiosk screen shows (ReasonCode) and the machine event. Pure.
import type { ReasonCode } from '../../core/types.ts';
import type { WalletErrorCode } from './messages.ts';

export const WALLET_REASONS: Readonly<Record<WalletErrorCode, ReasonCode>> = {
  E_WALLET_TX_UNKNOWN: 'credential-invalid',
  E_WALLET_TX_EXPIRED: 'timeout',
  E_WALLET_REPLAYED: 'credential-replayed',
  E_WALLET_STATE_MISMATCH: 'credential-invalid',
  E_WALLET_RESPONSE_INVALID: 'credential-invalid',
  E_WALLET_WALLET_ERROR: 'cancelled',
  E_WALLET_ISSUER_UNTRUSTED: 'credential-untrusted',
  E_WALLET_SIGNATURE_INVALID: 'credential-invalid',
  E_WALLET_KB_INVALID: 'credential-invalid',
  E_WALLET_NONCE_MISMATCH: 'credential-replayed',
  E_WALLET_AUDIENCE_MISMATCH: 'credential-invalid',
  E_WALLET_KB_STALE: 'credential-replayed',
  E_WALLET_CREDENTIAL_EXPIRED: 'credential-expired',
  E_WALLET_CREDENTIAL_NOT_YET_VALID: 'credential-not-yet-valid',
  E_WALLET_REVOKED: 'credential-revoked',
  E_WALLET_STATUS_UNAVAILABLE: 'venue-system-down',
  E_WALLET_DISCLOSURE_TAMPERED: 'credential-invalid',
  E_WALLET_CLAIMS_MISSING: 'credential-invalid',
  E_WALLET_FORMAT_UNSUPPORTED: 'credential-invalid',
  E_WALLET_RATE_LIMITED: 'venue-system-down',
};

/** The machine event for a failed wallet check-in: `document.rejected`. */
export interface DocumentRejectedEvent {
  readonly type: 'document.rejected';
  readonly code: WalletErrorCode;
  readonly reason: ReasonCode;
  readonly source: 'wallet';
}

export function walletRejection(code: WalletErrorCode): DocumentRejectedEvent {
  return { type: 'document.rejected', code, reason: WALLET_REASONS[code], source: 'wallet' };
}
