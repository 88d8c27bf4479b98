// The default credential verification: what every credential must satisfy whatever the way in. Pure.
// Wallet and identity-QR verifiers have already checked signatures; their results are in `checks`.
import type { IdentityDocument, ReasonCode } from './types.ts';

export type CredentialVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: ReasonCode };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `s` is a real calendar date YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

/**
 * The local calendar date of an epoch-ms instant, YYYY-MM-DD: in an IANA time zone ('Asia/Shanghai') or at a
 * fixed UTC offset in minutes (+480 = China).
 */
export function localDate(now: number, zone: string | number): string {
  if (typeof zone === 'number') return new Date(now + zone * 60_000).toISOString().slice(0, 10);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(now));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}`;
}

/**
 * Checks a parsed credential on the local date `today` (YYYY-MM-DD): every parser/verifier check passed,
 * the validity window holds (validTo 'long-term' never expires; both ends inclusive), and the birth date is
 * a real date, not in the future and not more than 130 years back.
 */
export function checkCredential(document: IdentityDocument, today: string): CredentialVerdict {
  if (!isIsoDate(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
  for (const c of document.checks) {
    if (!c.ok) return { ok: false, reason: reasonForCheck(c.name) };
  }
  if (document.documentNumber.trim() === '' || document.name.trim() === '')
    return { ok: false, reason: 'credential-invalid' };
  if (document.validFrom !== undefined && !isIsoDate(document.validFrom))
    return { ok: false, reason: 'credential-invalid' };
  if (document.validTo !== undefined && document.validTo !== 'long-term') {
    if (!isIsoDate(document.validTo)) return { ok: false, reason: 'credential-invalid' };
    if (document.validFrom !== undefined && document.validTo < document.validFrom)
      return { ok: false, reason: 'credential-invalid' };
    if (document.validTo < today) return { ok: false, reason: 'credential-expired' };
  }
  if (document.validFrom !== undefined && document.validFrom > today)
    return { ok: false, reason: 'credential-not-yet-valid' };
  if (document.birthDate !== undefined) {
    if (!isIsoDate(document.birthDate)) return { ok: false, reason: 'credential-invalid' };
    if (document.birthDate > today) return { ok: false, reason: 'credential-invalid' };
    const oldest = `${String(Number(today.slice(0, 4)) - 130).padStart(4, '0')}${today.slice(4)}`;
    if (document.birthDate < oldest) return { ok: false, reason: 'credential-invalid' };
  }
  return { ok: true };
}

/** Maps a failed check's name to the most specific reason (names per IdentityDocument.checks' doc). */
function reasonForCheck(name: string): ReasonCode {
  if (/revok|status/.test(name)) return 'credential-revoked';
  if (/replay/.test(name)) return 'credential-replayed';
  if (/trust|issuer|untrusted/.test(name)) return 'credential-untrusted';
  if (/expir/.test(name)) return 'credential-expired';
  if (/not-yet|nbf|valid-from/.test(name)) return 'credential-not-yet-valid';
  return 'credential-invalid';
}
