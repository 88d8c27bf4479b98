// What the check-in machine asks the audit store to record (the `audit` action's params). Pure types.
// Events may carry the in-memory IdentityDocument: the audit store pseudonymises or seals it. The machine
// never masks or hashes for the log itself. `at` is the machine's clock (SimulatedClock in tests); `seq`
// numbers the check-ins since the machine started, so the events of one check-in can be grouped.
import type {
  ActionResult,
  CredentialSource,
  Decision,
  DecisionOutcome,
  DeviceName,
  FaceResult,
  IdentityDocument,
  ReasonCode,
} from './types.ts';

/** Where in a check-in something happened. */
export type CheckInStage =
  'checkingCredential' | 'capturingFace' | 'deciding' | 'acting' | 'reviewing' | 'result';

/** Who made a decision: the credential check, the venue policy, the machine (failure/timeout), an attendant. */
export type DecidedBy = 'credential-check' | 'policy' | 'machine' | 'attendant';

interface Base {
  /** When it happened, epoch ms on the machine's clock. The machine always sets it; others may omit it. */
  readonly at?: number;
}
interface OfCheckIn extends Base {
  readonly seq: number;
}

export type AuditInput =
  /** A credential was accepted for a check-in (it starts now). */
  | (OfCheckIn & { readonly type: 'checkin.started'; readonly document: IdentityDocument })
  /** The final decision of a check-in: exactly one per check-in that reaches a decision. */
  | (OfCheckIn & {
      readonly type: 'checkin.decision';
      readonly document: IdentityDocument;
      readonly decision: Decision;
      readonly decidedBy: DecidedBy;
      readonly face?: FaceResult;
      readonly action?: ActionResult;
    })
  /** The check-in went to attendant review (not yet a decision). */
  | (OfCheckIn & {
      readonly type: 'checkin.review';
      readonly document: IdentityDocument;
      readonly reason: ReasonCode;
      readonly decidedBy: DecidedBy;
      readonly face?: FaceResult;
      readonly note?: string;
    })
  | (OfCheckIn & {
      readonly type: 'checkin.cancelled';
      readonly stage: CheckInStage;
      readonly document: IdentityDocument;
    })
  | (OfCheckIn & {
      readonly type: 'checkin.timeout';
      readonly stage: CheckInStage;
      readonly document: IdentityDocument;
    })
  /** A required device was lost during a check-in; the check-in ends without a decision. */
  | (OfCheckIn & {
      readonly type: 'checkin.aborted';
      readonly stage: CheckInStage;
      readonly device: DeviceName;
      readonly document: IdentityDocument;
    })
  /** A credential arrived while a check-in was running; it was refused and the check-in left untouched. */
  | (OfCheckIn & {
      readonly type: 'credential.refused-second';
      readonly source: CredentialSource;
      readonly document?: IdentityDocument;
      readonly code?: string;
      readonly reason?: ReasonCode;
    })
  /** A reader or verifier rejected a credential before any check-in (forged or expired QR, bad card read). */
  | (Base & {
      readonly type: 'credential.rejected';
      readonly source: CredentialSource;
      readonly code: string;
      readonly reason: ReasonCode;
    })
  | (Base & { readonly type: 'device.lost'; readonly device: DeviceName; readonly required: boolean })
  | (Base & { readonly type: 'device.ready'; readonly device: DeviceName })
  | (Base & { readonly type: 'attendant.login' })
  | (Base & { readonly type: 'attendant.login-failed'; readonly attemptsLeft: number })
  | (Base & { readonly type: 'attendant.lockout'; readonly until: number })
  | (Base & { readonly type: 'attendant.logout'; readonly why: 'closed' | 'idle' })
  /** An attendant decided a check-in (in review, or as an override while it ran). */
  | (OfCheckIn & {
      readonly type: 'attendant.decision';
      readonly outcome: Exclude<DecisionOutcome, 'review'>;
      readonly reason: ReasonCode;
      readonly note?: string;
      /** Why the check-in was in review, if it was. */
      readonly reviewReason?: ReasonCode;
      readonly stage: CheckInStage;
      readonly document: IdentityDocument;
    });

export type AuditType = AuditInput['type'];

/** Every AuditInput type, for docs and tests (the compiler keeps it complete). */
export const AUDIT_TYPES = [
  'checkin.started',
  'checkin.decision',
  'checkin.review',
  'checkin.cancelled',
  'checkin.timeout',
  'checkin.aborted',
  'credential.refused-second',
  'credential.rejected',
  'device.lost',
  'device.ready',
  'attendant.login',
  'attendant.login-failed',
  'attendant.lockout',
  'attendant.logout',
  'attendant.decision',
] as const satisfies readonly AuditType[];

type MissingAuditType = Exclude<AuditType, (typeof AUDIT_TYPES)[number]>;
export const AUDIT_TYPES_COMPLETE: [MissingAuditType] extends [never] ? true : MissingAuditType = true;
