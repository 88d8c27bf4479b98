// The identity-QR profile (docs/identity-qr.md): which CWT claims a code carries and what they mean. Pure.
import { createHmac } from 'node:crypto';

/** CWT claim keys (RFC 8392 §4). */
export const CWT = { iss: 1, sub: 2, aud: 3, exp: 4, nbf: 5, iat: 6, cti: 7 } as const;
/** Text key of the private claim that holds the identity claims (CWT allows text keys, RFC 8392 §3). */
export const EID_CLAIM = 'eid';

/** The identity claims inside `eid`; short keys keep the QR small. */
export interface IdentityQrClaims {
  /** n: name as on the document */
  readonly name: string;
  /** nl: Latin transcription */
  readonly nameLatin?: string;
  /** b: birth date YYYY-MM-DD */
  readonly birthDate?: string;
  /** nat: ISO 3166-1 alpha-3 */
  readonly nationality?: string;
  /** sx: M, F or X */
  readonly sex?: 'M' | 'F' | 'X';
  /** dn: masked document number as the issuer masked it (e.g. 1101**********002X). Never the full number. */
  readonly maskedDocumentNumber: string;
  /** dt: the underlying document kind (e.g. 'cn-resident-id'). */
  readonly documentKind?: string;
  /** pd: SHA-256 of the issuer's portrait for this person (the code carries no image). */
  readonly portraitDigest?: Uint8Array;
  /** a18: age 18 or over, as the issuer computed it on the day of issue. */
  readonly ageOver18?: boolean;
}

export const EID_KEYS = {
  name: 'n',
  nameLatin: 'nl',
  birthDate: 'b',
  nationality: 'nat',
  sex: 'sx',
  maskedDocumentNumber: 'dn',
  documentKind: 'dt',
  portraitDigest: 'pd',
  ageOver18: 'a18',
} as const satisfies Record<keyof IdentityQrClaims, string>;

/**
 * The issuer-side subject identifier (`sub`): base64url(HMAC-SHA256(issuerSecret, normalised document number)),
 * first 16 bytes. Stable per person and issuer, venue-neutral, and not reversible without the issuer's secret.
 * The kiosk feeds `idqr:<iss>#<sub>` to the venue pseudonym (HMAC under the venue secret) instead of a
 * document number, so a venue can count visits and keep a ban list without ever learning the number.
 */
export function subjectIdFor(documentNumber: string, issuerSecret: Uint8Array): string {
  const normalised = documentNumber.trim().toUpperCase().replace(/\s+/g, '');
  return createHmac('sha256', issuerSecret)
    .update(normalised, 'utf8')
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** What the kiosk uses as `documentNumber` for an identity-QR check-in (pseudonym source, never displayed). */
export function pseudonymSource(iss: string, sub: string): string {
  return `idqr:${iss}#${sub}`;
}
