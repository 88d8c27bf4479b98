// Error codes of the audit area (audit store, sync, backend): code → one-line meaning. Append-only.
export const auditCodes = {
  E_AUDIT_NOT_CANONICAL: 'A value cannot be canonically encoded (non-integer number, non-plain object).',
  E_AUDIT_KEY_INVALID:
    'A key (terminal Ed25519, backend X25519) is malformed, of the wrong type or too open (chmod 600).',
  E_AUDIT_KEY_MISMATCH:
    'The audit store was written by another terminal key; use its key dir or a new store.',
  E_AUDIT_UNSEAL_FAILED: 'A sealed payload did not open: wrong key, wrong context or tampered.',
  E_AUDIT_INPUT_INVALID: 'An audit record was malformed (unknown type, missing field); nothing was recorded.',
  E_AUDIT_SEAL_KEY_MISSING:
    'The venue keeps personal data but no backend sealing key is configured; nothing recorded.',
  E_AUDIT_PII_REFUSED: 'A full document number would have been stored in the clear; the record was refused.',
  E_AUDIT_DISK_FULL:
    'The audit store could not write: the disk (or its size limit) is full. Free space; it recovers.',
  E_AUDIT_IO: 'The audit store hit an I/O error while writing; nothing was recorded. Check the disk.',
  E_AUDIT_STORE_NEWER: 'The audit store was made by a newer version of eid-kiosk; upgrade before opening it.',
  E_AUDIT_STORE_CORRUPT: 'The audit store is missing required rows or tables; run `eid-kiosk audit verify`.',
  E_AUDIT_CLOSED: 'The audit store was used after close().',
  E_AUDIT_CHAIN_BROKEN: 'Audit chain verification failed (hash, signature, seq gap or broken link).',
  E_SYNC_ACK_MISMATCH:
    'The backend acknowledged a seq with a hash that is not this kiosk’s: a fork; sync stops.',
  E_SYNC_BACKEND_DOWN: 'The backend could not be reached or answered 5xx; sync retries with backoff.',
  E_SYNC_REJECTED: 'The backend refused a batch (4xx other than gap); sync stops until looked at.',
  E_SYNC_NOT_ENROLLED: 'This terminal is not enrolled with the backend; enrol it with a one-time code.',
  E_SYNC_REVOKED: 'The backend revoked this terminal; it syncs nothing until re-enrolled.',
  E_SYNC_DISK_LOW:
    'Free disk space under the warning threshold: the audit store may soon be unable to write.',
  E_BACKEND_BAD_REQUEST: 'A backend request was malformed (schema, types, size); nothing was stored.',
  E_BACKEND_UNAUTHORISED: 'A backend request lacked valid credentials (signature, token).',
  E_BACKEND_FORBIDDEN: 'The credentials are valid but lack the role for this endpoint.',
  E_BACKEND_CLOCK_SKEW:
    'A signed request’s time is outside the allowed window; the answer carries serverTime.',
  E_BACKEND_UNKNOWN_TERMINAL: 'The terminal id is not enrolled at this backend.',
  E_BACKEND_TERMINAL_REVOKED: 'The terminal was revoked; its requests are refused.',
  E_BACKEND_CODE_INVALID: 'The enrolment code is unknown, used or expired.',
  E_BACKEND_NOT_FOUND: 'The requested record does not exist.',
  E_BACKEND_CONFLICT: 'The request conflicts with the stored state (e.g. a review already decided).',
  E_BACKEND_TOO_LARGE: 'The request body is larger than the backend accepts.',
  E_INGEST_BAD_SIGNATURE: 'An event in the batch has a bad hash or signature; the batch was refused.',
  E_INGEST_NOT_CONTIGUOUS: 'The batch’s events are not consecutive or not linked to each other.',
  E_INGEST_GAP: 'The batch starts after the next expected seq; resend from `expectedSeq`.',
  E_INGEST_FORK: 'The batch conflicts with events already stored for that seq: a fork; refused.',
  E_BACKEND_INTERNAL: 'The backend hit an unexpected error; nothing partial was stored.',
} as const satisfies Record<`E_${string}`, string>;
