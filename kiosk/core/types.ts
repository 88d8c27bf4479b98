// Domain types shared by every way in. Pure: no I/O. Full document numbers and photos exist only in memory
// for one check-in; what leaves the machine is masked, pseudonymised or sealed (see ARCHITECTURE, Privacy).

/** How the credential reached the kiosk. */
export type CredentialSource = 'id-card' | 'mrz' | 'wallet' | 'identity-qr';

/** Document kinds the kiosk understands. Append-only. */
export type DocumentType =
  | 'cn-resident-id' // 居民身份证 (SAM reader, text block type ' ')
  | 'cn-hmt-residence-permit' // 港澳台居民居住证 ('J')
  | 'cn-foreign-permanent-2017' // 外国人永久居留身份证 2017 ('I')
  | 'cn-foreign-permanent-2023' // 2023 edition ('Y')
  | 'passport' // ICAO TD3
  | 'id-td1'
  | 'id-td2'
  | 'visa-mrv-a'
  | 'visa-mrv-b'
  | 'cn-travel-permit' // 往来港澳/台湾通行证 (CS/CD/CT lines)
  | 'wallet-pid' // SD-JWT VC / mdoc person identification data
  | 'identity-qr'; // signed identity code shown by a phone

export type Sex = 'M' | 'F' | 'X';

/** One verification step on the credential itself (check digit, signature, validity ...). */
export interface CredentialCheck {
  /** e.g. 'id-number.check-digit', 'mrz.composite', 'sd-jwt.issuer-signature', 'validity.expiry' */
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface Portrait {
  readonly format: 'jpeg' | 'png' | 'bmp' | 'raw-bgr';
  readonly bytes: Uint8Array;
  readonly width?: number;
  readonly height?: number;
}

/** A credential that has been read and parsed (and, for wallets and QR codes, cryptographically verified). */
export interface IdentityDocument {
  readonly source: CredentialSource;
  readonly documentType: DocumentType;
  /** Full number, in memory only. Never log it: use mask.ts or the venue pseudonym. */
  readonly documentNumber: string;
  /** Name as printed (Chinese for CN cards; primary identifier for MRZ). */
  readonly name: string;
  readonly nameLatin?: string;
  readonly sex?: Sex;
  /** ISO date YYYY-MM-DD. */
  readonly birthDate?: string;
  /** ISO 3166-1 alpha-3 (CHN for resident ID cards). */
  readonly nationality?: string;
  readonly issuer?: string;
  /** ISO dates; validTo 'long-term' for 长期. */
  readonly validFrom?: string;
  readonly validTo?: string | 'long-term';
  readonly portrait?: Portrait;
  /** Checks already done by the parser/verifier; any `ok: false` makes the credential invalid. */
  readonly checks: readonly CredentialCheck[];
  /** Wallet / identity-QR: the claims disclosed (e.g. { age_over_18: true }). */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Wallet / QR: issuer key id or trust-list entry used. */
  readonly trustAnchor?: string;
}

/** Outcome of the real-person check (face engine). Scores only; no biometric data. */
export type FaceOutcome =
  | 'match'
  | 'no-match'
  | 'spoof' // passive anti-spoofing rejected
  | 'challenge-failed' // active liveness challenge not performed in time
  | 'no-face'
  | 'quality' // never got a usable frame (blur, light, size, pose)
  | 'no-reference' // the credential carries no usable portrait
  | 'camera-lost'
  | 'skipped'; // venue policy needs no face check for this credential

export interface FaceResult {
  readonly outcome: FaceOutcome;
  readonly score?: number;
  readonly threshold?: number;
  /** The false-match rate the threshold was calibrated for, e.g. 5e-4. */
  readonly fmr?: number;
  readonly liveness?: number;
  readonly challenge?: readonly ChallengeStep[];
  readonly detail?: string;
}

export type ChallengeStep = 'turn-left' | 'turn-right' | 'blink';

/** What the face step tells the person while it runs (drives the face screen). */
export type FaceHint =
  | 'look-at-camera'
  | 'move-closer'
  | 'move-back'
  | 'face-the-camera'
  | 'more-light'
  | 'hold-still'
  | 'one-person-only'
  | ChallengeStep
  | 'matching'
  | 'less-light'; // over-exposed face: step out of direct light

export type DecisionOutcome = 'pass' | 'deny' | 'review';

/** Reason codes for decisions. Append-only; each has an i18n key `reason.<code>` in the renderer. */
export type ReasonCode =
  | 'ok'
  | 'credential-invalid'
  | 'credential-expired'
  | 'credential-not-yet-valid'
  | 'credential-untrusted'
  | 'credential-revoked'
  | 'credential-replayed'
  | 'face-no-match'
  | 'face-spoof'
  | 'face-challenge-failed'
  | 'face-no-usable-image'
  | 'face-no-reference'
  | 'underage'
  | 'already-active-session'
  | 'no-ticket'
  | 'ticket-used'
  | 'ticket-wrong-gate'
  | 'ticket-outside-window'
  | 'banned'
  | 'no-booking'
  | 'venue-system-down'
  | 'attendant-approved'
  | 'attendant-denied'
  | 'cancelled'
  | 'timeout'
  | 'policy-review'; // the policy could not decide alone

export interface Decision {
  readonly outcome: DecisionOutcome;
  readonly reason: ReasonCode;
  /** Free text for the attendant (never shown raw to the person; never contains PII). */
  readonly note?: string;
  /** Which threshold/FMR the face part of the decision used. */
  readonly face?: FaceResult;
}

/** What the venue did on pass (gate opened, session registered, guest filed). */
export interface ActionResult {
  readonly ok: boolean;
  /** e.g. seat/session code for an internet café, room for a hotel. Shown on the result screen. */
  readonly displayCode?: string;
  readonly reason?: ReasonCode;
  readonly detail?: string;
}

export type DeviceName = 'reader' | 'mrz' | 'scanner' | 'camera' | 'relay' | 'backend';
