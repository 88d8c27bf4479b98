import { describe, expect, it } from 'vitest';
import { generateX25519, seal, unseal, fromB64u, b64u } from '../../../kiosk/audit/crypto.ts';
import { isKioskError } from '../../../kiosk/shared/errors.ts';
import { normaliseDocumentNumber, pseudonymOf } from '../../../kiosk/audit/record.ts';

const ctx = { v: 1, terminalId: 't_1', seq: 7, type: 'checkin.decision' };
const pt = Buffer.from(JSON.stringify({ documentNumber: '11010519491231002X', name: '张三' }));

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isKioskError(e) ? e.code : 'other';
  }
  return undefined;
}

describe('sealed box (X25519 + HKDF-SHA256 + AES-256-GCM)', () => {
  const k = generateX25519();

  it('opens with the recipient key and the same context', () => {
    const box = seal(k.publicKey, pt, ctx);
    expect(box.rpk).toBe(k.publicKey);
    expect(Buffer.from(fromB64u(box.ct)).includes(Buffer.from('11010519491231002X'))).toBe(false);
    expect(unseal(k.privateKey, box, ctx).equals(pt)).toBe(true);
  });

  it('uses a fresh ephemeral key and IV per box', () => {
    const a = seal(k.publicKey, pt, ctx);
    const b = seal(k.publicKey, pt, ctx);
    expect(a.epk).not.toBe(b.epk);
    expect(a.ct).not.toBe(b.ct);
  });

  it('does not open in another context (moved to another event)', () => {
    const box = seal(k.publicKey, pt, ctx);
    expect(code(() => unseal(k.privateKey, box, { ...ctx, seq: 8 }))).toBe('E_AUDIT_UNSEAL_FAILED');
  });

  it('does not open with another key, or when tampered', () => {
    const box = seal(k.publicKey, pt, ctx);
    const other = generateX25519();
    expect(code(() => unseal(other.privateKey, box, ctx))).toBe('E_AUDIT_UNSEAL_FAILED');
    const ct = fromB64u(box.ct);
    ct[0] = (ct[0] ?? 0) ^ 1;
    expect(code(() => unseal(k.privateKey, { ...box, ct: b64u(ct) }, ctx))).toBe('E_AUDIT_UNSEAL_FAILED');
    expect(code(() => unseal(k.privateKey, { ...box, rpk: other.publicKey }, ctx))).toBe(
      'E_AUDIT_UNSEAL_FAILED',
    );
  });

  it('refuses a malformed recipient key', () => {
    expect(code(() => seal('not-a-key', pt, ctx))).toBe('E_AUDIT_KEY_INVALID');
  });
});

describe('venue pseudonym', () => {
  const secret = Buffer.from('venue-secret-0123456789');
  it('is the same for the same number however it is written', () => {
    expect(normaliseDocumentNumber(' 110105 19491231-002x ')).toBe('11010519491231002X');
    expect(pseudonymOf(secret, '110105 19491231 002x')).toBe(pseudonymOf(secret, '11010519491231002X'));
    expect(pseudonymOf(secret, 'E1234567<')).toBe(pseudonymOf(secret, 'e1234567'));
  });
  it('differs between venues and between people, and hides the number', () => {
    const p = pseudonymOf(secret, '11010519491231002X');
    expect(p).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p).not.toBe(pseudonymOf(Buffer.from('another-venue-secret-xx'), '11010519491231002X'));
    expect(p).not.toBe(pseudonymOf(secret, '110105194912310038'));
    expect(p).not.toContain('1101051949');
  });
});
