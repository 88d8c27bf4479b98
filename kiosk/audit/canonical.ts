// The canonical encoding hashed and signed by the audit chain ("eid-kiosk canonical JSON v1").
//
// Rules (docs/audit.md, "Canonical encoding"):
// - UTF-8 JSON with no insignificant whitespace.
// - Object keys sorted by their UTF-16 code units (what Array.prototype.sort does), no duplicates.
// - Values: null, true, false, strings, safe integers (|n| ≤ 2^53-1), arrays, plain objects.
//   Non-integer numbers are refused: a fractional quantity (a face score, an FMR) is carried as a decimal
//   string made by the producer (see event.ts), so no two encoders can disagree on how to print a float.
//   -0 is refused too (it would print as 0 and not round-trip).
// - Keys whose value is `undefined` are left out (as JSON.stringify does); `undefined` inside an array is an
//   error.
// - Strings are escaped as JSON.stringify escapes them (the same in every conforming engine: ", \, and the
//   control characters below U+0020; lone surrogates as \uXXXX).
import { KioskError } from '../shared/errors.ts';

export type CanonicalValue =
  | null
  | boolean
  | number
  | string
  | readonly CanonicalValue[]
  | { readonly [k: string]: CanonicalValue | undefined };

function enc(v: unknown, path: string, out: string[]): void {
  if (v === null) {
    out.push('null');
    return;
  }
  switch (typeof v) {
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'string':
      out.push(JSON.stringify(v));
      return;
    case 'number':
      if (!Number.isSafeInteger(v) || Object.is(v, -0)) {
        throw new KioskError('E_AUDIT_NOT_CANONICAL', `${path}: only safe integers are canonical, got ${v}`);
      }
      out.push(String(v));
      return;
    case 'object': {
      if (Array.isArray(v)) {
        out.push('[');
        v.forEach((item, i) => {
          if (i > 0) out.push(',');
          if (item === undefined) {
            throw new KioskError('E_AUDIT_NOT_CANONICAL', `${path}[${i}]: undefined in an array`);
          }
          enc(item, `${path}[${i}]`, out);
        });
        out.push(']');
        return;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new KioskError('E_AUDIT_NOT_CANONICAL', `${path}: only plain objects are canonical`);
      }
      const rec = v as Record<string, unknown>;
      const keys = Object.keys(rec)
        .filter((k) => rec[k] !== undefined)
        .sort();
      out.push('{');
      keys.forEach((k, i) => {
        if (i > 0) out.push(',');
        out.push(JSON.stringify(k), ':');
        enc(rec[k], `${path}.${k}`, out);
      });
      out.push('}');
      return;
    }
    default:
      throw new KioskError('E_AUDIT_NOT_CANONICAL', `${path}: ${typeof v} is not canonical`);
  }
}

/** The canonical text of a value (see the rules above). Throws E_AUDIT_NOT_CANONICAL. */
export function canonicalJson(v: unknown): string {
  const out: string[] = [];
  enc(v, '$', out);
  return out.join('');
}

/** The canonical bytes (UTF-8 of canonicalJson). */
export function canonicalBytes(v: unknown): Buffer {
  return Buffer.from(canonicalJson(v), 'utf8');
}

/** A fraction as the decimal string the canonical form carries: fixed 6 decimals ("0.734512"). */
export function decimal6(x: number): string {
  if (!Number.isFinite(x)) throw new KioskError('E_AUDIT_NOT_CANONICAL', `not a finite number: ${x}`);
  const s = x.toFixed(6);
  return s === '-0.000000' ? '0.000000' : s;
}

/** A small positive rate (an FMR such as 5e-4) as a canonical string: shortest exponent form ("5e-4"). */
export function rateString(x: number): string {
  if (!Number.isFinite(x) || x < 0) throw new KioskError('E_AUDIT_NOT_CANONICAL', `not a rate: ${x}`);
  return x.toExponential().replace('e+', 'e');
}
