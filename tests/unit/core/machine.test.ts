import { createActor, fromCallback, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { checkInMachine } from '../../../kiosk/core/machine.ts';
import type { DeviceEventsEvent } from '../../../kiosk/core/machine.ts';
import { DEFAULT_SETTINGS } from '../../../kiosk/core/settings.ts';
import { toView } from '../../../kiosk/core/view.ts';
import { doc, flush, harness, T0 } from './harness.ts';

describe('check-in machine: the happy path', () => {
  it('goes welcome → reading → face → matching → acting → result → welcome and audits one decision', async () => {
    const h = harness();
    h.send({ type: 'wallet.qr', uri: 'openid4vp://?request_uri=x', expiresAt: T0 + 60_000 });
    expect(h.view()).toMatchObject({
      screen: 'welcome',
      state: 'idle',
      walletQr: { uri: 'openid4vp://?request_uri=x' },
    });

    h.send({ type: 'document.read', document: doc() });
    await flush();
    expect(h.view()).toMatchObject({
      screen: 'reading',
      state: 'checkIn.checkingCredential',
      reading: { source: 'id-card' },
    });
    expect(h.view().walletQr).toBeUndefined();
    expect(h.verify[0]?.input.now).toBe(T0);
    h.verify[0]?.resolve({ ok: true });
    await flush();

    expect(h.view()).toMatchObject({ screen: 'face', face: { hint: 'look-at-camera' }, deadline: 30 });
    expect(h.face.input?.challengeLength).toBe(2);
    h.face.send?.({ type: 'face.hint', hint: 'turn-left', challenge: ['turn-left', 'blink'], step: 0 });
    await h.advance(1_500);
    expect(h.view()).toMatchObject({
      face: { hint: 'turn-left', challenge: ['turn-left', 'blink'], step: 0 },
      deadline: 29,
    });
    await h.faceDone('match', 0.71);
    expect(h.face.stopped).toBe(1);
    expect(h.view()).toMatchObject({ screen: 'face', state: 'checkIn.deciding', face: { hint: 'matching' } });
    expect(h.decide[0]?.input).toMatchObject({
      face: { outcome: 'match', score: 0.71 },
      now: T0 + 1_500,
      timeZone: 'Asia/Shanghai',
    });
    expect(h.verify[0]?.input.timeZone).toBe('Asia/Shanghai');

    await h.decideWith({ outcome: 'pass', reason: 'ok' });
    expect(h.view()).toMatchObject({ screen: 'reading', state: 'checkIn.acting' });
    expect(h.act[0]?.input.decision).toEqual({ outcome: 'pass', reason: 'ok' });
    await h.actWith({ ok: true, displayCode: 'A-17' });

    const v = h.view();
    expect(v).toMatchObject({
      screen: 'result',
      result: {
        outcome: 'pass',
        reason: 'ok',
        maskedName: '张**',
        maskedNumber: '1101**********002X',
        displayCode: 'A-17',
      },
    });
    expect(JSON.stringify(v)).not.toContain('11010519491231002X');
    expect(h.types()).toEqual(['checkin.started', 'checkin.decision']);
    expect(h.ofType('checkin.decision')[0]).toMatchObject({
      seq: 1,
      decidedBy: 'policy',
      action: { ok: true },
    });

    await h.advance(DEFAULT_SETTINGS.timeouts.resultMs);
    expect(h.view().screen).toBe('welcome');
    expect(h.snapshot().context.document).toBeUndefined();
    expect(h.snapshot().context.face).toBeUndefined();
  });

  it('skips the face step with outcome "skipped" when the venue says it is not needed', async () => {
    const h = harness({ faceRequired: (d) => d.source !== 'wallet' });
    await h.read(doc({ source: 'wallet', documentType: 'wallet-pid' }));
    expect(h.face.started).toBe(0);
    expect(h.flowState()).toBe('checkIn.deciding');
    expect(h.view().screen).toBe('reading');
    expect(h.decide[0]?.input.face).toEqual({ outcome: 'skipped' });
  });

  it('denies a credential the verifier rejects, without starting the face step', async () => {
    const h = harness();
    await h.read(doc(), { ok: false, reason: 'credential-expired' });
    expect(h.face.started).toBe(0);
    expect(h.view()).toMatchObject({
      screen: 'result',
      result: { outcome: 'deny', reason: 'credential-expired' },
    });
    expect(h.ofType('checkin.decision')).toHaveLength(1);
    expect(h.ofType('checkin.decision')[0]).toMatchObject({ decidedBy: 'credential-check' });
  });

  it('denies on the policy deny without running venue actions', async () => {
    const h = harness();
    await h.read();
    await h.faceDone('no-match', 0.12);
    await h.decideWith({ outcome: 'deny', reason: 'face-no-match' });
    expect(h.act).toHaveLength(0);
    expect(h.view().result).toMatchObject({ outcome: 'deny', reason: 'face-no-match' });
  });

  it('a credential read on the result screen starts the next check-in', async () => {
    const h = harness();
    await h.pass();
    expect(h.flowState()).toBe('result');
    await h.read(doc({ name: '李四', documentNumber: '110105199001010011' }));
    expect(h.flowState()).toBe('checkIn.capturingFace');
    expect(h.snapshot().context.seq).toBe(2);
    expect(h.snapshot().context.decision).toBeUndefined();
    expect(h.ofType('checkin.started').map((a) => a.seq)).toEqual([1, 2]);
  });
});

describe('check-in machine: timeouts (SimulatedClock)', () => {
  it('credential check: after credentialCheckMs → result deny/timeout, checkin.timeout, no decision', async () => {
    const h = harness({ settings: { timeouts: { credentialCheckMs: 5_000 } } });
    h.send({ type: 'document.read', document: doc() });
    await h.advance(4_999);
    expect(h.flowState()).toBe('checkIn.checkingCredential');
    await h.advance(1);
    expect(h.view().result).toMatchObject({ outcome: 'deny', reason: 'timeout' });
    expect(h.ofType('checkin.timeout')).toEqual([
      expect.objectContaining({ stage: 'checkingCredential', seq: 1 }),
    ]);
    expect(h.ofType('checkin.decision')).toHaveLength(0);
    // a late answer from the verifier changes nothing
    h.verify[0]?.resolve({ ok: true });
    await flush();
    expect(h.flowState()).toBe('result');
  });

  it('face: after faceMs the face actor is stopped and the check-in times out', async () => {
    const h = harness();
    await h.read();
    await h.advance(DEFAULT_SETTINGS.timeouts.faceMs);
    expect(h.face.stopped).toBe(1);
    expect(h.ofType('checkin.timeout')[0]?.stage).toBe('capturingFace');
    expect(h.view().result?.reason).toBe('timeout');
  });

  it('decide: a policy that does not answer in decideMs sends the person to review (venue-system-down)', async () => {
    const h = harness();
    await h.read();
    await h.faceDone('match');
    await h.advance(DEFAULT_SETTINGS.timeouts.decideMs);
    expect(h.view()).toMatchObject({
      screen: 'review',
      review: { reason: 'venue-system-down', maskedName: '张**' },
    });
    expect(h.ofType('checkin.review')[0]).toMatchObject({
      decidedBy: 'machine',
      reason: 'venue-system-down',
    });
  });

  it('review: after reviewMs without an attendant → result deny/timeout', async () => {
    const h = harness();
    await h.read();
    await h.faceDone('quality');
    await h.decideWith({ outcome: 'review', reason: 'face-no-usable-image' });
    expect(h.view().deadline).toBe(120);
    await h.advance(DEFAULT_SETTINGS.timeouts.reviewMs);
    expect(h.view().result).toMatchObject({ outcome: 'deny', reason: 'timeout' });
    expect(h.ofType('checkin.timeout')[0]?.stage).toBe('reviewing');
    expect(h.ofType('checkin.decision')).toHaveLength(0);
  });

  it('result: the result screen returns to welcome after resultMs, not before', async () => {
    const h = harness({ settings: { timeouts: { resultMs: 3_000 } } });
    await h.pass();
    await h.advance(2_999);
    expect(h.view().screen).toBe('result');
    await h.advance(1);
    expect(h.view().screen).toBe('welcome');
  });
});

describe('check-in machine: venue actions failing', () => {
  it('act answers ok:false → review with venue-system-down (default onActionFailure)', async () => {
    const h = harness();
    await h.read();
    await h.faceDone('match');
    await h.decideWith({ outcome: 'pass', reason: 'ok' });
    await h.actWith({ ok: false, detail: 'relay did not answer' });
    expect(h.view()).toMatchObject({ screen: 'review', review: { reason: 'venue-system-down' } });
    expect(h.ofType('checkin.review')[0]?.note).toBe('relay did not answer');
    expect(h.ofType('checkin.decision')).toHaveLength(0);
  });

  it("act answers ok:false with the venue's own reason → that reason reaches the screen", async () => {
    const h = harness();
    await h.read();
    await h.faceDone('match');
    await h.decideWith({ outcome: 'pass', reason: 'ok' });
    await h.actWith({ ok: false, reason: 'already-active-session', detail: 'billing said 409' });
    expect(h.view()).toMatchObject({ screen: 'review', review: { reason: 'already-active-session' } });
  });

  it('act throws → review; act times out with onActionFailure "deny" → result deny venue-system-down', async () => {
    const h = harness();
    await h.read();
    await h.faceDone('match');
    await h.decideWith({ outcome: 'pass', reason: 'ok' });
    h.act[0]?.reject(new Error('ECONNREFUSED'));
    await flush();
    expect(h.view().review?.reason).toBe('venue-system-down');

    const d = harness({ settings: { onActionFailure: 'deny' } });
    await d.read();
    await d.faceDone('match');
    await d.decideWith({ outcome: 'pass', reason: 'ok' });
    await d.advance(DEFAULT_SETTINGS.timeouts.actMs);
    expect(d.view().result).toMatchObject({ outcome: 'deny', reason: 'venue-system-down' });
    expect(d.ofType('checkin.decision')).toEqual([
      expect.objectContaining({
        decidedBy: 'machine',
        decision: expect.objectContaining({ outcome: 'deny' }),
      }),
    ]);
  });

  it('after an attendant pass, a second action failure denies instead of looping through review', async () => {
    const h = harness({ pin: '2468' });
    await h.read();
    await h.faceDone('match');
    await h.decideWith({ outcome: 'pass', reason: 'ok' });
    await h.actWith({ ok: false });
    await h.login();
    h.send({ type: 'attendant.decide', outcome: 'pass' });
    await flush();
    expect(h.flowState()).toBe('checkIn.acting');
    await h.actWith({ ok: false, detail: 'still down' });
    expect(h.view().result).toMatchObject({ outcome: 'deny', reason: 'venue-system-down' });
    expect(h.ofType('checkin.decision')).toHaveLength(1);
  });
});

describe('check-in machine: cancel', () => {
  for (const stage of ['checkingCredential', 'capturingFace', 'deciding', 'reviewing'] as const) {
    it(`person.cancel in ${stage} → welcome, checkin.cancelled, document cleared`, async () => {
      const h = harness();
      h.send({ type: 'document.read', document: doc() });
      await flush();
      if (stage !== 'checkingCredential') {
        h.verify[0]?.resolve({ ok: true });
        await flush();
      }
      if (stage === 'deciding' || stage === 'reviewing') await h.faceDone('quality');
      if (stage === 'reviewing') await h.decideWith({ outcome: 'review', reason: 'face-no-usable-image' });
      expect(h.flowState()).toBe(`checkIn.${stage}`);
      h.send({ type: 'person.cancel' });
      await flush();
      expect(h.view().screen).toBe('welcome');
      expect(h.ofType('checkin.cancelled')).toEqual([expect.objectContaining({ stage, seq: 1 })]);
      expect(h.snapshot().context.document).toBeUndefined();
    });
  }

  it('cannot cancel while the venue actions run; can dismiss the result', async () => {
    const h = harness();
    await h.read();
    await h.faceDone('match');
    await h.decideWith({ outcome: 'pass', reason: 'ok' });
    h.send({ type: 'person.cancel' });
    expect(h.flowState()).toBe('checkIn.acting');
    await h.actWith({ ok: true });
    h.send({ type: 'person.cancel' });
    expect(h.view().screen).toBe('welcome');
    expect(h.ofType('checkin.cancelled')).toHaveLength(0);
  });
});

describe('check-in machine: second credential and rejected credentials', () => {
  it('refuses a second credential during a check-in with a notice and an audit event, leaving it untouched', async () => {
    const h = harness();
    await h.read();
    h.face.send?.({ type: 'face.hint', hint: 'blink', challenge: ['blink'], step: 0 });
    const before = h.snapshot().context;
    const other = doc({ name: '王五', documentNumber: '110105198001010015', source: 'mrz' });
    h.send({ type: 'document.read', document: other });
    await flush();
    const after = h.snapshot().context;
    expect(h.flowState()).toBe('checkIn.capturingFace');
    expect(after.document).toBe(before.document);
    expect(after.faceHint).toEqual(before.faceHint);
    expect(h.face.started).toBe(1);
    expect(h.face.stopped).toBe(0);
    expect(h.view()).toMatchObject({
      screen: 'face',
      notice: 'second-credential-refused',
      face: { hint: 'blink' },
    });
    expect(h.ofType('credential.refused-second')).toEqual([
      expect.objectContaining({ seq: 1, source: 'mrz', document: other }),
    ]);
    await h.advance(DEFAULT_SETTINGS.timeouts.noticeMs);
    expect(h.view().notice).toBeUndefined();
    // the running check-in goes on normally
    await h.faceDone('match');
    expect(h.decide[0]?.input.document).toBe(before.document);
  });

  it('a rejected credential in the middle of a check-in is refused the same way', async () => {
    const h = harness();
    await h.read();
    h.send({
      type: 'document.rejected',
      code: 'E_QR_EXPIRED',
      reason: 'credential-expired',
      source: 'identity-qr',
    });
    expect(h.flowState()).toBe('checkIn.capturingFace');
    expect(h.ofType('credential.refused-second')[0]).toMatchObject({
      code: 'E_QR_EXPIRED',
      reason: 'credential-expired',
    });
    expect(h.ofType('credential.rejected')).toHaveLength(0);
  });

  it('a rejected credential at idle is shown and audited; the kiosk stays on welcome', async () => {
    const h = harness();
    h.send({
      type: 'document.rejected',
      code: 'E_QR_SIGNATURE',
      reason: 'credential-untrusted',
      source: 'identity-qr',
    });
    expect(h.view()).toMatchObject({ screen: 'welcome', notice: 'document-rejected:credential-untrusted' });
    expect(h.ofType('credential.rejected')).toEqual([
      {
        type: 'credential.rejected',
        at: T0,
        code: 'E_QR_SIGNATURE',
        reason: 'credential-untrusted',
        source: 'identity-qr',
      },
    ]);
    // a newer notice restarts the notice timer
    await h.advance(3_000);
    h.send({
      type: 'document.rejected',
      code: 'E_QR_EXPIRED',
      reason: 'credential-expired',
      source: 'identity-qr',
    });
    await h.advance(3_000);
    expect(h.view().notice).toBe('document-rejected:credential-expired');
    await h.advance(1_000);
    expect(h.view().notice).toBeUndefined();
  });
});

describe('check-in machine: device faults', () => {
  it('a required device lost at idle shows the fault screen; back to welcome when it is ready', async () => {
    const h = harness({ settings: { requiredDevices: ['camera', 'reader'] } });
    h.device.send?.({ type: 'device.ready', device: 'camera' });
    h.device.send?.({ type: 'device.lost', device: 'scanner' });
    expect(h.view()).toMatchObject({ screen: 'welcome', devices: { camera: 'ready', scanner: 'lost' } });
    h.device.send?.({ type: 'device.lost', device: 'camera' });
    h.device.send?.({ type: 'device.lost', device: 'reader' });
    expect(h.view()).toMatchObject({ screen: 'fault', fault: { devices: ['camera', 'reader'] } });
    h.send({ type: 'document.read', document: doc() });
    expect(h.view()).toMatchObject({ screen: 'fault', notice: 'device-fault' });
    expect(h.verify).toHaveLength(0);
    h.device.send?.({ type: 'device.ready', device: 'camera' });
    expect(h.view()).toMatchObject({ screen: 'fault', fault: { devices: ['reader'] } });
    h.device.send?.({ type: 'device.ready', device: 'reader' });
    expect(h.view().screen).toBe('welcome');
    expect(h.types().filter((t) => t.startsWith('device.'))).toEqual([
      'device.ready',
      'device.lost',
      'device.lost',
      'device.lost',
      'device.ready',
      'device.ready',
    ]);
    expect(h.ofType('device.lost').map((a) => a.required)).toEqual([false, true, true]);
  });

  it('a required device lost during a check-in aborts it (audited), clears the document and stops the face step', async () => {
    const h = harness();
    await h.read();
    h.device.send?.({ type: 'device.lost', device: 'camera' });
    expect(h.view().screen).toBe('fault');
    expect(h.face.stopped).toBe(1);
    expect(h.snapshot().context.document).toBeUndefined();
    expect(h.ofType('checkin.aborted')).toEqual([
      expect.objectContaining({ stage: 'capturingFace', device: 'camera' }),
    ]);
    expect(h.ofType('device.lost')).toHaveLength(1);
    h.device.send?.({ type: 'device.ready', device: 'camera' });
    expect(h.view().screen).toBe('welcome');
  });

  it('a device that is not required does not disturb a check-in', async () => {
    const h = harness();
    await h.read();
    h.send({ type: 'device.lost', device: 'mrz' });
    expect(h.flowState()).toBe('checkIn.capturingFace');
    expect(h.view().devices.mrz).toBe('lost');
  });

  it('a device subscription that throws is made again after a second; the machine keeps running', async () => {
    let starts = 0;
    let send: ((e: DeviceEventsEvent) => void) | undefined;
    const clock = new SimulatedClock();
    const machine = checkInMachine.provide({
      actors: {
        deviceEvents: fromCallback<DeviceEventsEvent>(({ sendBack }) => {
          starts++;
          if (starts === 1) throw new Error('udev not ready');
          send = sendBack;
          return () => undefined;
        }),
      },
    });
    const actor = createActor(machine, { clock }).start();
    expect(actor.getSnapshot().status).toBe('active');
    expect(starts).toBe(1);
    clock.increment(1_000);
    await flush();
    expect(starts).toBe(2);
    send?.({ type: 'device.lost', device: 'camera' });
    expect(toView(actor.getSnapshot()).screen).toBe('fault');
    actor.stop();
  });

  it('a face step that throws counts as a lost camera: the default policy sends the person to review', async () => {
    const clock = new SimulatedClock();
    clock.set(T0);
    const machine = checkInMachine.provide({
      actors: {
        faceCheck: fromCallback(() => {
          throw new Error('engine crashed');
        }),
      },
    });
    const actor = createActor(machine, { clock }).start();
    actor.send({ type: 'document.read', document: doc() });
    await flush();
    await flush();
    expect(actor.getSnapshot().status).toBe('active');
    expect(toView(actor.getSnapshot()).review?.reason).toBe('face-no-usable-image');
    expect(actor.getSnapshot().context.face).toEqual({ outcome: 'camera-lost', detail: 'face step failed' });
    actor.stop();
  });

  it('stops the device subscription when the machine stops', () => {
    const h = harness();
    h.actor.stop();
    expect(h.device.stopped).toBe(true);
  });
});

describe('check-in machine: attendant console', () => {
  it('locks after maxAttempts wrong PINs, refuses PINs while locked, unlocks after lockoutMs (machine clock)', async () => {
    const h = harness({ settings: { attendant: { maxAttempts: 3, lockoutMs: 60_000 } } });
    h.send({ type: 'attendant.open' });
    expect(h.view()).toMatchObject({
      screen: 'attendant',
      attendant: { authenticated: false, attemptsLeft: 3 },
    });
    for (let i = 0; i < 3; i++) {
      h.send({ type: 'attendant.pin', pin: '0000' });
      await flush();
      h.pins.at(-1)?.resolve(false);
      await flush();
    }
    expect(h.ofType('attendant.login-failed').map((a) => a.attemptsLeft)).toEqual([2, 1, 0]);
    expect(h.ofType('attendant.lockout')).toEqual([
      { type: 'attendant.lockout', at: T0, until: T0 + 60_000 },
    ]);
    expect(h.view().attendant).toEqual({ authenticated: false, attemptsLeft: 0, lockedUntil: T0 + 60_000 });

    h.send({ type: 'attendant.pin', pin: '2468' });
    await flush();
    expect(h.pins).toHaveLength(3); // not even checked
    expect(h.view().notice).toBe('attendant-locked');

    await h.advance(59_999);
    h.send({ type: 'attendant.open' }); // still open (activity), still locked
    h.send({ type: 'attendant.pin', pin: '2468' });
    expect(h.pins).toHaveLength(3);
    await h.advance(1);
    expect(h.view().attendant).toEqual({ authenticated: false, attemptsLeft: 3 });
    h.send({ type: 'attendant.pin', pin: '2468' });
    await flush();
    expect(h.pins[3]?.input).toEqual({ pin: '2468' });
    h.pins[3]?.resolve(true);
    await flush();
    expect(h.view().attendant?.authenticated).toBe(true);
    expect(h.ofType('attendant.login')).toHaveLength(1);
  });

  it('a stray lock.start from outside does not lock the console', async () => {
    const h = harness({ pin: '2468' });
    h.send({ type: 'lock.start' });
    expect((h.snapshot().value as { lock: string }).lock).toBe('unlocked');
    await h.login();
    expect(h.view().attendant?.authenticated).toBe(true);
  });

  it('a checkPin that throws counts as a failed attempt', async () => {
    const h = harness();
    h.send({ type: 'attendant.open' });
    h.send({ type: 'attendant.pin', pin: '1' });
    await flush();
    h.pins[0]?.reject(new Error('bad hash'));
    await flush();
    expect(h.view().attendant).toMatchObject({
      authenticated: false,
      attemptsLeft: DEFAULT_SETTINGS.attendant.maxAttempts - 1,
    });
  });

  it('the console closes and logs out after attendantIdleMs; activity restarts the wait', async () => {
    const h = harness({ pin: '2468' });
    await h.login();
    expect(h.view().screen).toBe('attendant');
    await h.advance(50_000);
    h.send({ type: 'attendant.open' });
    await h.advance(50_000);
    expect(h.view().attendant?.authenticated).toBe(true);
    await h.advance(10_000);
    expect(h.view().screen).toBe('welcome');
    expect(h.view().attendant).toBeUndefined();
    expect(h.ofType('attendant.logout')).toEqual([
      { type: 'attendant.logout', at: T0 + 110_000, why: 'idle' },
    ]);
  });

  it('decides a check-in in review: pass runs the venue actions; one decision, by the attendant', async () => {
    const h = harness({ pin: '2468' });
    await h.read();
    await h.faceDone('no-reference');
    await h.decideWith({ outcome: 'review', reason: 'face-no-reference' });
    h.send({ type: 'attendant.decide', outcome: 'pass' }); // not logged in: ignored
    expect(h.flowState()).toBe('checkIn.reviewing');
    await h.login('1111');
    expect(h.view()).toMatchObject({ screen: 'attendant', attendant: { authenticated: false } });
    h.send({ type: 'attendant.pin', pin: '2468' });
    await flush();
    expect(h.view()).toMatchObject({
      screen: 'review',
      attendant: { authenticated: true },
      review: { reason: 'face-no-reference' },
    });
    h.send({ type: 'attendant.decide', outcome: 'pass', note: 'checked the card by eye' });
    await flush();
    expect(h.act[0]?.input.decision).toEqual({
      outcome: 'pass',
      reason: 'attendant-approved',
      note: 'checked the card by eye',
    });
    await h.actWith({ ok: true, displayCode: 'R-204' });
    h.send({ type: 'attendant.close' });
    expect(h.view()).toMatchObject({
      screen: 'result',
      result: { outcome: 'pass', reason: 'attendant-approved', displayCode: 'R-204' },
    });
    expect(h.ofType('attendant.decision')).toEqual([
      expect.objectContaining({
        outcome: 'pass',
        reason: 'attendant-approved',
        reviewReason: 'face-no-reference',
        stage: 'reviewing',
      }),
    ]);
    expect(h.ofType('checkin.decision')).toEqual([expect.objectContaining({ decidedBy: 'attendant' })]);
    expect(h.types()).toEqual([
      'checkin.started',
      'checkin.review',
      'attendant.login-failed',
      'attendant.login',
      'attendant.decision',
      'checkin.decision',
      'attendant.logout',
    ]);
  });

  it('overrides a running check-in with a deny', async () => {
    const h = harness({ pin: '2468' });
    await h.read();
    await h.login();
    h.send({ type: 'attendant.decide', outcome: 'deny', reason: 'banned' });
    await flush();
    expect(h.face.stopped).toBe(1);
    h.send({ type: 'attendant.close' });
    expect(h.view().result).toMatchObject({ outcome: 'deny', reason: 'banned' });
    expect(h.ofType('attendant.decision')[0]).toMatchObject({ stage: 'capturingFace' });
    expect(h.ofType('attendant.decision')[0]).not.toHaveProperty('reviewReason');
  });
});

describe('check-in machine: audit invariant', () => {
  it('every audit event carries the machine-clock time it happened at', async () => {
    const h = harness();
    await h.advance(1_000);
    await h.read();
    await h.advance(2_000);
    await h.faceDone('match');
    await h.decideWith({ outcome: 'pass', reason: 'ok' });
    await h.actWith({ ok: true });
    expect(h.audits.map((a) => [a.type, a.at])).toEqual([
      ['checkin.started', T0 + 1_000],
      ['checkin.decision', T0 + 3_000],
    ]);
  });

  it('every check-in that reaches a decision emits exactly one checkin.decision', async () => {
    const endings = [
      async (h: ReturnType<typeof harness>) => h.pass(),
      async (h: ReturnType<typeof harness>) => h.read(doc(), { ok: false, reason: 'credential-revoked' }),
      async (h: ReturnType<typeof harness>) => {
        await h.read();
        await h.faceDone('spoof');
        await h.decideWith({ outcome: 'deny', reason: 'face-spoof' });
      },
      async (h: ReturnType<typeof harness>) => {
        await h.read();
        await h.faceDone('quality');
        await h.decideWith({ outcome: 'review', reason: 'face-no-usable-image' });
        await h.login();
        h.send({ type: 'attendant.decide', outcome: 'deny' });
        await flush();
      },
    ];
    for (const end of endings) {
      const h = harness({ pin: '2468' });
      for (let i = 0; i < 3; i++) {
        await end(h);
        h.send({ type: 'attendant.close' });
        await h.advance(DEFAULT_SETTINGS.timeouts.resultMs);
        expect(h.view().screen).toBe('welcome');
      }
      expect(h.ofType('checkin.decision').map((a) => a.seq)).toEqual([1, 2, 3]);
    }
  });
});

describe('check-in machine: defaults are harmless', () => {
  it('without provided actors: the default face step sends the person to review; no PIN opens the console', async () => {
    const clock = new SimulatedClock();
    clock.set(T0);
    const actor = createActor(checkInMachine, { clock }).start();
    actor.send({ type: 'document.read', document: doc() });
    await flush();
    await flush();
    expect(toView(actor.getSnapshot())).toMatchObject({
      screen: 'review',
      review: { reason: 'face-no-usable-image' },
    });
    actor.send({ type: 'attendant.open' });
    actor.send({ type: 'attendant.pin', pin: '0000' });
    await flush();
    expect(toView(actor.getSnapshot()).attendant).toMatchObject({ authenticated: false, attemptsLeft: 4 });
    actor.stop();
  });

  it('the default verifier rejects an expired card (local date of the machine clock)', async () => {
    const clock = new SimulatedClock();
    clock.set(T0);
    const actor = createActor(checkInMachine, { clock }).start();
    actor.send({ type: 'document.read', document: doc({ validTo: '2026-11-22' }) });
    await flush();
    expect(toView(actor.getSnapshot()).result).toMatchObject({
      outcome: 'deny',
      reason: 'credential-expired',
    });
    actor.stop();
  });
});
