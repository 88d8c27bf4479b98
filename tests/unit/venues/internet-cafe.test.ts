import { afterEach, describe, expect, it } from 'vitest';
import { createVenue, type VenueHandle } from '../../../kiosk/venues/index.ts';
import { config, deps, doc, fakeClock, MATCH, testPseudonym } from '../../fixtures/venues/helpers.ts';

// 2026-11-23 12:00 in Shanghai.
const NOON = Date.UTC(2026, 10, 23, 4);

describe('internet-cafe decide', () => {
  let venue: VenueHandle | undefined;
  afterEach(() => venue?.close());

  const cafe = (over: Record<string, unknown> = {}, clock = fakeClock(NOON)) => {
    venue = createVenue(config({ profile: 'internet-cafe', internetCafe: over }), deps({ clock: clock.now }));
    return venue;
  };

  it('passes an adult with a matching face', async () => {
    const d = await cafe().decide({ document: doc(), face: MATCH, now: NOON });
    expect(d).toMatchObject({ outcome: 'pass', reason: 'ok' });
  });

  it('denies someone who turns 18 tomorrow on the kiosk local date, passes them on the birthday', async () => {
    const v = cafe();
    const d1 = await v.decide({ document: doc({ birthDate: '2008-11-24' }), face: MATCH, now: NOON });
    expect(d1).toMatchObject({ outcome: 'deny', reason: 'underage' });
    const d2 = await v.decide({ document: doc({ birthDate: '2008-11-23' }), face: MATCH, now: NOON });
    expect(d2).toMatchObject({ outcome: 'pass', reason: 'ok' });
  });

  it('uses the configured time zone: just after midnight in Shanghai is still the day before in UTC', async () => {
    const t = Date.UTC(2026, 10, 22, 16, 30); // 00:30 on the 23rd in Shanghai
    const shanghai = createVenue(config({ profile: 'internet-cafe' }), deps());
    const utc = createVenue(config({ profile: 'internet-cafe', timeZone: 'UTC' }), deps());
    try {
      const document = doc({ birthDate: '2008-11-23' });
      expect((await shanghai.decide({ document, face: MATCH, now: t })).outcome).toBe('pass');
      expect((await utc.decide({ document, face: MATCH, now: t })).reason).toBe('underage');
    } finally {
      shanghai.close();
      utc.close();
    }
  });

  it('applies the leap-day rule from the profile', async () => {
    const mar1 = Date.UTC(2026, 1, 28, 4); // 28 Feb 2026 noon Shanghai
    const document = doc({ birthDate: '2008-02-29' });
    expect((await cafe().decide({ document, face: MATCH, now: mar1 })).reason).toBe('underage');
    venue?.close();
    expect(
      (await cafe({ leapDayBirthday: 'feb-28' }).decide({ document, face: MATCH, now: mar1 })).reason,
    ).toBe('ok');
  });

  it('accepts a wallet age_over_18 claim without birth date, and the face step is skipped only when configured', async () => {
    const wallet = doc({
      source: 'wallet',
      documentType: 'wallet-pid',
      claims: { age_over_18: true },
      checks: [],
    });
    const { birthDate: _b, ...noBirth } = wallet;
    const v = cafe({ faceCheck: 'when-portrait' });
    expect(v.needsFace(noBirth)).toBe(false);
    expect(v.needsFace(doc({ portrait: { format: 'jpeg', bytes: new Uint8Array(4) } }))).toBe(true);
    const d = await v.decide({ document: noBirth, face: { outcome: 'skipped' }, now: NOON });
    expect(d).toMatchObject({ outcome: 'pass', reason: 'ok' });
    const under = await v.decide({
      document: { ...noBirth, claims: { age_over_18: false } },
      face: { outcome: 'skipped' },
      now: NOON,
    });
    expect(under.reason).toBe('underage');
    const none = await v.decide({
      document: { ...noBirth, claims: {} },
      face: { outcome: 'skipped' },
      now: NOON,
    });
    expect(none).toMatchObject({ outcome: 'review', reason: 'policy-review' });
  });

  it('sends a skipped face to review when the profile requires the face check', async () => {
    const d = await cafe().decide({ document: doc(), face: { outcome: 'skipped' }, now: NOON });
    expect(d).toMatchObject({ outcome: 'review', reason: 'policy-review' });
  });

  it('keeps the core verdict: a face no-match is denied, a bad check digit is denied', async () => {
    const v = cafe();
    expect(
      (await v.decide({ document: doc(), face: { outcome: 'no-match', score: 0.1 }, now: NOON })).reason,
    ).toBe('face-no-match');
    const bad = doc({ checks: [{ name: 'id-number.check-digit', ok: false }] });
    expect((await v.decide({ document: bad, face: MATCH, now: NOON })).outcome).toBe('deny');
  });

  it('a venue deny (underage) beats a core review (unusable face image)', async () => {
    const d = await cafe().decide({
      document: doc({ birthDate: '2012-01-01' }),
      face: { outcome: 'quality' },
      now: NOON,
    });
    expect(d).toMatchObject({ outcome: 'deny', reason: 'underage' });
  });

  it('allows one active session per person: the second check-in is denied until the session ends or expires', async () => {
    const clock = fakeClock(NOON);
    const v = cafe({ sessionMaxHours: 2 }, clock);
    const document = doc();
    const d = await v.decide({ document, face: MATCH, now: clock.now() });
    const a = await v.act({ decision: d, document });
    expect(a.ok).toBe(true);
    expect(a.displayCode).toMatch(/^[A-Z2-9]{6}$/);
    clock.advance(60_000);
    const again = await v.decide({ document, face: MATCH, now: clock.now() });
    expect(again).toMatchObject({ outcome: 'deny', reason: 'already-active-session' });
    // someone else is not affected
    const other = doc({ documentNumber: '110105199003070012', name: '李四' });
    expect((await v.decide({ document: other, face: MATCH, now: clock.now() })).outcome).toBe('pass');
    // expiry ends it
    clock.advance(2 * 3_600_000);
    expect((await v.decide({ document, face: MATCH, now: clock.now() })).outcome).toBe('pass');
    expect(v.internetCafe?.activeSessions()).toBe(0);
  });

  it('records masked decisions for the attendant, today only', async () => {
    const clock = fakeClock(NOON);
    const v = cafe({}, clock);
    const document = doc();
    const d = await v.decide({ document, face: MATCH, now: clock.now() });
    await v.act({ decision: d, document });
    await v.decide({
      document: doc({ birthDate: '2015-01-01', documentNumber: '110105201501010011' }),
      face: MATCH,
      now: clock.now(),
    });
    const rows = v.attendant.todaysDecisions();
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.reason).sort()).toEqual(['ok', 'underage']);
    const passed = rows.find((r) => r.reason === 'ok');
    expect(passed?.maskedNumber).toBe('1101**********002X');
    expect(passed?.maskedName).toBe('张*');
    expect(passed?.action?.ok).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('11010519491231002X');
    expect(JSON.stringify(rows)).not.toContain(testPseudonym('11010519491231002X'));
    clock.advance(24 * 3_600_000);
    expect(v.attendant.todaysDecisions()).toHaveLength(0);
    expect(v.attendant.queueThroughput().total).toBe(0);
  });

  it('exposes the profile, retention and a consent notice in four languages', () => {
    const v = cafe();
    const s = v.attendant.summary();
    expect(s.profile).toBe('internet-cafe');
    expect(s.settings['minAge']).toBe(18);
    for (const l of v.consent.languages) expect(v.consent.notice(l).text.length).toBeGreaterThan(40);
    expect(v.consent.notice('en').text).toContain('7 days');
    expect(v.consent.notice('zh-Hans').text).toContain('7天');
  });

  it('refuses to start with a billing URL but no billing secret', () => {
    expect(() =>
      createVenue(
        config({ profile: 'internet-cafe', internetCafe: { billing: { url: 'http://127.0.0.1:1/x' } } }),
        deps(),
      ),
    ).toThrowError(expect.objectContaining({ code: 'E_VENUE_DEPENDENCY_MISSING' }));
  });

  it('purges ended and expired sessions after the profile retention, never active ones', async () => {
    const clock = fakeClock(NOON);
    venue = createVenue(
      config({
        profile: 'internet-cafe',
        internetCafe: { sessionMaxHours: 1 },
        retention: [{ record: 'sessions', where: 'kiosk', days: 60 }],
      }),
      deps({ clock: clock.now }),
    );
    const document = doc();
    const d = await venue.decide({ document, face: MATCH, now: clock.now() });
    expect((await venue.act({ decision: d, document })).ok).toBe(true);
    expect(venue.purge(NOON + 30 * 60_000)['sessions']).toBe(0); // still active
    expect(venue.purge(NOON + 59 * 86_400_000)['sessions']).toBe(0); // expired, inside retention
    expect(venue.purge(NOON + 61 * 86_400_000)['sessions']).toBe(1);
  });
});
