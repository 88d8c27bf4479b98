// AuditRecordInput → event body (+ sealed personal data). The privacy boundary of the audit log: what
// comes in may carry the full IdentityDocument; what goes out is pseudonym, masks, scores and a sealed box.
import { createHmac } from 'node:crypto';
import { maskDocumentNumber, maskName } from '../core/mask.ts';
import type { FaceResult, IdentityDocument } from '../core/types.ts';
import { KioskError } from '../shared/errors.ts';
import { canonicalBytes, decimal6, rateString } from './canonical.ts';
import { seal } from './crypto.ts';
import type { SealedBox } from './crypto.ts';
import { sealedDigest } from './chain.ts';
import { SEALABLE_FIELDS, sealContext } from './event.ts';
import type { AuditStoreInput, EventBody, SealableField, StoredFace } from './event.ts';

/**
 * The normalised document number the pseudonym is computed over: Unicode NFKC, upper case, with spaces,
 * hyphens and MRZ filler '<' removed. So '110105 19491231 002x' and '11010519491231002X' are one person.
 */
export function normaliseDocumentNumber(n: string): string {
  return n
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s<-]/g, '');
}

/** HMAC-SHA256(venueSecret, normalised number), base64url (43 characters). */
export function pseudonymOf(venueSecret: Uint8Array, documentNumber: string): string {
  const norm = normaliseDocumentNumber(documentNumber);
  if (norm === '') throw new KioskError('E_AUDIT_INPUT_INVALID', 'empty document number');
  return createHmac('sha256', venueSecret).update(norm, 'utf8').digest('base64url');
}

export function storedFace(f: FaceResult): StoredFace {
  const out: { -readonly [K in keyof StoredFace]: StoredFace[K] } = { outcome: f.outcome };
  if (f.score !== undefined) out.score = decimal6(f.score);
  if (f.threshold !== undefined) out.threshold = decimal6(f.threshold);
  if (f.fmr !== undefined) out.fmr = rateString(f.fmr);
  if (f.liveness !== undefined) out.liveness = decimal6(f.liveness);
  return out;
}

const MAX_TEXT = 500;
function text(s: string | undefined, what: string): string | undefined {
  if (s === undefined) return undefined;
  if (typeof s !== 'string') throw new KioskError('E_AUDIT_INPUT_INVALID', `${what} must be text`);
  return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) + '…' : s;
}

function documentPart(venueSecret: Uint8Array, doc: IdentityDocument | undefined): EventBody {
  if (!doc) return {};
  return {
    documentType: doc.documentType,
    pseudonym: pseudonymOf(venueSecret, doc.documentNumber),
    masked: { name: maskName(doc.name), number: maskDocumentNumber(doc.documentNumber) },
  };
}

export interface BuildContext {
  readonly venueSecret: Uint8Array;
  readonly terminalId: string;
  readonly seq: number;
  /** Distinguishes machine check-in numbers across restarts. */
  readonly session: string;
  readonly sealFields: readonly SealableField[];
  readonly backendPublicKey: string | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Build the event body, sealing the venue's personal-data fields on a final check-in decision. */
export function buildBody(
  input: AuditStoreInput,
  ctx: BuildContext,
): { body: EventBody; sealed?: SealedBox } {
  const body: Mutable<EventBody> = {};
  let sealed: SealedBox | undefined;
  let doc: IdentityDocument | undefined;
  if ('seq' in input && typeof input.seq === 'number') body.checkInId = `${ctx.session}:${input.seq}`;
  if ('document' in input && input.document) {
    doc = input.document;
    if (typeof doc.documentNumber !== 'string')
      throw new KioskError('E_AUDIT_INPUT_INVALID', 'document without number');
    Object.assign(body, documentPart(ctx.venueSecret, doc));
    body.source = doc.source;
  }
  if ('stage' in input) body.stage = input.stage;
  if ('decidedBy' in input) body.decidedBy = input.decidedBy;
  if ('face' in input && input.face) body.face = storedFace(input.face);
  switch (input.type) {
    case 'checkin.started':
    case 'checkin.cancelled':
    case 'checkin.timeout':
      break;
    case 'checkin.aborted':
      body.device = input.device;
      break;
    case 'checkin.decision': {
      const d = input.decision;
      body.decision = { outcome: d.outcome, reason: d.reason, note: text(d.note, 'decision.note') };
      if (!body.face && d.face) body.face = storedFace(d.face);
      if (input.action) {
        body.action = {
          ok: input.action.ok,
          displayCode: text(input.action.displayCode, 'action.displayCode'),
          reason: input.action.reason,
          detail: text(input.action.detail, 'action.detail'),
        };
      }
      if (ctx.sealFields.length > 0 && d.outcome === 'pass') {
        if (!ctx.backendPublicKey) {
          throw new KioskError(
            'E_AUDIT_SEAL_KEY_MISSING',
            'the venue keeps personal data but no backend public key is configured to seal it to',
          );
        }
        const fields: Record<string, unknown> = {};
        for (const f of ctx.sealFields) if (input.document[f] !== undefined) fields[f] = input.document[f];
        sealed = seal(
          ctx.backendPublicKey,
          canonicalBytes(fields),
          sealContext({ ...ctx, type: input.type }),
        );
        body.sealed = { digest: sealedDigest(sealed), fields: Object.keys(fields).sort() };
      }
      break;
    }
    case 'checkin.review':
      body.decision = { outcome: 'review', reason: input.reason, note: text(input.note, 'note') };
      break;
    case 'credential.refused-second':
      body.source = input.source;
      body.code = text(input.code, 'code');
      body.reason = input.reason;
      break;
    case 'credential.rejected':
      body.source = input.source;
      body.code = text(input.code, 'code');
      body.reason = input.reason;
      break;
    case 'device.lost':
      body.device = input.device;
      body.required = input.required;
      break;
    case 'device.ready':
      body.device = input.device;
      break;
    case 'attendant.login':
      break;
    case 'attendant.login-failed':
      body.attemptsLeft = input.attemptsLeft;
      break;
    case 'attendant.lockout':
      body.until = Math.trunc(input.until);
      break;
    case 'attendant.logout':
      body.why = input.why;
      break;
    case 'attendant.decision':
      body.outcome = input.outcome;
      body.reason = input.reason;
      body.note = text(input.note, 'note');
      body.reviewReason = input.reviewReason;
      body.by = 'attendant';
      break;
    case 'review.resolved':
      if (typeof input.approved !== 'boolean')
        throw new KioskError('E_AUDIT_INPUT_INVALID', 'approved must be boolean');
      body.checkInId = text(input.checkInId, 'checkInId');
      body.approved = input.approved;
      body.reason = text(input.reason, 'reason');
      body.by = input.by;
      body.reviewId = text(input.reviewId, 'reviewId');
      break;
    case 'system.started':
    case 'system.stopped':
      body.version = text(input.version, 'version');
      break;
    case 'audit.purged':
      body.throughSeq = input.throughSeq;
      body.count = input.count;
      break;
    case 'sync.fault':
      body.code = text(input.code, 'code');
      body.detail = text(input.detail, 'detail');
      break;
    default: {
      // a new AuditInput member must be mapped here: the type checker says so
      const unknownInput: never = input;
      throw new KioskError(
        'E_AUDIT_INPUT_INVALID',
        `unknown audit event type ${String((unknownInput as { type: unknown }).type)}`,
      );
    }
  }
  // Privacy guard: the full document number must not appear anywhere in the clear body (free text included).
  if (doc) {
    const norm = normaliseDocumentNumber(doc.documentNumber);
    const flat = JSON.stringify(body).toUpperCase();
    if (norm.length >= 6 && flat.includes(norm)) {
      throw new KioskError(
        'E_AUDIT_PII_REFUSED',
        'refused: the full document number would be stored in the clear',
      );
    }
  }
  const clean = dropUndefined(body as EventBody);
  return sealed ? { body: clean, sealed } : { body: clean };
}

function dropUndefined<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export { SEALABLE_FIELDS };
