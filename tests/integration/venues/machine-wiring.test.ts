// The venue wired into the real check-in machine the way kiosk/main does it: decide, act and the
// faceRequired guard come from createVenue(); the result screen shows the venue's displayCode.
import { createActor, fromCallback, fromPromise, waitFor } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { checkInMachine, type FaceCheckEvent, type FaceCheckInput } from '../../../kiosk/core/machine.ts';
import { DEFAULT_SETTINGS } from '../../../kiosk/core/settings.ts';
import type { ActionResult, Decision, FaceResult, IdentityDocument } from '../../../kiosk/core/types.ts';
import { toView } from '../../../kiosk/core/view.ts';
import { createVenue, type DecideInput, type VenueHandle } from '../../../kiosk/venues/index.ts';
import { generateX25519 } from '../../../kiosk/audit/crypto.ts';
import { guestRecordSealer } from '../../../kiosk/venues/hotel/seal.ts';
import { testPseudonym, config, deps, doc, MATCH } from '../../fixtures/venues/helpers.ts';

function wire(venue: VenueHandle, face: FaceResult = MATCH) {
  const machine = checkInMachine.provide({
    actors: {
      faceCheck: fromCallback<FaceCheckEvent, FaceCheckInput>(({ sendBack }) => {
        sendBack({ type: 'face.done', result: face });
        return () => undefined;
      }),
      decide: fromPromise<Decision, DecideInput>(({ input }) => venue.decide(input)),
      act: fromPromise<ActionResult, { decision: Decision; document: IdentityDocument }>(({ input }) =>
        venue.act(input),
      ),
    },
    guards: { faceRequired: (_a, p: { document: IdentityDocument }) => venue.needsFace(p.document) },
  });
  const actor = createActor(machine, {
    input: { settings: { ...DEFAULT_SETTINGS, profile: venue.profile } },
  });
  actor.start();
  return actor;
}

async function checkIn(venue: VenueHandle, document: IdentityDocument, face: FaceResult = MATCH) {
  const actor = wire(venue, face);
  try {
    actor.send({ type: 'document.read', document });
    const snap = await waitFor(actor, (s) => toView(s).screen === 'result' || toView(s).screen === 'review', {
      timeout: 5000,
    });
    return toView(snap);
  } finally {
    actor.stop();
  }
}

describe('venue ↔ check-in machine', () => {
  let venue: VenueHandle | undefined;
  afterEach(() => venue?.close());

  it('internet café: the session code reaches the result screen; a second check-in is refused', async () => {
    venue = createVenue(config({ profile: 'internet-cafe' }), deps({ clock: Date.now }));
    const first = await checkIn(venue, doc());
    expect(first.result).toMatchObject({ outcome: 'pass', reason: 'ok' });
    expect(first.result?.displayCode).toMatch(/^[A-Z2-9]{6}$/);
    const second = await checkIn(venue, doc());
    expect(second.result).toMatchObject({ outcome: 'deny', reason: 'already-active-session' });
    const minor = await checkIn(
      venue,
      doc({ documentNumber: '110105201001010011', birthDate: '2010-01-01' }),
    );
    expect(minor.result).toMatchObject({ outcome: 'deny', reason: 'underage' });
    expect(venue.attendant.todaysDecisions().map((r) => r.reason)).toEqual([
      'underage',
      'already-active-session',
      'ok',
    ]);
  });

  it('hotel: room and guest count on the result screen', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      new Date(Date.now() + 86_400_000),
    );
    venue = createVenue(
      config({ profile: 'hotel-front-desk' }),
      deps({ clock: Date.now, seal: guestRecordSealer(generateX25519().publicKey) }),
    );
    venue.importText(
      'bookings',
      `booking_ref,room,guests,arrival,departure,guest_pseudonyms\nB1,1203,2,${today},${tomorrow},${testPseudonym('11010519491231002X')}\n`,
    );
    expect((await checkIn(venue, doc())).result?.displayCode).toBe('room 1203, guest 1 of 2');
    const second = await checkIn(venue, doc({ documentNumber: '110105199003070012', name: '李四' }));
    expect(second.result?.displayCode).toBe('room 1203, guest 2 of 2');
  });

  it('a wallet age-only credential skips the face step when the profile allows it', async () => {
    venue = createVenue(
      config({ profile: 'internet-cafe', internetCafe: { faceCheck: 'when-portrait' } }),
      deps({ clock: Date.now }),
    );
    const wallet: IdentityDocument = {
      source: 'wallet',
      documentType: 'wallet-pid',
      documentNumber: 'wallet-subject-123456',
      name: 'Wallet Holder',
      checks: [{ name: 'sd-jwt.issuer-signature', ok: true }],
      claims: { age_over_18: true },
    };
    // the face engine would say no-match: it must not be asked
    const view = await checkIn(venue, wallet, { outcome: 'no-match' });
    expect(view.result).toMatchObject({ outcome: 'pass', reason: 'ok' });
  });
});
