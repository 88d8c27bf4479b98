// Config section 'venue': which venue workflow runs after "this is the person" (docs/venues.md).
// Every key has a default; unknown keys fail. Secrets are never in this file: the section names the files
// that kiosk/main reads and passes to createVenue() as deps.
import { z } from 'zod';

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** '' (not used) or an absolute http(s) URL. */
const optionalUrl = z
  .string()
  .refine((u) => u === '' || /^https?:\/\/[^\s/]+/.test(u), { message: "expected '' or an http(s) URL" })
  .default('');

/** How long one kind of venue record is kept, and where. A purge job enforces it (docs/venues.md, Retention). */
const retentionRule = z.strictObject({
  /** Record kind, e.g. 'decisions', 'sessions', 'entries', 'tickets', 'guest-records'. */
  record: z.string().min(1),
  /** Where the record lives: on the kiosk (venue SQLite state) or on the backend. */
  where: z.enum(['kiosk', 'backend']),
  /** The fields the record holds (documentation for the consent notice and the attendant summary). */
  fields: z.array(z.string()).default([]),
  /** Days after the record's time before it is deleted; 0 = deleted as soon as it is no longer needed. */
  days: z.number().int().min(0).max(3650),
});
export type RetentionRule = z.infer<typeof retentionRule>;

/** Consent notice shown before a check-in (what is read, why, how long it is kept). '' = built-in text. */
const consentSection = z
  .strictObject({
    'zh-Hans': z.string().default(''),
    'zh-Hant': z.string().default(''),
    en: z.string().default(''),
    es: z.string().default(''),
  })
  .prefault({});

/** When the face check runs: always, or only when the credential carries a portrait (age-only wallets). */
const faceCheck = z.enum(['always', 'when-portrait']);

const internetCafe = z
  .strictObject({
    /** Minimum age in completed years on the kiosk's local date. */
    minAge: z.number().int().min(0).max(99).default(18),
    /** Birthday of someone born on 29 February in a non-leap year: 1 March (conservative) or 28 February. */
    leapDayBirthday: z.enum(['mar-1', 'feb-28']).default('mar-1'),
    /** Accept a wallet's age_over_<minAge> claim when the credential has no birth date. */
    acceptAgeOverClaim: z.boolean().default(true),
    faceCheck: faceCheck.default('always'),
    /** A session ends by the billing system's callback, or at the latest after this many hours. */
    sessionMaxHours: z.number().positive().max(168).default(24),
    billing: z
      .strictObject({
        /** The billing/management system's webhook URL; '' = no billing system (a local session code only). */
        url: optionalUrl,
        /** File holding the shared HMAC secret (read by kiosk/main, passed as deps.billingSecret). */
        secretFile: z.string().default(''),
        /**
         * What the billing system learns about the person. 'pseudonym' (default): venue pseudonym, masked
         * name and number, document type, nationality. 'real-name': also the full name and document number,
         * for cafés that must report real names to the public-security system themselves.
         */
        identity: z.enum(['pseudonym', 'real-name']).default('pseudonym'),
        /**
         * Per-attempt timeout. Worst case of one registration ≈ maxAttempts × timeoutMs + backoffMs ×
         * (2^(maxAttempts-1) − 1) × 1.2: keep it below the machine's timeouts.actMs (default 15 s).
         */
        timeoutMs: z.number().int().min(100).max(60_000).default(3000),
        /** Attempts in total (first try + retries). */
        maxAttempts: z.number().int().min(1).max(10).default(3),
        /** First back-off; doubles each retry, with ±20% jitter. */
        backoffMs: z.number().int().min(0).max(30_000).default(300),
        /** Callbacks whose timestamp is further than this from the kiosk's clock are refused. */
        callbackToleranceSeconds: z.number().int().min(10).max(3600).default(300),
        /**
         * Port on which kiosk/main starts the billing-callback listener (venue.internetCafe.listen); 0 = none
         * (sessions then end only by expiry or the attendant).
         */
        callbackPort: z.number().int().min(0).max(65535).default(0),
        /** Address the callback listener binds to; the billing system must reach it (e.g. the LAN address). */
        callbackHost: z.string().default('127.0.0.1'),
      })
      .prefault({}),
  })
  .prefault({});

const stadiumGate = z
  .strictObject({
    /** This kiosk's gate, matched against the ticket's gate ('' or '*' on a ticket = any gate). */
    gate: z.string().default(''),
    /** Only tickets of this event are valid here; '' = any event whose entry window is open. */
    event: z.string().default(''),
    /** Allow re-entry on a ticket that has already been used. */
    reentry: z.boolean().default(false),
    faceCheck: faceCheck.default('always'),
    /** Relay pulse length. */
    relayPulseMs: z.number().int().min(50).max(10_000).default(800),
    /** Wait this long for the passage sensor after opening; then the opening times out (entry not consumed). */
    passageTimeoutMs: z.number().int().min(500).max(60_000).default(8000),
    /** Whether the gate has a passage sensor; without one the entry is consumed when the gate opens. */
    passageSensor: z.boolean().default(false),
    /** HTTP feed of tickets (CSV or JSON); '' = imported by `eid-kiosk tickets import` only. */
    ticketFeedUrl: optionalUrl,
    /** HTTP feed of the ban list (CSV or JSON); '' = imported by the CLI only. */
    banFeedUrl: optionalUrl,
    /** Re-import the feeds every this many minutes (all or nothing each time); 0 = only on refreshFeeds(). */
    feedRefreshMinutes: z.number().int().min(0).max(1440).default(10),
  })
  .prefault({});

const hotelFrontDesk = z
  .strictObject({
    /** A booking opened by its first guest waits this long for the other guests at this kiosk. */
    bookingWindowMinutes: z.number().int().min(1).max(240).default(15),
    /** A guest may check in this many days before the booking's arrival date. */
    earlyArrivalDays: z.number().int().min(0).max(7).default(0),
    faceCheck: faceCheck.default('always'),
  })
  .prefault({});

export const venueSection = z
  .strictObject({
    /** The venue workflow: 'none' runs the core policy only (demo). */
    profile: z.enum(['none', 'internet-cafe', 'stadium-gate', 'hotel-front-desk']).default('none'),
    /** Venue identifier sent to venue systems (billing webhook, exports). */
    venueId: z.string().default('venue-1'),
    /** The kiosk's local time zone (IANA), for ages, "today" and ticket times without an offset. */
    timeZone: z
      .string()
      .refine(isTimeZone, { message: 'not an IANA time zone this runtime knows' })
      .default('Asia/Shanghai'),
    /** Records this profile keeps and for how long (see docs/venues.md, Retention). */
    retention: z.array(retentionRule).default([
      {
        record: 'decisions',
        where: 'kiosk',
        fields: ['time', 'outcome', 'reason', 'masked name', 'masked number'],
        days: 7,
      },
    ]),
    consent: consentSection,
    internetCafe,
    stadiumGate,
    hotelFrontDesk,
  })
  .prefault({});

export type VenueConfig = z.infer<typeof venueSection>;
export type VenueProfileName = VenueConfig['profile'];
