import { afterEach, describe, expect, it } from 'vitest';
import { createVenue, type VenueHandle } from '../../../kiosk/venues/index.ts';
import {
  config,
  deps,
  doc,
  fakeClock,
  fakeRelay,
  MATCH,
  testPseudonym,
} from '../../fixtures/venues/helpers.ts';

const KICKOFF = Date.UTC(2026, 10, 23, 11); // 19:00 Shanghai
const ALICE = doc();
const BOB = doc({ documentNumber: 'E12345678', documentType: 'passport', source: 'mrz', name: 'SMITH BOB' });
const CAROL = doc({ documentNumber: '110105199003070012', name: '王五' });

function ticketsCsv(): string {
  return [
    'ticket_id,pseudonym,event,gate,valid_from,valid_to,reentry',
    `T1,${testPseudonym(ALICE.documentNumber)},final-2026,A,2026-11-23 17:00,2026-11-23 20:00,no`,
    `T2,${testPseudonym(BOB.documentNumber)},final-2026,B,2026-11-23 17:00,2026-11-23 20:00,no`,
    `T3,${testPseudonym(CAROL.documentNumber)},final-2026,*,2026-11-23 17:00,2026-11-23 20:00,yes`,
    `T4,${testPseudonym(BOB.documentNumber)},cup-2026,A,2026-12-01 17:00,2026-12-01 20:00,no`,
  ].join('\n');
}

describe('stadium-gate', () => {
  let venue: VenueHandle | undefined;
  afterEach(() => venue?.close());

  const gate = (over: Record<string, unknown> = {}, relay = fakeRelay({ sensor: false })) => {
    const clock = fakeClock(KICKOFF - 3_600_000); // 18:00 local
    venue = createVenue(
      config({
        profile: 'stadium-gate',
        stadiumGate: { gate: 'A', event: 'final-2026', passageTimeoutMs: 500, ...over },
      }),
      deps({ clock: clock.now, relay }),
    );
    const r = venue.importText('tickets', ticketsCsv());
    expect(r).toEqual({ ok: true, kind: 'tickets', count: 4 });
    return { venue, clock, relay };
  };

  it('passes a ticket holder at the right gate inside the window, opens the gate, and consumes the ticket', async () => {
    const { venue: v, clock, relay } = gate();
    const d = await v.decide({ document: ALICE, face: MATCH, now: clock.now() });
    expect(d).toMatchObject({ outcome: 'pass', reason: 'ok' });
    expect(await v.act({ decision: d, document: ALICE })).toMatchObject({ ok: true });
    expect(relay.pulses).toEqual([800]);
    const again = await v.decide({ document: ALICE, face: MATCH, now: clock.now() + 60_000 });
    expect(again).toMatchObject({ outcome: 'deny', reason: 'ticket-used' });
  });

  it('denies for its own reasons: wrong gate, outside window, no ticket, banned', async () => {
    const { venue: v, clock } = gate();
    expect(await v.decide({ document: BOB, face: MATCH, now: clock.now() })).toMatchObject({
      outcome: 'deny',
      reason: 'ticket-wrong-gate',
      note: 'ticket is for gate B',
    });
    expect((await v.decide({ document: ALICE, face: MATCH, now: KICKOFF + 2 * 3_600_000 })).reason).toBe(
      'ticket-outside-window',
    );
    expect((await v.decide({ document: ALICE, face: MATCH, now: KICKOFF - 5 * 3_600_000 })).note).toBe(
      'too early',
    );
    const stranger = doc({ documentNumber: '11010519800101001X' });
    expect((await v.decide({ document: stranger, face: MATCH, now: clock.now() })).reason).toBe('no-ticket');
    const bans = v.importText(
      'bans',
      `pseudonym,reason\n${testPseudonym(ALICE.documentNumber)},pitch invasion\n`,
    );
    expect(bans.ok).toBe(true);
    expect((await v.decide({ document: ALICE, face: MATCH, now: clock.now() })).reason).toBe('banned');
    // a ban with an end date lapses
    v.importText('bans', `pseudonym,until\n${testPseudonym(ALICE.documentNumber)},2026-11-23 18:30\n`);
    expect((await v.decide({ document: ALICE, face: MATCH, now: clock.now() })).reason).toBe('banned');
    expect((await v.decide({ document: ALICE, face: MATCH, now: clock.now() + 3_600_000 })).outcome).toBe(
      'pass',
    );
  });

  it('sends a face problem to review but keeps a ticket deny', async () => {
    const { venue: v, clock } = gate();
    expect(await v.decide({ document: ALICE, face: { outcome: 'no-face' }, now: clock.now() })).toMatchObject(
      {
        outcome: 'review',
        reason: 'face-no-usable-image',
      },
    );
    expect((await v.decide({ document: BOB, face: { outcome: 'no-face' }, now: clock.now() })).reason).toBe(
      'ticket-wrong-gate',
    );
  });

  it('allows re-entry on a ticket marked so, or everywhere when the profile allows it', async () => {
    const { venue: v, clock } = gate();
    for (let i = 0; i < 2; i++) {
      const d = await v.decide({ document: CAROL, face: MATCH, now: clock.now() });
      expect(d.outcome).toBe('pass');
      expect((await v.act({ decision: d, document: CAROL })).ok).toBe(true);
    }
  });

  it('with a passage sensor, consumes the entry only when someone walks through', async () => {
    const relay = fakeRelay({ sensor: true });
    const { venue: v, clock } = gate({ passageSensor: true }, relay);
    const d = await v.decide({ document: ALICE, face: MATCH, now: clock.now() });
    // nobody walks: the opening times out and the ticket stays valid
    const t0 = Date.now();
    const r1 = await v.act({ decision: d, document: ALICE });
    expect(r1).toMatchObject({ ok: false, reason: 'timeout' });
    expect(r1.detail).toContain('entry not consumed');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(relay.subscribers()).toBe(0); // the subscription was released
    expect((await v.decide({ document: ALICE, face: MATCH, now: clock.now() })).outcome).toBe('pass');
    // this time the person walks through
    const act = v.act({ decision: d, document: ALICE });
    setTimeout(() => relay.walk(), 50);
    expect(await act).toMatchObject({ ok: true });
    expect(relay.pulses).toHaveLength(2);
    expect((await v.decide({ document: ALICE, face: MATCH, now: clock.now() })).reason).toBe('ticket-used');
  });

  it("reports a relay fault as 'venue-system-down' without consuming the ticket", async () => {
    const { venue: v, clock } = gate({}, fakeRelay({ sensor: false, failPulse: true }));
    const d = await v.decide({ document: ALICE, face: MATCH, now: clock.now() });
    expect(await v.act({ decision: d, document: ALICE })).toMatchObject({
      ok: false,
      reason: 'venue-system-down',
    });
    expect((await v.decide({ document: ALICE, face: MATCH, now: clock.now() })).outcome).toBe('pass');
    expect(await v.attendant.testRelay()).toMatchObject({ ok: false, detail: 'relay board not answering' });
  });

  it('opens for an attendant-approved person without a ticket, and logs the entry', async () => {
    const { venue: v, clock } = gate();
    const stranger = doc({ documentNumber: '11010519800101001X' });
    await v.decide({ document: stranger, face: MATCH, now: clock.now() });
    const r = await v.act({
      decision: { outcome: 'pass', reason: 'attendant-approved' },
      document: stranger,
    });
    expect(r.ok).toBe(true);
    expect(v.attendant.queueThroughput().total).toBe(1);
    expect(v.attendant.todaysDecisions()[0]).toMatchObject({ outcome: 'pass', reason: 'attendant-approved' });
  });

  it('counts entries per minute over the last 15 minutes', async () => {
    const { venue: v, clock } = gate({ reentry: true });
    const start = clock.now();
    // 3 entries in the first minute, 1 five minutes later, 2 twenty minutes earlier (outside the window)
    const enter = async (at: number) => {
      clock.set(at);
      const d = await v.decide({ document: ALICE, face: MATCH, now: at });
      expect((await v.act({ decision: d, document: ALICE })).ok).toBe(true);
    };
    await enter(start - 20 * 60_000 + 61_000 - (start % 60_000)); // well before
    await enter(start - 20 * 60_000 + 62_000 - (start % 60_000));
    for (const s of [1, 2, 3]) await enter(start + s * 1000);
    await enter(start + 5 * 60_000);
    clock.set(start + 5 * 60_000 + 30_000);
    const t = v.attendant.queueThroughput();
    expect(t.windowMinutes).toBe(15);
    expect(t.perMinute).toHaveLength(15);
    expect(t.total).toBe(4);
    expect(t.rate).toBeCloseTo(4 / 15);
    expect(t.perMinute.at(-1)?.entries).toBe(1);
    expect(t.perMinute.at(-6)?.entries).toBe(3);
  });

  it('purges entries, used-up tickets and decisions past their retention', async () => {
    const clock = fakeClock(KICKOFF - 3_600_000);
    venue = createVenue(
      config({
        profile: 'stadium-gate',
        stadiumGate: { gate: 'A' },
        retention: [
          { record: 'decisions', where: 'kiosk', days: 7 },
          { record: 'entries', where: 'kiosk', days: 1 },
          { record: 'tickets', where: 'kiosk', days: 2 },
        ],
      }),
      deps({ clock: clock.now, relay: fakeRelay({ sensor: false }) }),
    );
    expect(venue.importText('tickets', ticketsCsv()).ok).toBe(true);
    const d = await venue.decide({ document: ALICE, face: MATCH, now: clock.now() });
    await venue.act({ decision: d, document: ALICE });
    expect(venue.purge(clock.now())).toEqual({ entries: 0, tickets: 0, decisions: 0 });
    // 1.5 days later: the entry goes; the final's tickets (window ended 20:00) stay until 2 days after
    expect(venue.purge(clock.now() + 36 * 3_600_000)).toEqual({ entries: 1, tickets: 0, decisions: 0 });
    expect(venue.purge(clock.now() + 3 * 86_400_000)).toEqual({ entries: 0, tickets: 3, decisions: 0 });
    expect(venue.purge(clock.now() + 8 * 86_400_000)).toEqual({ entries: 0, tickets: 0, decisions: 1 });
  });
});
