// What the backend verifier tells a kiosk about a wallet presentation (over the kiosk channel), and the error
// codes it can carry. Pure types shared by backend/verifier and kiosk/wallet.

export type WalletErrorCode =
  | 'E_WALLET_TX_UNKNOWN'
  | 'E_WALLET_TX_EXPIRED'
  | 'E_WALLET_REPLAYED'
  | 'E_WALLET_STATE_MISMATCH'
  | 'E_WALLET_RESPONSE_INVALID'
  | 'E_WALLET_WALLET_ERROR'
  | 'E_WALLET_ISSUER_UNTRUSTED'
  | 'E_WALLET_SIGNATURE_INVALID'
  | 'E_WALLET_KB_INVALID'
  | 'E_WALLET_NONCE_MISMATCH'
  | 'E_WALLET_AUDIENCE_MISMATCH'
  | 'E_WALLET_KB_STALE'
  | 'E_WALLET_CREDENTIAL_EXPIRED'
  | 'E_WALLET_CREDENTIAL_NOT_YET_VALID'
  | 'E_WALLET_REVOKED'
  | 'E_WALLET_STATUS_UNAVAILABLE'
  | 'E_WALLET_DISCLOSURE_TAMPERED'
  | 'E_WALLET_CLAIMS_MISSING'
  | 'E_WALLET_FORMAT_UNSUPPORTED'
  | 'E_WALLET_RATE_LIMITED';

/** Venue profiles that decide which claims the verifier asks for (kiosk/credentials/wallet/dcql.ts). */
export type WalletProfile = 'internet-cafe' | 'hotel-front-desk' | 'stadium-gate';

export interface WalletVerifiedCredential {
  readonly format: 'dc+sd-jwt';
  readonly vct: string;
  /** Issuer identifier (iss) of the credential. */
  readonly issuer: string;
  /** Trust-list entry used (kid or certificate subject). */
  readonly trustAnchor: string;
  /** Only the claims the DCQL query asked for, as disclosed (nested objects kept). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Credential validity (epoch seconds), if stated. */
  readonly validFrom?: number;
  readonly validTo?: number;
  /** Names of checks that passed (issuer-signature, key-binding, nonce, audience, status, disclosures, dcql). */
  readonly checks: readonly string[];
}

/** Sent to the kiosk that showed the QR (never to another terminal). */
export type WalletResultMessage =
  | {
      readonly type: 'wallet.result';
      readonly ok: true;
      readonly terminalId: string;
      readonly transactionId: string;
      readonly profile: WalletProfile;
      readonly credential: WalletVerifiedCredential;
      /** epoch ms */
      readonly verifiedAt: number;
    }
  | {
      readonly type: 'wallet.result';
      readonly ok: false;
      readonly terminalId: string;
      readonly transactionId: string;
      readonly profile: WalletProfile;
      readonly code: WalletErrorCode;
      /** One line for the attendant/log; never contains personal data. */
      readonly detail: string;
      readonly verifiedAt: number;
    };

/** What the kiosk gets when it asks for a new request QR. */
export interface WalletTransactionTicket {
  readonly transactionId: string;
  /** The openid4vp:// URI to show as a QR (client_id + request_uri only: small QR). */
  readonly uri: string;
  /** epoch ms after which the verifier refuses answers to it. */
  readonly expiresAt: number;
}
