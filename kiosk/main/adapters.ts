// What compose() takes from the other areas. Each adapter is small and event-shaped so that the real ones
// (firmware-bridge devices, kiosk/face, kiosk/audit, the wallet verifier, kiosk/venues) and the demo fakes in
// ./demo/ are interchangeable. Only kiosk/main constructs real adapters.
import type { AuditInput } from '../core/audit-input.ts';
import type {
  ActInput,
  DeviceEventsEvent,
  FaceCheckInput,
  VerifyCredentialInput,
  VerifyCredentialOutput,
} from '../core/machine.ts';
import type { DecideInput } from '../core/policy.ts';
import type {
  ActionResult,
  ChallengeStep,
  Decision,
  FaceHint,
  FaceResult,
  IdentityDocument,
} from '../core/types.ts';
import type { PreviewSource } from '../host/server.ts';

/** Events a device or credential source may send the machine. */
export type DeviceEvent = Extract<
  DeviceEventsEvent,
  { type: 'document.read' | 'document.rejected' | 'device.lost' | 'device.ready' | 'wallet.qr' }
>;

/** Card reader, MRZ reader, scanner (with its identity-QR verifier), camera presence, relay, backend link. */
export interface DeviceAdapter {
  /** Start delivering events (first the current device states); returns the cleanup. */
  subscribe(emit: (event: DeviceEvent) => void): () => void;
}

/** The wallet: the rotating request QR (`wallet.qr`) and verified presentations (`document.read`). */
export interface WalletAdapter {
  subscribe(emit: (event: DeviceEvent) => void): () => void;
}

export interface FaceHintUpdate {
  readonly hint: FaceHint;
  readonly challenge?: readonly ChallengeStep[];
  readonly step?: number;
}

export interface FaceAdapter {
  /** Capture, liveness and 1:1 match; reports hints as it goes. Must stop when `signal` aborts. */
  check(input: FaceCheckInput, onHint: (h: FaceHintUpdate) => void, signal: AbortSignal): Promise<FaceResult>;
  /** The camera preview served at /camera/preview (an MJPEG stream, say). */
  readonly preview?: PreviewSource;
}

export interface VenueAdapter {
  /** Credential check; default: the machine's own (kiosk/core/credential-checks.ts). */
  verifyCredential?(input: VerifyCredentialInput): Promise<VerifyCredentialOutput>;
  /** The venue policy; default: kiosk/core/policy.ts defaultPolicy. */
  decide?(input: DecideInput): Promise<Decision>;
  /** Gate pulse, registration, guest record. */
  act(input: ActInput): Promise<ActionResult>;
  /** The machine's faceRequired guard (kiosk/venues needsFace); default: every credential needs the face step. */
  needsFace?(document: IdentityDocument): boolean;
}

export interface AuditAdapter {
  /** Append one event; `at` is the machine's clock (epoch ms). Must not throw for expected failures. */
  record(event: AuditInput, at: number): void;
}

export interface Adapters {
  readonly devices: DeviceAdapter;
  readonly face: FaceAdapter;
  readonly audit: AuditAdapter;
  readonly wallet: WalletAdapter;
  readonly venue: VenueAdapter;
}
