// The shipped venue profiles parse against the whole kiosk schema, their consent notices match what each
// profile keeps, and docs/venues.md documents every venue config key and error code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { venueSection } from '../../../config/schema/venue.ts';
import { venueCodes } from '../../../kiosk/shared/error-codes/venue.ts';
import { builtinNotice, CONSENT_LANGUAGES } from '../../../kiosk/venues/consent.ts';
import { createVenue } from '../../../kiosk/venues/index.ts';
import { guestRecordSealer } from '../../../kiosk/venues/hotel/seal.ts';
import { generateX25519 } from '../../../kiosk/audit/crypto.ts';
import { deps, fakeRelay } from '../../fixtures/venues/helpers.ts';

const PROFILES = ['internet-cafe', 'stadium-gate', 'hotel-front-desk'] as const;
const read = (p: string) => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8');

describe('venue profiles', () => {
  for (const name of PROFILES) {
    it(`${name}.json parses against the kiosk schema and builds a venue`, () => {
      const raw = JSON.parse(read(`config/profiles/${name}.json`)) as Record<string, unknown>;
      const parsed = configSchema.safeParse(raw);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      const venue = parsed.data!.venue;
      expect(venue.profile).toBe(name);
      expect(raw['profile']).toBe(name);
      // the consent texts are the built-in ones for this profile's retention (regenerate with
      // `npx tsx tests/fixtures/venues/generate-profiles.ts` after changing retention)
      for (const l of CONSENT_LANGUAGES) {
        expect(venue.consent[l], `${name} ${l}`).toBe(builtinNotice(venue, l));
      }
      for (const r of venue.retention) {
        expect(venue.consent.en).toContain(r.days === 0 ? 'deleted once no longer needed' : `${r.days} day`);
      }
      const v = createVenue(
        venue,
        deps({ relay: fakeRelay({ sensor: true }), seal: guestRecordSealer(generateX25519().publicKey) }),
      );
      try {
        expect(v.profile).toBe(name);
        expect(v.attendant.summary().retention).toEqual(venue.retention);
      } finally {
        v.close();
      }
    });
  }

  it('the schema fills every default and rejects unknown keys and bad time zones', () => {
    const d = venueSection.parse(undefined);
    expect(d.profile).toBe('none');
    expect(d.timeZone).toBe('Asia/Shanghai');
    expect(d.internetCafe.billing.identity).toBe('pseudonym');
    expect(venueSection.safeParse({ colour: 'red' }).success).toBe(false);
    expect(venueSection.safeParse({ timeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(venueSection.safeParse({ internetCafe: { minAge: -1 } }).success).toBe(false);
    expect(venueSection.safeParse({ internetCafe: { billing: { url: 'ftp://x' } } }).success).toBe(false);
    expect(
      venueSection.safeParse({ stadiumGate: { ticketFeedUrl: 'https://tickets.example/feed.csv' } }).success,
    ).toBe(true);
  });
});

describe('docs/venues.md', () => {
  const doc = read('docs/venues.md');
  it('documents every venue error code', () => {
    for (const code of Object.keys(venueCodes)) expect(doc, code).toContain(`\`${code}\``);
  });
  it('documents every venue config key', () => {
    const keys = (o: Record<string, unknown>, prefix: string): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' && !Array.isArray(v)
          ? keys(v as Record<string, unknown>, `${prefix}${k}.`)
          : [`${prefix}${k}`],
      );
    for (const key of keys(venueSection.parse(undefined) as Record<string, unknown>, 'venue.')) {
      expect(doc, key).toContain(`\`${key}\``);
    }
  });
});
