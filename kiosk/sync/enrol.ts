// Enrolment: the attendant types the one-time code the backend admin made; the kiosk posts its public key
// with a signature over code + key (proof of possession). The answer (terminal id, venue, sealing key) is
// kept in <keyDir>/enrolment.json.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { b64u } from '../audit/crypto.ts';
import type { TerminalIdentity } from '../audit/identity.ts';
import { KioskError } from '../shared/errors.ts';
import { enrolSigningInput } from './request-signing.ts';

export interface Enrolment {
  readonly backendUrl: string;
  readonly terminalId: string;
  readonly venueId: string;
  /** The backend's X25519 sealing key (raw, base64url): give it to openAuditStore as backendPublicKey. */
  readonly sealPublicKey: string;
  readonly enrolledAt: number;
}

export const ENROLMENT_FILE = 'enrolment.json';

/** The normalised code (what the backend hashes): upper case, no spaces/hyphens, O→0, I/L→1. */
export function normaliseEnrolmentCode(c: string): string {
  return c.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export async function enrolTerminal(o: {
  backendUrl: string;
  identity: TerminalIdentity;
  code: string;
  keyDir?: string;
  label?: string;
}): Promise<Enrolment> {
  const base = o.backendUrl.replace(/\/+$/, '');
  const sig = b64u(o.identity.sign(enrolSigningInput(normaliseEnrolmentCode(o.code), o.identity.publicKey)));
  let res: Response;
  try {
    res = await fetch(`${base}/v1/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code: o.code,
        publicKey: o.identity.publicKey,
        sig,
        ...(o.label ? { label: o.label } : {}),
      }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (cause) {
    throw new KioskError('E_SYNC_BACKEND_DOWN', `the backend at ${base} cannot be reached`, { cause });
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status !== 201) {
    throw new KioskError(
      'E_SYNC_NOT_ENROLLED',
      `enrolment refused (${res.status} ${String(body.code)}): ${String(body.message)}`,
    );
  }
  const e: Enrolment = {
    backendUrl: base,
    terminalId: String(body.terminalId),
    venueId: String(body.venueId),
    sealPublicKey: String(body.sealPublicKey),
    enrolledAt: Date.now(),
  };
  if (o.keyDir) {
    const path = join(o.keyDir, ENROLMENT_FILE);
    writeFileSync(`${path}.tmp`, JSON.stringify(e, null, 2), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }
  return e;
}

export function loadEnrolment(keyDir: string): Enrolment | null {
  try {
    return JSON.parse(readFileSync(join(keyDir, ENROLMENT_FILE), 'utf8')) as Enrolment;
  } catch {
    return null;
  }
}
