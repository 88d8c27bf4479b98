// Issuing an identity code (the issuer tool and tests; a real issuer runs this on its own server or in its app).
// Pure apart from node:crypto and node:zlib.
import { randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { base45Encode } from './base45.ts';
import { cborEncode, coseSign1 } from './cose.ts';
import { CWT, EID_CLAIM, EID_KEYS } from './profile.ts';
import type { IdentityQrClaims } from './profile.ts';

export interface IssueIdentityQrInput {
  readonly iss: string;
  /** Issuer-side subject identifier (profile.ts subjectIdFor), never the raw document number. */
  readonly sub: string;
  readonly claims: IdentityQrClaims;
  /** Issue time, epoch seconds. */
  readonly iat: number;
  /** Lifetime, seconds (the profile allows at most 60). */
  readonly lifetimeSeconds?: number;
  /** 8–32 random bytes; fresh per code (single use is keyed on iss + cti). */
  readonly cti?: Uint8Array;
  readonly prefix?: string;
}

export function identityQrClaimsMap(input: IssueIdentityQrInput): Map<unknown, unknown> {
  const c = input.claims;
  const eid = new Map<string, unknown>([
    [EID_KEYS.name, c.name],
    [EID_KEYS.maskedDocumentNumber, c.maskedDocumentNumber],
  ]);
  if (c.nameLatin !== undefined) eid.set(EID_KEYS.nameLatin, c.nameLatin);
  if (c.birthDate !== undefined) eid.set(EID_KEYS.birthDate, c.birthDate);
  if (c.nationality !== undefined) eid.set(EID_KEYS.nationality, c.nationality);
  if (c.sex !== undefined) eid.set(EID_KEYS.sex, c.sex);
  if (c.documentKind !== undefined) eid.set(EID_KEYS.documentKind, c.documentKind);
  if (c.portraitDigest !== undefined) eid.set(EID_KEYS.portraitDigest, c.portraitDigest);
  if (c.ageOver18 !== undefined) eid.set(EID_KEYS.ageOver18, c.ageOver18);
  return new Map<unknown, unknown>([
    [CWT.iss, input.iss],
    [CWT.sub, input.sub],
    [CWT.exp, input.iat + (input.lifetimeSeconds ?? 60)],
    [CWT.iat, input.iat],
    [CWT.cti, input.cti ?? randomBytes(16)],
    [EID_CLAIM, eid],
  ]);
}

/** Sign claims into the text a phone shows: prefix + base45(zlib(COSE_Sign1(CWT))). */
export function issueIdentityQr(input: IssueIdentityQrInput, privateKey: KeyObject, kid: string): string {
  const payload = cborEncode(identityQrClaimsMap(input));
  const cose = coseSign1(payload, privateKey, new TextEncoder().encode(kid));
  return (input.prefix ?? 'EID1:') + base45Encode(deflateSync(cose, { level: 9 }));
}

/** Wrap raw COSE bytes in the text envelope (tests that craft malformed structures). */
export function wrapCose(cose: Uint8Array, prefix = 'EID1:'): string {
  return prefix + base45Encode(deflateSync(cose, { level: 9 }));
}
