// The credential + face verdict the venue rules build on: kiosk/core/policy.ts's defaultPolicy on the
// venue's time zone (validity dates are compared on the kiosk's local date).
// kiosk/main may pass another core policy as deps.basePolicy.
import { defaultPolicy } from '../core/policy.ts';
import type { Decision } from '../core/types.ts';
import type { BasePolicy } from './types.ts';

export function builtinBasePolicy(timeZone: string): BasePolicy {
  return ({ document, face, now, faceRequired }): Decision => {
    const base = defaultPolicy({ document, face, now }, timeZone);
    // The machine skips the face step only when needsFace() said so; a skip on a credential that needs
    // the face check (a mis-wired guard) must not pass silently.
    if (base.outcome === 'pass' && face.outcome === 'skipped' && faceRequired) {
      return { outcome: 'review', reason: 'policy-review', note: 'face check skipped but required', face };
    }
    return base;
  };
}
