import { describe, expect, it } from 'vitest';
import { generateX25519 } from '../../../kiosk/audit/crypto.ts';
import { seedDemo } from '../../../kiosk/venues/demo.ts';
import { guestRecordSealer } from '../../../kiosk/venues/hotel/seal.ts';
import { createVenue } from '../../../kiosk/venues/index.ts';
import { SYNTHETIC_CARDS } from '../../../firmware-bridge/simulators/cards.ts';
import { config, deps, doc, fakeRelay, MATCH, testPseudonym } from '../../fixtures/venues/helpers.ts';

const NUMBERS = SYNTHETIC_CARDS.map((c) => c.number);
const NOW = Date.UTC(2026, 10, 23, 4);

describe('demo seed', () => {
  it('makes the simulator cards ticket holders at a stadium gate', async () => {
    const v = createVenue(
      config({ profile: 'stadium-gate', stadiumGate: { gate: 'B', event: 'demo' } }),
      deps({ clock: () => NOW, relay: fakeRelay({ sensor: false }) }),
    );
    try {
      const [r] = seedDemo(v, {
        numbers: NUMBERS,
        pseudonym: testPseudonym,
        now: NOW,
        timeZone: 'Asia/Shanghai',
      });
      expect(r).toEqual({ ok: true, kind: 'tickets', count: NUMBERS.length });
      for (const n of NUMBERS) {
        const document = doc({ documentNumber: n });
        const d = await v.decide({ document, face: MATCH, now: NOW });
        expect(d.outcome, n).toBe('pass');
        expect((await v.act({ decision: d, document })).ok).toBe(true);
      }
      const stranger = doc({ documentNumber: '11010519800101001X' });
      expect((await v.decide({ document: stranger, face: MATCH, now: NOW })).reason).toBe('no-ticket');
    } finally {
      v.close();
    }
  });

  it('books the simulator cards into hotel rooms two by two', async () => {
    const v = createVenue(
      config({ profile: 'hotel-front-desk' }),
      deps({ clock: () => NOW, seal: guestRecordSealer(generateX25519().publicKey) }),
    );
    try {
      const [r] = seedDemo(v, {
        numbers: NUMBERS,
        pseudonym: testPseudonym,
        now: NOW,
        timeZone: 'Asia/Shanghai',
      });
      expect(r).toMatchObject({ ok: true, count: Math.ceil(NUMBERS.length / 2) });
      const first = doc({ documentNumber: NUMBERS[0]! });
      const d = await v.decide({ document: first, face: MATCH, now: NOW });
      expect(await v.act({ decision: d, document: first })).toMatchObject({
        displayCode: 'room 1201, guest 1 of 2',
      });
      const second = doc({ documentNumber: NUMBERS[1]! });
      const d2 = await v.decide({ document: second, face: MATCH, now: NOW });
      expect(await v.act({ decision: d2, document: second })).toMatchObject({
        displayCode: 'room 1201, guest 2 of 2',
      });
    } finally {
      v.close();
    }
  });
});
