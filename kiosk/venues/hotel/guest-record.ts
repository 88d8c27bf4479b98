// The hotel guest record: what is sealed on the kiosk and, unsealed on the backend, exported for the venue's
// reporting duty. Field list and formats: docs/venues.md, "Hotel guest records". Pure.
import { z } from 'zod';

export const GUEST_RECORD_KIND = 'hotel.guest';

export const guestRecordSchema = z.strictObject({
  kind: z.literal(GUEST_RECORD_KIND),
  version: z.literal(1),
  /** UUID of this record. */
  recordId: z.string().min(1),
  venueId: z.string(),
  kioskId: z.string(),
  bookingRef: z.string().min(1),
  room: z.string().min(1),
  /** 1-based position of this guest in the booking, and the booking's guest count. */
  guestIndex: z.number().int().min(1),
  guestCount: z.number().int().min(1),
  name: z.string().min(1),
  nameLatin: z.string().optional(),
  sex: z.enum(['M', 'F', 'X']).optional(),
  documentType: z.string().min(1),
  documentNumber: z.string().min(1),
  /** ISO 3166-1 alpha-3. */
  nationality: z.string().optional(),
  /** YYYY-MM-DD (may be partial for some MRZ documents). */
  birthDate: z.string().optional(),
  /** Dates of stay from the booking: arrival and departure, YYYY-MM-DD. */
  stayFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  stayTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** When the kiosk verified the guest, ISO 8601 with the venue's offset. */
  verifiedAt: z.string().min(1),
  /** How the credential reached the kiosk (id-card, mrz, wallet, identity-qr). */
  credentialSource: z.string().min(1),
});

export type GuestRecord = z.infer<typeof guestRecordSchema>;

/** Export columns, in order. Optional fields are empty cells in CSV. */
export const EXPORT_FIELDS = [
  'recordId',
  'venueId',
  'kioskId',
  'bookingRef',
  'room',
  'guestIndex',
  'guestCount',
  'name',
  'nameLatin',
  'sex',
  'documentType',
  'documentNumber',
  'nationality',
  'birthDate',
  'stayFrom',
  'stayTo',
  'verifiedAt',
  'credentialSource',
] as const satisfies readonly (keyof GuestRecord)[];
