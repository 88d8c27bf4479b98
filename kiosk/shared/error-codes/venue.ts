// Error codes of the venue area: code → one-line meaning (what happened and what to do). Append-only.
export const venueCodes = {
  E_VENUE_IMPORT_INVALID:
    'A ticket, ban or booking import had malformed rows; nothing was imported. The message lists every bad line.',
  E_VENUE_IMPORT_UNREACHABLE:
    'An import feed could not be fetched (network error or non-2xx answer); nothing was imported.',
  E_VENUE_DEPENDENCY_MISSING:
    'The venue profile needs a dependency kiosk/main did not provide (seal for hotels, billing secret for a billing URL).',
  E_VENUE_SECRET_INVALID: 'The venue secret file is missing, empty or shorter than 16 bytes.',
  E_VENUE_CALLBACK_REJECTED:
    'A billing-system callback had a bad signature, a stale timestamp or a malformed body; it was ignored.',
  E_VENUE_EXPORT_INVALID:
    'A guest-record export input was malformed; the message names the line and the field.',
  E_VENUE_STATE: 'The venue state database could not be opened or migrated; the message names the file.',
} as const satisfies Record<`E_${string}`, string>;
