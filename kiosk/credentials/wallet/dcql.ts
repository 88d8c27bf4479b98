// Venue profile → the DCQL query (OpenID4VP 1.0 §6) asking for exactly the claims that venue needs. Pure.
// Claim names follow the EU PID rulebook's SD-JWT VC encoding (vct urn:eudi:pid:1); `vct` values and the
// credential query id are configurable so another PID profile can be used without code changes.
import type { WalletProfile } from './messages.ts';

export type ClaimPath = readonly (string | number | null)[];

export interface ProfileClaims {
  /** Claims the presentation must disclose. */
  readonly required: readonly ClaimPath[];
  /** Claims asked for but not required (asked through a second claim set). */
  readonly optional: readonly ClaimPath[];
}

export const PROFILE_CLAIMS: Readonly<Record<WalletProfile, ProfileClaims>> = {
  // 网吧实名: only "is this person 18 or over?" — the portrait is optional, for the face check.
  'internet-cafe': { required: [['age_equal_or_over', '18']], optional: [['picture']] },
  // 旅馆登记: the police guest register needs name, birth date, nationality and document number.
  'hotel-front-desk': {
    required: [['family_name'], ['given_name'], ['birthdate'], ['nationalities'], ['document_number']],
    optional: [['picture']],
  },
  // 实名制票务: the document number is the pseudonym source (HMAC per venue) for ticket and ban list; the name
  // is shown to the steward.
  'stadium-gate': {
    required: [['document_number'], ['family_name'], ['given_name']],
    optional: [['picture']],
  },
};

export const CREDENTIAL_QUERY_ID = 'pid';

export function buildDcqlQuery(
  profile: WalletProfile,
  vctValues: readonly string[],
): Record<string, unknown> {
  const p = PROFILE_CLAIMS[profile];
  const claims = [...p.required, ...p.optional].map((path, i) => ({ id: `c${i}`, path: [...path] }));
  const requiredIds = p.required.map((_, i) => `c${i}`);
  const allIds = claims.map((c) => c.id);
  const query: Record<string, unknown> = {
    id: CREDENTIAL_QUERY_ID,
    format: 'dc+sd-jwt',
    meta: { vct_values: [...vctValues] },
    claims,
    require_cryptographic_holder_binding: true,
  };
  // claim_sets: prefer everything, fall back to the required ones.
  if (p.optional.length > 0) query.claim_sets = [allIds, requiredIds];
  return { credentials: [query] };
}

/** Keep only the disclosed claims the profile asked for (data minimisation before anything is sent on). */
export function pickRequestedClaims(profile: WalletProfile, disclosed: Readonly<Record<string, unknown>>) {
  const p = PROFILE_CLAIMS[profile];
  const out: Record<string, unknown> = {};
  for (const path of [...p.required, ...p.optional]) {
    const top = path[0];
    if (typeof top !== 'string' || !(top in disclosed)) continue;
    if (path.length === 1) out[top] = disclosed[top];
    else {
      const value = getPath(disclosed, path);
      if (value !== undefined) setPath(out, path, value);
    }
  }
  return out;
}

function getPath(obj: unknown, path: ClaimPath): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || k === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: ClaimPath, value: unknown): void {
  let cur: Record<string | number, unknown> = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    if (k === null) return;
    cur[k] ??= {};
    cur = cur[k] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== null && last !== undefined) cur[last] = value;
}
