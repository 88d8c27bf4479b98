// The credential + face verdict the venue rules build on. kiosk/core/policy.ts is the authority; kiosk/main
// passes it as deps.basePolicy. This built-in equivalent is used when it is absent (tests, the 'none' demo),
// and follows the same shape: the first failing step decides.
import type { CredentialCheck, Decision, ReasonCode } from '../core/types.ts';
import type { BasePolicy } from './types.ts';
import { localDate } from './time.ts';

function reasonForCheck(check: CredentialCheck): ReasonCode {
  const n = check.name.toLowerCase();
  if (n.includes('expir')) return 'credential-expired';
  if (n.includes('not-before') || n.includes('not-yet')) return 'credential-not-yet-valid';
  if (n.includes('revoc') || n.includes('status')) return 'credential-revoked';
  if (n.includes('replay')) return 'credential-replayed';
  if (n.includes('trust') || n.includes('issuer')) return 'credential-untrusted';
  return 'credential-invalid';
}

/** Builds the fallback base policy for a time zone (validity dates are compared on the local date). */
export function builtinBasePolicy(timeZone: string): BasePolicy {
  return ({ document, face, now, faceRequired }): Decision => {
    const failed = document.checks.find((c) => !c.ok);
    if (failed)
      return { outcome: 'deny', reason: reasonForCheck(failed), note: `check ${failed.name} failed` };
    const today = localDate(now, timeZone);
    if (document.validTo && document.validTo !== 'long-term' && document.validTo < today) {
      return { outcome: 'deny', reason: 'credential-expired' };
    }
    if (document.validFrom && document.validFrom > today) {
      return { outcome: 'deny', reason: 'credential-not-yet-valid' };
    }
    switch (face.outcome) {
      case 'match':
        return { outcome: 'pass', reason: 'ok', face };
      case 'skipped':
        return faceRequired
          ? { outcome: 'review', reason: 'policy-review', note: 'face check skipped but required', face }
          : { outcome: 'pass', reason: 'ok', face };
      case 'no-match':
        return { outcome: 'deny', reason: 'face-no-match', face };
      case 'spoof':
        return { outcome: 'deny', reason: 'face-spoof', face };
      case 'challenge-failed':
        return { outcome: 'deny', reason: 'face-challenge-failed', face };
      case 'no-reference':
        return { outcome: 'review', reason: 'face-no-reference', face };
      case 'no-face':
      case 'quality':
      case 'camera-lost':
        return { outcome: 'review', reason: 'face-no-usable-image', face };
    }
  };
}
