// Sealing hotel guest records to the backend's X25519 key with the audit area's sealed box, and opening
// them on the backend. The stored blob is {context, box}; the context (no personal data) is bound as AAD.
import type { KeyObject } from 'node:crypto';
import { seal, unseal, type SealedBox } from '../../audit/crypto.ts';
import { KioskError } from '../../shared/errors.ts';
import { parseGuestRecord } from './export.ts';
import { GUEST_RECORD_KIND, type GuestRecord } from './guest-record.ts';

export interface SealedGuestRecord {
  readonly context: { readonly kind: typeof GUEST_RECORD_KIND; readonly v: 1; readonly recordId: string };
  readonly box: SealedBox;
}

/** deps.seal for hotel-front-desk: seals each guest record to `backendPublicKey` (raw X25519, base64url). */
export function guestRecordSealer(
  backendPublicKey: string,
): (record: Readonly<Record<string, unknown>>) => SealedGuestRecord {
  return (record) => {
    const recordId = String(record['recordId'] ?? '');
    const context = { kind: GUEST_RECORD_KIND, v: 1, recordId } as const;
    const box = seal(backendPublicKey, Buffer.from(JSON.stringify(record), 'utf8'), context);
    return { context, box };
  };
}

/** Opens a stored blob (JSON text or parsed) with the backend's private key and validates the record. */
export function openGuestRecord(
  privateKey: KeyObject,
  blob: string | SealedGuestRecord,
  where = 'record',
): GuestRecord {
  let v: SealedGuestRecord;
  try {
    v = typeof blob === 'string' ? (JSON.parse(blob) as SealedGuestRecord) : blob;
  } catch (cause) {
    throw new KioskError('E_VENUE_EXPORT_INVALID', `${where}: not valid JSON`, { cause });
  }
  if (v?.context?.kind !== GUEST_RECORD_KIND || typeof v.box !== 'object') {
    throw new KioskError('E_VENUE_EXPORT_INVALID', `${where}: not a sealed ${GUEST_RECORD_KIND} record`);
  }
  const plain = unseal(privateKey, v.box, v.context);
  try {
    const record = parseGuestRecord(JSON.parse(plain.toString('utf8')), where);
    if (record.recordId !== v.context.recordId) {
      throw new KioskError('E_VENUE_EXPORT_INVALID', `${where}: record id does not match its sealed context`);
    }
    return record;
  } finally {
    plain.fill(0);
  }
}
