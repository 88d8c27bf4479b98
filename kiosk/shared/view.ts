// What the screens are given: a plain, serialisable view of the check-in, derived from the machine's
// snapshot by kiosk/core/view.ts. It never contains a full document number, MRZ, photo or embedding.
import type {
  ChallengeStep,
  CredentialSource,
  DecisionOutcome,
  DeviceName,
  FaceHint,
  ReasonCode,
} from '../core/types.ts';

export type Screen = 'welcome' | 'reading' | 'face' | 'result' | 'review' | 'fault' | 'attendant';

export type DeviceStatus = 'ready' | 'lost' | 'absent';

export interface KioskView {
  readonly screen: Screen;
  /** Machine state path, for tests and the attendant (e.g. 'checkIn.matchingFace'). */
  readonly state: string;
  readonly venue: { readonly profile: string; readonly name: string };
  /** The wallet request QR shown on the welcome screen; rotates. */
  readonly walletQr?: { readonly uri: string; readonly expiresAt: number };
  readonly reading?: { readonly source: CredentialSource };
  readonly face?: {
    readonly hint: FaceHint;
    readonly challenge?: readonly ChallengeStep[];
    readonly step?: number;
  };
  readonly result?: {
    readonly outcome: DecisionOutcome;
    readonly reason: ReasonCode;
    readonly maskedName?: string;
    readonly maskedNumber?: string;
    readonly displayCode?: string;
  };
  readonly review?: {
    readonly reason: ReasonCode;
    readonly maskedName?: string;
    readonly maskedNumber?: string;
    readonly faceScore?: number;
  };
  readonly fault?: { readonly devices: readonly DeviceName[] };
  readonly attendant?: {
    readonly authenticated: boolean;
    readonly attemptsLeft: number;
    /** epoch ms until which PIN entry is locked, if locked */
    readonly lockedUntil?: number;
  };
  /** A transient notice on top of the current screen, e.g. 'second-credential-refused'. */
  readonly notice?: string;
  readonly devices: Readonly<Partial<Record<DeviceName, DeviceStatus>>>;
  /** Seconds left on the current wait, when the screen should show a countdown. */
  readonly deadline?: number;
}
