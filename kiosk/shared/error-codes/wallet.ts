// Error codes of the wallet area: code → one-line meaning (what happened and what to do). Append-only.
// Covers the OpenID4VP verifier (backend/verifier), the kiosk's wallet client (kiosk/wallet) and the signed
// identity QR (kiosk/credentials/identity-qr). docs/wallet.md and docs/identity-qr.md list them with their
// ReasonCode (kiosk/credentials/wallet/reasons.ts).
export const walletCodes = {
  // OpenID4VP: the kiosk shows the QR, the wallet posts a presentation
  E_WALLET_TX_UNKNOWN:
    'The response or request names a transaction the verifier does not know (never made or pruned).',
  E_WALLET_TX_EXPIRED:
    'The transaction behind the QR expired before the wallet answered; the kiosk shows a new QR.',
  E_WALLET_REPLAYED:
    'A response for a transaction that was already answered (nonce used once): replay refused.',
  E_WALLET_STATE_MISMATCH: 'The response state does not match the transaction shown by this kiosk.',
  E_WALLET_RESPONSE_INVALID:
    'The authorization response is malformed, cannot be decrypted or lacks the vp_token.',
  E_WALLET_WALLET_ERROR: 'The wallet answered with an OAuth error (for example the person declined).',
  E_WALLET_ISSUER_UNTRUSTED: 'The credential issuer key or certificate chain is not on the trust list.',
  E_WALLET_SIGNATURE_INVALID: 'The credential issuer signature does not verify.',
  E_WALLET_KB_INVALID:
    'The key-binding JWT is missing, unsigned by the credential key, or its sd_hash is wrong.',
  E_WALLET_NONCE_MISMATCH: "The key-binding JWT's nonce is not this transaction's nonce.",
  E_WALLET_AUDIENCE_MISMATCH: "The key-binding JWT's audience is not this verifier's client_id.",
  E_WALLET_KB_STALE: 'The key-binding JWT was issued outside the allowed time window.',
  E_WALLET_CREDENTIAL_EXPIRED: 'The credential has expired (exp in the past, beyond the allowed skew).',
  E_WALLET_CREDENTIAL_NOT_YET_VALID:
    'The credential is not valid yet (nbf/iat in the future, beyond the allowed skew).',
  E_WALLET_REVOKED: 'The status list marks the credential as revoked or suspended.',
  E_WALLET_STATUS_UNAVAILABLE:
    'The status list could not be fetched or verified: revocation cannot be ruled out.',
  E_WALLET_DISCLOSURE_TAMPERED: 'A disclosure does not match any digest the issuer signed.',
  E_WALLET_CLAIMS_MISSING:
    'The presentation does not satisfy the DCQL query (a required claim is not disclosed).',
  E_WALLET_FORMAT_UNSUPPORTED:
    'The credential format is not supported (only dc+sd-jwt; mdoc is not implemented).',
  E_WALLET_RATE_LIMITED: 'Too many requests from this kiosk or IP address; retry after the indicated delay.',
  E_WALLET_BACKEND_UNREACHABLE: 'The kiosk could not reach the verifier to create a transaction; it retries.',
  E_WALLET_UNAUTHENTICATED: 'The terminal is not enrolled or its credentials were refused by the verifier.',
  // Identity QR: the phone shows the QR
  E_IDQR_TOO_LARGE: 'The scanned text or its inflated payload exceeds the size limits; not parsed.',
  E_IDQR_FORMAT: 'The text is not an identity code (prefix, base45, zlib, CBOR or COSE_Sign1 structure).',
  E_IDQR_ALG_UNSUPPORTED: 'The COSE algorithm is not ES256 or EdDSA.',
  E_IDQR_ISSUER_UNTRUSTED: 'The key id (kid) is not on the trust list, or the issuer does not match the key.',
  E_IDQR_SIGNATURE_INVALID: 'The COSE_Sign1 signature does not verify with the trusted key.',
  E_IDQR_EXPIRED: 'The code has expired (exp in the past beyond the allowed clock skew).',
  E_IDQR_NOT_YET_VALID: 'The code was issued in the future (iat beyond the allowed clock skew).',
  E_IDQR_LIFETIME_TOO_LONG: 'The code claims a lifetime longer than the profile allows (exp − iat > 60 s).',
  E_IDQR_CLAIMS_INVALID: 'A required CWT or identity claim is missing or has the wrong type.',
  E_IDQR_REPLAYED: 'This code (issuer + cti) was already used.',
  E_IDQR_KEY_INVALID: 'A key file or trust-list entry could not be read as a JWK.',
  E_QR_IMAGE_UNREADABLE: 'An image could not be read or decoded (PNG/JPEG only).',
} as const satisfies Record<`E_${string}`, string>;
