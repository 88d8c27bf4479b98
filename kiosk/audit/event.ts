// The audit event: what the kiosk records, hashes, signs and syncs. Never a full document number, MRZ,
// photo or embedding: the person is a venue pseudonym, display fields are masked, and personal data a venue
// must keep is sealed to the backend's key (the event carries only the box's digest).
import type {
  CredentialSource,
  Decision,
  DeviceName,
  DocumentType,
  FaceResult,
  IdentityDocument,
  ReasonCode,
} from '../core/types.ts';
import type { SealedBox } from './crypto.ts';
import type { AuditInput, CheckInStage, DecidedBy } from '../core/audit-input.ts';

export const EVENT_VERSION = 1;
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Events the audit area records itself, beside the machine's AuditInput (kiosk/core/audit-input.ts).
 * Together they are what `append` takes (AuditStoreInput).
 */
export type AuditRecordInput =
  /** An attendant review resolved elsewhere: by the dashboard (arrived over the kiosk channel). */
  | {
      readonly type: 'review.resolved';
      readonly at?: number;
      readonly checkInId: string;
      readonly approved: boolean;
      /** The reviewer's reason (free text, no personal data). */
      readonly reason: string;
      readonly by: 'attendant' | 'backend';
      readonly reviewId?: string;
    }
  | { readonly type: 'system.started' | 'system.stopped'; readonly at?: number; readonly version?: string }
  | {
      readonly type: 'audit.purged';
      readonly at?: number;
      readonly throughSeq: number;
      readonly count: number;
    }
  | { readonly type: 'sync.fault'; readonly at?: number; readonly code: string; readonly detail?: string };

/** What the store's append takes: the machine's AuditInput or one of the audit area's own records. */
export type AuditStoreInput = AuditInput | AuditRecordInput;

export type AuditEventType = AuditStoreInput['type'];

/** The face part as stored: fractions as canonical decimal strings (see canonical.ts). */
export interface StoredFace {
  readonly outcome: FaceResult['outcome'];
  readonly score?: string;
  readonly threshold?: string;
  readonly fmr?: string;
  readonly liveness?: string;
}

/** The body of an event (hashed and signed). Every field optional; which appear depends on the type. */
export interface EventBody {
  /** `<store session>:<machine check-in seq>`: groups the events of one check-in. */
  readonly checkInId?: string | undefined;
  readonly source?: CredentialSource | undefined;
  readonly documentType?: DocumentType | undefined;
  /** HMAC-SHA256 of the normalised document number under the venue secret (base64url). */
  readonly pseudonym?: string | undefined;
  readonly masked?: { readonly name?: string | undefined; readonly number?: string | undefined } | undefined;
  readonly decision?:
    | {
        readonly outcome: Decision['outcome'];
        readonly reason: ReasonCode;
        readonly note?: string | undefined;
      }
    | undefined;
  readonly decidedBy?: DecidedBy | undefined;
  readonly face?: StoredFace | undefined;
  readonly action?:
    | {
        readonly ok: boolean;
        readonly displayCode?: string | undefined;
        readonly reason?: string | undefined;
        readonly detail?: string | undefined;
      }
    | undefined;
  /** The sealed personal data travels beside the event; the body commits to it by digest. */
  readonly sealed?: { readonly digest: string; readonly fields: readonly string[] } | undefined;
  readonly stage?: CheckInStage | undefined;
  readonly outcome?: string | undefined;
  readonly reason?: string | undefined;
  readonly reviewReason?: string | undefined;
  readonly note?: string | undefined;
  readonly approved?: boolean | undefined;
  readonly by?: string | undefined;
  readonly reviewId?: string | undefined;
  readonly device?: DeviceName | undefined;
  readonly required?: boolean | undefined;
  readonly code?: string | undefined;
  readonly attemptsLeft?: number | undefined;
  readonly until?: number | undefined;
  readonly why?: string | undefined;
  readonly detail?: string | undefined;
  readonly version?: string | undefined;
  readonly throughSeq?: number | undefined;
  readonly count?: number | undefined;
}

/** The hashed header + body. */
export interface EventCore {
  readonly v: typeof EVENT_VERSION;
  readonly terminalId: string;
  readonly seq: number;
  /** Wall-clock epoch ms when recorded: informational only; order is seq. */
  readonly time: number;
  readonly type: AuditEventType;
  readonly prevHash: string;
  readonly body: EventBody;
}

export interface StoredEvent extends EventCore {
  /** SHA-256 (hex) of the canonical encoding of the EventCore. */
  readonly hash: string;
  /** Ed25519 signature (base64url) over SIGNING_PREFIX ‖ hash bytes. */
  readonly sig: string;
  /** The sealed personal data, when kept (not hashed itself: body.sealed.digest commits to it). */
  readonly sealed?: SealedBox;
}

/** The context bound to a sealed box as AAD. */
export function sealContext(
  e: Pick<EventCore, 'terminalId' | 'seq' | 'type'>,
): Record<string, string | number> {
  return { v: EVENT_VERSION, terminalId: e.terminalId, seq: e.seq, type: e.type };
}

/** The IdentityDocument fields a venue may keep (sealed). Never the portrait. */
export const SEALABLE_FIELDS = [
  'source',
  'documentType',
  'documentNumber',
  'name',
  'nameLatin',
  'sex',
  'birthDate',
  'nationality',
  'issuer',
  'validFrom',
  'validTo',
] as const satisfies readonly (keyof IdentityDocument)[];
export type SealableField = (typeof SEALABLE_FIELDS)[number];
