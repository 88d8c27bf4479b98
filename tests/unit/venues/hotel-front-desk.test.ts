import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateX25519 } from '../../../kiosk/audit/crypto.ts';
import { run as hotel } from '../../../kiosk/cli/commands/hotel.ts';
import { memoryIo } from '../../../kiosk/cli/io.ts';
import { createVenue, type VenueHandle } from '../../../kiosk/venues/index.ts';
import { fromCsv, fromJson, recordsInPeriod, toCsv, toJson } from '../../../kiosk/venues/hotel/export.ts';
import type { GuestRecord } from '../../../kiosk/venues/hotel/guest-record.ts';
import { guestRecordSealer, openGuestRecord } from '../../../kiosk/venues/hotel/seal.ts';
import { config, deps, doc, fakeClock, MATCH, testPseudonym, tmpDb } from '../../fixtures/venues/helpers.ts';

const ARRIVAL = Date.UTC(2026, 10, 23, 6); // 14:00 Shanghai on the 23rd
const GUEST1 = doc();
const GUEST2 = doc({
  source: 'mrz',
  documentType: 'passport',
  documentNumber: 'E12345678',
  name: 'GARCIA LOPEZ MARIA',
  nameLatin: 'GARCIA LOPEZ, MARIA',
  sex: 'F',
  nationality: 'ESP',
  birthDate: '1988-02-29',
});
const GUEST3 = doc({ documentNumber: '110105199003070012', name: '王五, "小五"', birthDate: '1990-03-07' });
const WALK_IN = doc({ documentNumber: '11010519800101001X', name: '赵六' });

const BOOKINGS = [
  'booking_ref,room,guests,arrival,departure,guest_pseudonyms',
  `BK-1,1203,3,2026-11-23,2026-11-25,${testPseudonym(GUEST1.documentNumber)}`,
  'BK-2,0815,1,2026-11-23,2026-11-24,',
  `BK-OLD,0101,1,2026-11-01,2026-11-03,${testPseudonym(WALK_IN.documentNumber)}`,
].join('\n');

describe('hotel-front-desk', () => {
  let venue: VenueHandle | undefined;
  afterEach(() => venue?.close());

  const desk = () => {
    const backend = generateX25519();
    const clock = fakeClock(ARRIVAL);
    const path = tmpDb();
    venue = createVenue(
      config({ profile: 'hotel-front-desk', venueId: 'hotel-9' }),
      deps({ db: path, clock: clock.now, seal: guestRecordSealer(backend.publicKey), kioskId: 'desk-1' }),
    );
    expect(venue.importText('bookings', BOOKINGS)).toEqual({ ok: true, kind: 'bookings', count: 3 });
    return { venue, clock, backend, path, hotel: venue.hotelFrontDesk! };
  };

  const checkIn = async (v: VenueHandle, document: typeof GUEST1, now: number) => {
    const decision = await v.decide({ document, face: MATCH, now });
    return {
      decision,
      action: decision.outcome === 'pass' ? await v.act({ decision, document }) : undefined,
    };
  };

  it('checks every guest of a booking, counts them, and completes the booking with the last one', async () => {
    const { venue: v, clock, hotel: h } = desk();
    const g1 = await checkIn(v, GUEST1, clock.now());
    expect(g1.decision).toMatchObject({ outcome: 'pass', reason: 'ok' });
    expect(g1.action).toEqual({ ok: true, displayCode: 'room 1203, guest 1 of 3' });
    clock.advance(60_000);
    // the unnamed companions are counted towards the booking the first guest opened
    const g2 = await checkIn(v, GUEST2, clock.now());
    expect(g2.action?.displayCode).toBe('room 1203, guest 2 of 3');
    // the same guest again is not counted twice
    const again = await checkIn(v, GUEST2, clock.now());
    expect(again.action).toMatchObject({ ok: true, displayCode: 'room 1203, guest 2 of 3' });
    expect(h.bookingStatus('BK-1')).toEqual({
      ref: 'BK-1',
      room: '1203',
      expected: 3,
      verified: 2,
      complete: false,
    });
    const g3 = await checkIn(v, GUEST3, clock.now());
    expect(g3.action).toEqual({
      ok: true,
      displayCode: 'room 1203, guest 3 of 3',
      detail: 'booking complete',
    });
    expect(h.bookingStatus('BK-1')?.complete).toBe(true);
    expect(h.currentBookings()).toEqual([
      { ref: 'BK-2', room: '0815', expected: 1, verified: 0, complete: false },
      { ref: 'BK-1', room: '1203', expected: 3, verified: 3, complete: true },
    ]);
    // a fourth person is not silently added to a complete booking
    const extra = await v.decide({ document: WALK_IN, face: MATCH, now: clock.now() });
    expect(extra).toMatchObject({ outcome: 'review', reason: 'no-booking' });
  });

  it('sends a guest without a booking to review; the attendant opens the booking and they are counted', async () => {
    const { venue: v, clock, hotel: h } = desk();
    expect(await v.decide({ document: WALK_IN, face: MATCH, now: clock.now() })).toMatchObject({
      outcome: 'review',
      reason: 'no-booking',
    });
    expect(h.openBooking('BK-OLD')).toBeUndefined(); // not a current booking
    expect(h.openBooking('BK-2')).toMatchObject({ room: '0815', expected: 1, verified: 0 });
    const r = await checkIn(v, WALK_IN, clock.now());
    expect(r.action).toEqual({
      ok: true,
      displayCode: 'room 0815, guest 1 of 1',
      detail: 'booking complete',
    });
  });

  it('an open booking stops collecting guests after the window', async () => {
    const { venue: v, clock } = desk();
    await checkIn(v, GUEST1, clock.now());
    clock.advance(16 * 60_000);
    expect((await v.decide({ document: GUEST2, face: MATCH, now: clock.now() })).reason).toBe('no-booking');
  });

  it('seals each guest record: nothing readable on the kiosk, everything readable with the backend key', async () => {
    const { venue: v, clock, backend, path, hotel: h } = desk();
    await checkIn(v, GUEST1, clock.now());
    await checkIn(v, GUEST2, clock.now());
    v.close();
    venue = undefined;
    const bytes =
      readFileSync(path).toString('latin1') + readFileSync(path + '-wal', { flag: 'a+' }).toString('latin1');
    for (const secret of ['11010519491231002X', 'E12345678', 'GARCIA', '1988-02-29']) {
      expect(bytes.includes(secret), secret).toBe(false);
    }
    // reopen and read what the sync would ship
    // the shipped profile's retention: sealed records leave the kiosk once synced
    const profile = JSON.parse(
      readFileSync(new URL('../../../config/profiles/hotel-front-desk.json', import.meta.url), 'utf8'),
    ) as { venue: Record<string, unknown> };
    const again = createVenue(
      config(profile.venue),
      deps({ db: path, clock: clock.now, seal: guestRecordSealer(backend.publicKey) }),
    );
    try {
      const pending = again.hotelFrontDesk!.pendingSealed();
      expect(pending).toHaveLength(2);
      const records = pending.map((p) => openGuestRecord(backend.privateKey, p.blob));
      expect(records[1]).toMatchObject({
        bookingRef: 'BK-1',
        room: '1203',
        guestIndex: 2,
        guestCount: 3,
        name: 'GARCIA LOPEZ MARIA',
        documentType: 'passport',
        documentNumber: 'E12345678',
        nationality: 'ESP',
        birthDate: '1988-02-29',
        stayFrom: '2026-11-23',
        stayTo: '2026-11-25',
        verifiedAt: '2026-11-23T14:00:00+08:00',
        credentialSource: 'mrz',
      });
      // another key does not open it
      expect(() => openGuestRecord(generateX25519().privateKey, pending[0]!.blob)).toThrowError(
        expect.objectContaining({ code: 'E_AUDIT_UNSEAL_FAILED' }),
      );
      again.hotelFrontDesk!.markSynced(pending.map((p) => p.id));
      expect(again.hotelFrontDesk!.pendingSealed()).toHaveLength(0);
      // retention: guest-records on the kiosk 0 days after sync
      expect(again.purge(clock.now() + 1)['guest-records']).toBe(2);
    } finally {
      again.close();
    }
    expect(h).toBeDefined();
  });

  it('purges bookings, their guest counts and named guests 30 days after departure (profile retention)', async () => {
    const clock = fakeClock(ARRIVAL);
    const profile = JSON.parse(
      readFileSync(new URL('../../../config/profiles/hotel-front-desk.json', import.meta.url), 'utf8'),
    ) as { venue: Record<string, unknown> };
    const path = tmpDb();
    const again = createVenue(
      config(profile.venue),
      deps({ db: path, clock: clock.now, seal: guestRecordSealer(generateX25519().publicKey) }),
    );
    try {
      again.importText('bookings', BOOKINGS);
      await checkIn(again, GUEST1, clock.now());
      // BK-OLD departed 2026-11-03: 20 days ago, kept; BK-1 departs 2026-11-25
      expect(again.purge(clock.now())['bookings']).toBe(0);
      expect(again.purge(clock.now() + 11 * 86_400_000)['bookings']).toBe(1);
      expect(again.hotelFrontDesk!.bookingStatus('BK-OLD')).toBeUndefined();
      expect(again.hotelFrontDesk!.bookingStatus('BK-1')).toBeDefined();
      expect(again.purge(clock.now() + 33 * 86_400_000)['bookings']).toBe(2);
    } finally {
      again.close();
    }
  });

  it('refuses to run without a sealing function', () => {
    expect(() => createVenue(config({ profile: 'hotel-front-desk' }), deps())).toThrowError(
      expect.objectContaining({ code: 'E_VENUE_DEPENDENCY_MISSING' }),
    );
  });

  it("reports 'venue-system-down' and counts nobody when sealing fails", async () => {
    const clock = fakeClock(ARRIVAL);
    venue = createVenue(
      config({ profile: 'hotel-front-desk' }),
      deps({ clock: clock.now, seal: () => Promise.reject(new Error('no backend key')) }),
    );
    venue.importText('bookings', BOOKINGS);
    const r = await checkIn(venue, GUEST1, clock.now());
    expect(r.action).toMatchObject({ ok: false, reason: 'venue-system-down' });
    expect(venue.hotelFrontDesk!.bookingStatus('BK-1')?.verified).toBe(0);
  });
});

describe('hotel export', () => {
  const record = (over: Partial<GuestRecord>): GuestRecord => ({
    kind: 'hotel.guest',
    version: 1,
    recordId: 'r1',
    venueId: 'hotel-9',
    kioskId: 'desk-1',
    bookingRef: 'BK-1',
    room: '1203',
    guestIndex: 1,
    guestCount: 2,
    name: '张三',
    sex: 'M',
    documentType: 'cn-resident-id',
    documentNumber: '11010519491231002X',
    nationality: 'CHN',
    birthDate: '1949-12-31',
    stayFrom: '2026-11-23',
    stayTo: '2026-11-25',
    verifiedAt: '2026-11-23T14:00:00+08:00',
    credentialSource: 'id-card',
    ...over,
  });
  const records = [
    record({}),
    // commas, quotes, a newline and a leading space survive CSV
    record({
      recordId: 'r2',
      guestIndex: 2,
      name: ' GARCIA, "MARIA"\nLOPEZ',
      sex: 'F',
      nameLatin: 'GARCIA LOPEZ, MARIA',
    }),
    // no optional fields at all
    record({
      recordId: 'r3',
      verifiedAt: '2026-11-24T23:59:59+08:00',
      sex: undefined,
      nationality: undefined,
      birthDate: undefined,
    } as Partial<GuestRecord>),
    // 00:30 on the 25th in Shanghai, still the 24th in UTC: outside a 23..24 export
    record({ recordId: 'r4', verifiedAt: '2026-11-24T16:30:00Z' }),
  ].map((r) => JSON.parse(JSON.stringify(r)) as GuestRecord); // drop undefined like a real store would

  it('CSV and JSON round-trip exactly', () => {
    const inPeriod = recordsInPeriod(records, '2026-11-23', '2026-11-24', 'Asia/Shanghai');
    expect(inPeriod.map((r) => r.recordId)).toEqual(['r1', 'r2', 'r3']);
    expect(fromCsv(toCsv(inPeriod))).toEqual(inPeriod);
    const meta = {
      venueId: 'hotel-9',
      from: '2026-11-23',
      to: '2026-11-24',
      generatedAt: 'now',
      timeZone: 'Asia/Shanghai',
    };
    expect(fromJson(toJson(inPeriod, meta))).toEqual({ meta, records: inPeriod });
    expect(toCsv(inPeriod).split('\r\n')[0]).toBe(
      'recordId,venueId,kioskId,bookingRef,room,guestIndex,guestCount,name,nameLatin,sex,documentType,documentNumber,nationality,birthDate,stayFrom,stayTo,verifiedAt,credentialSource',
    );
  });

  it('rejects a CSV with a changed header or a broken row', () => {
    const csv = toCsv(records);
    expect(() => fromCsv(csv.replace('recordId', 'id'))).toThrowError(
      expect.objectContaining({ code: 'E_VENUE_EXPORT_INVALID' }),
    );
    expect(() => fromCsv(csv.replace(',1,2,', ',one,2,'))).toThrowError(/guestIndex/);
  });

  it('the CLI exports from sealed records with the backend key, round-tripping through the documented CSV', async () => {
    const backend = generateX25519();
    const dir = mkdtempSync(join(tmpdir(), 'hotel-cli-'));
    const seal = guestRecordSealer(backend.publicKey);
    const sealedFile = join(dir, 'sealed.jsonl');
    writeFileSync(sealedFile, records.map((r) => JSON.stringify(seal(r)) + '\n').join(''));
    const keyFile = join(dir, 'backend.pem');
    writeFileSync(keyFile, backend.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const out = join(dir, 'report.csv');
    const io = memoryIo();
    const code = await hotel(
      [
        'export',
        '--from',
        '2026-11-23',
        '--to',
        '2026-11-24',
        '--sealed',
        sealedFile,
        '--key',
        keyFile,
        '--out',
        out,
      ],
      io,
    );
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout[0]).toContain('exported 3 guest records');
    expect(fromCsv(readFileSync(out, 'utf8'))).toEqual(records.slice(0, 3));
    // JSON from plain records (the backend's unsealed store as JSON lines)
    const plain = join(dir, 'records.jsonl');
    writeFileSync(plain, records.map((r) => JSON.stringify(r)).join('\n'));
    const io2 = memoryIo();
    expect(
      await hotel(
        ['export', '--from', '2026-11-25', '--to', '2026-11-25', '--in', plain, '--format', 'json'],
        io2,
      ),
    ).toBe(0);
    expect(fromJson(io2.stdout.join('\n')).records.map((r) => r.recordId)).toEqual(['r4']);
    // bad input: the line is named, nothing is written
    writeFileSync(plain, JSON.stringify(records[0]) + '\n{"kind":"hotel.guest"}\n');
    const io3 = memoryIo();
    expect(await hotel(['export', '--from', '2026-11-23', '--to', '2026-11-24', '--in', plain], io3)).toBe(1);
    expect(io3.stderr[0]).toMatch(/^E_VENUE_EXPORT_INVALID: line 2/);
  });
});
