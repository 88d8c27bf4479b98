// The default venue policy: the decision from the credential and the face result alone. Pure. Venue
// policies (internet café, stadium, hotel) have the same signature and are provided as the `decide` actor.
import { checkCredential, localDate } from './credential-checks.ts';
import type { Decision, FaceOutcome, FaceResult, IdentityDocument, ReasonCode } from './types.ts';

export interface DecideInput {
  readonly document: IdentityDocument;
  readonly face: FaceResult;
  /** epoch ms, the machine's clock */
  readonly now: number;
  /** The kiosk's IANA time zone, when the machine passes it (it does: settings.timeZone). */
  readonly timeZone?: string;
}

export type Policy = (input: DecideInput) => Decision | Promise<Decision>;

const FACE: Record<FaceOutcome, { outcome: Decision['outcome']; reason: ReasonCode }> = {
  match: { outcome: 'pass', reason: 'ok' },
  skipped: { outcome: 'pass', reason: 'ok' },
  'no-match': { outcome: 'deny', reason: 'face-no-match' },
  spoof: { outcome: 'deny', reason: 'face-spoof' },
  'challenge-failed': { outcome: 'deny', reason: 'face-challenge-failed' },
  quality: { outcome: 'review', reason: 'face-no-usable-image' },
  'no-face': { outcome: 'review', reason: 'face-no-usable-image' },
  'camera-lost': { outcome: 'review', reason: 'face-no-usable-image' },
  'no-reference': { outcome: 'review', reason: 'face-no-reference' },
};

/**
 * Credential ok and face 'match' (or 'skipped' by the venue) → pass; 'no-match' / 'spoof' /
 * 'challenge-failed' → deny with the matching reason; 'quality' / 'no-face' / 'camera-lost' /
 * 'no-reference' → attendant review. `zone` (IANA name or UTC offset in minutes) gives the local date for
 * the validity check.
 */
export function defaultPolicy(input: DecideInput, zone: string | number = 'Asia/Shanghai'): Decision {
  const verdict = checkCredential(input.document, localDate(input.now, input.timeZone ?? zone));
  if (!verdict.ok) return { outcome: 'deny', reason: verdict.reason, face: input.face };
  const f = FACE[input.face.outcome];
  const decision: Decision = { outcome: f.outcome, reason: f.reason, face: input.face };
  if (input.face.outcome === 'camera-lost' || input.face.outcome === 'no-face')
    return { ...decision, note: `face: ${input.face.outcome}` };
  return decision;
}
