import { describe, expect, it } from 'vitest';
import { checkCredential, isIsoDate, localDate } from '../../../kiosk/core/credential-checks.ts';
import { defaultPolicy } from '../../../kiosk/core/policy.ts';
import type { FaceOutcome } from '../../../kiosk/core/types.ts';
import { doc, T0 } from './harness.ts';

describe('checkCredential', () => {
  const today = '2026-11-23';

  it('accepts a valid card, long-term validity included', () => {
    expect(checkCredential(doc(), today)).toEqual({ ok: true });
    expect(checkCredential(doc({ validTo: '2026-11-23' }), today)).toEqual({ ok: true }); // last day counts
    expect(checkCredential(doc({ validFrom: '2026-11-23', validTo: '2046-11-23' }), today)).toEqual({
      ok: true,
    });
  });

  it('rejects expired and not-yet-valid credentials', () => {
    expect(checkCredential(doc({ validTo: '2026-11-22' }), today)).toEqual({
      ok: false,
      reason: 'credential-expired',
    });
    expect(checkCredential(doc({ validFrom: '2026-11-24' }), today)).toEqual({
      ok: false,
      reason: 'credential-not-yet-valid',
    });
  });

  it('rejects impossible dates and windows', () => {
    for (const over of [
      { validTo: '2026-02-30' },
      { validFrom: '2026-13-01' },
      { validFrom: '2020-01-02', validTo: '2020-01-01' },
      { birthDate: '2027-01-01' },
      { birthDate: '1890-01-01' },
      { birthDate: '19491231' },
      { documentNumber: ' ' },
      { name: '' },
    ]) {
      expect(checkCredential(doc(over), today), JSON.stringify(over)).toEqual({
        ok: false,
        reason: 'credential-invalid',
      });
    }
    expect(checkCredential(doc({ birthDate: '2024-02-29' }), today)).toEqual({ ok: true });
  });

  it('maps a failed parser/verifier check to the most specific reason', () => {
    const failed = (name: string) =>
      checkCredential(
        doc({
          checks: [
            { name: 'x', ok: true },
            { name, ok: false },
          ],
        }),
        today,
      );
    expect(failed('id-number.check-digit')).toEqual({ ok: false, reason: 'credential-invalid' });
    expect(failed('sd-jwt.issuer-signature')).toEqual({ ok: false, reason: 'credential-untrusted' });
    expect(failed('status-list.revocation')).toEqual({ ok: false, reason: 'credential-revoked' });
    expect(failed('qr.replay')).toEqual({ ok: false, reason: 'credential-replayed' });
    expect(failed('validity.expiry')).toEqual({ ok: false, reason: 'credential-expired' });
  });

  it('refuses a malformed "today" instead of guessing', () => {
    expect(() => checkCredential(doc(), '23/11/2026')).toThrow(RangeError);
  });

  it('isIsoDate and localDate', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    // 2026-11-23 17:00 UTC is already the 24th in Beijing
    expect(localDate(Date.UTC(2026, 10, 23, 17), 480)).toBe('2026-11-24');
    expect(localDate(Date.UTC(2026, 10, 23, 17), 0)).toBe('2026-11-23');
    expect(localDate(Date.UTC(2026, 10, 23, 17), 'Asia/Shanghai')).toBe('2026-11-24');
    expect(localDate(Date.UTC(2026, 10, 23, 17), 'Europe/Madrid')).toBe('2026-11-23');
    expect(localDate(Date.UTC(2026, 10, 23, 23, 30), 'Europe/Madrid')).toBe('2026-11-24');
  });
});

describe('defaultPolicy', () => {
  const cases: [FaceOutcome, string, string][] = [
    ['match', 'pass', 'ok'],
    ['skipped', 'pass', 'ok'],
    ['no-match', 'deny', 'face-no-match'],
    ['spoof', 'deny', 'face-spoof'],
    ['challenge-failed', 'deny', 'face-challenge-failed'],
    ['quality', 'review', 'face-no-usable-image'],
    ['no-face', 'review', 'face-no-usable-image'],
    ['camera-lost', 'review', 'face-no-usable-image'],
    ['no-reference', 'review', 'face-no-reference'],
  ];
  for (const [face, outcome, reason] of cases) {
    it(`face '${face}' → ${outcome} (${reason})`, () => {
      const d = defaultPolicy({ document: doc(), face: { outcome: face, score: 0.5 }, now: T0 });
      expect(d).toMatchObject({ outcome, reason, face: { outcome: face } });
    });
  }

  it('an invalid credential is denied whatever the face says', () => {
    const d = defaultPolicy({
      document: doc({ validTo: '2020-01-01' }),
      face: { outcome: 'match' },
      now: T0,
    });
    expect(d).toMatchObject({ outcome: 'deny', reason: 'credential-expired' });
  });

  it('judges validity on the local date (UTC+8 by default)', () => {
    const lastDay = doc({ validTo: '2026-11-23' });
    const lateEvening = Date.UTC(2026, 10, 23, 17); // 01:00 on the 24th in Beijing
    expect(defaultPolicy({ document: lastDay, face: { outcome: 'match' }, now: lateEvening }).outcome).toBe(
      'deny',
    );
    expect(
      defaultPolicy({ document: lastDay, face: { outcome: 'match' }, now: lateEvening }, 0).outcome,
    ).toBe('pass');
  });
});
