import { describe, expect, it } from 'vitest';
import { startWalletQrRotation } from '../../../kiosk/wallet/qr-rotation.ts';
import type { Timers, WalletQr } from '../../../kiosk/wallet/qr-rotation.ts';
import type { CreateTransactionResult, WalletBackend } from '../../../kiosk/wallet/backend-client.ts';
import type { WalletResultMessage } from '../../../kiosk/credentials/wallet/messages.ts';

/** A simulated clock: timers fire only when the test advances time. */
function simClock(start = 1_000_000): Timers & { advance(ms: number): Promise<void> } {
  let t = start;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => t,
    setTimeout(fn, ms) {
      const id = ++seq;
      pending.set(id, { at: t + ms, fn });
      return id;
    },
    clearTimeout: (h) => void pending.delete(h as number),
    async advance(ms) {
      const end = t + ms;
      for (;;) {
        const next = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        if (!next || next[1].at > end) break;
        pending.delete(next[0]);
        t = next[1].at;
        next[1].fn();
        await new Promise((r) => setImmediate(r));
      }
      t = end;
      await new Promise((r) => setImmediate(r));
    },
  };
}

function fakeBackend(clock: Timers, ttlMs = 90_000) {
  const calls: { profile: string; replaces?: string }[] = [];
  let n = 0;
  let down = false;
  const backend: WalletBackend = {
    async createTransaction(profile, replaces): Promise<CreateTransactionResult> {
      calls.push({ profile, ...(replaces ? { replaces } : {}) });
      if (down) return { ok: false, code: 'E_WALLET_BACKEND_UNREACHABLE', detail: 'down' };
      n++;
      return {
        ok: true,
        ticket: { transactionId: `tx${n}`, uri: `openid4vp://?n=${n}`, expiresAt: clock.now() + ttlMs },
      };
    },
  };
  return { backend, calls, setDown: (d: boolean) => void (down = d) };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('wallet QR rotation', () => {
  it('shows a QR, rotates every rotateMs and cancels the previous transaction', async () => {
    const clock = simClock();
    const { backend, calls } = fakeBackend(clock);
    const shown: (WalletQr | null)[] = [];
    const rot = startWalletQrRotation({
      backend,
      profile: 'internet-cafe',
      rotateMs: 30_000,
      onQr: (q) => shown.push(q),
      timers: clock,
    });
    await settle();
    expect(shown).toHaveLength(1);
    expect(shown[0]!.expiresAt).toBe(clock.now() + 30_000);
    await clock.advance(30_000);
    expect(shown).toHaveLength(2);
    expect(calls[1]).toEqual({ profile: 'internet-cafe', replaces: 'tx1' });
    await clock.advance(60_000);
    expect(shown).toHaveLength(4);
    expect(rot.currentTransactionId).toBe('tx4');
    rot.stop();
    await clock.advance(120_000);
    expect(shown).toHaveLength(4);
  });

  it('never shows a QR longer than 60 s, nor past the transaction expiry', async () => {
    const clock = simClock();
    const { backend } = fakeBackend(clock, 20_000);
    const shown: (WalletQr | null)[] = [];
    const rot = startWalletQrRotation({
      backend,
      profile: 'internet-cafe',
      rotateMs: 600_000,
      onQr: (q) => shown.push(q),
      timers: clock,
    });
    await settle();
    expect(shown[0]!.expiresAt - clock.now()).toBe(20_000);
    rot.stop();
  });

  it('retries with backoff while the backend is down, showing no QR', async () => {
    const clock = simClock();
    const fb = fakeBackend(clock);
    fb.setDown(true);
    const shown: (WalletQr | null)[] = [];
    const errors: string[] = [];
    const rot = startWalletQrRotation({
      backend: fb.backend,
      profile: 'stadium-gate',
      rotateMs: 30_000,
      onQr: (q) => shown.push(q),
      onError: (c) => errors.push(c),
      timers: clock,
      retryMs: 1_000,
    });
    await settle();
    await clock.advance(1_000); // retry 1
    await clock.advance(2_000); // retry 2
    expect(shown.every((q) => q === null)).toBe(true);
    expect(errors).toEqual([
      'E_WALLET_BACKEND_UNREACHABLE',
      'E_WALLET_BACKEND_UNREACHABLE',
      'E_WALLET_BACKEND_UNREACHABLE',
    ]);
    fb.setDown(false);
    await clock.advance(4_000);
    expect(shown.at(-1)).not.toBeNull();
    rot.stop();
  });

  it('turns a result for its own QR into a machine event and rotates at once; ignores others', async () => {
    const clock = simClock();
    const { backend, calls } = fakeBackend(clock);
    const rot = startWalletQrRotation({
      backend,
      profile: 'hotel-front-desk',
      rotateMs: 30_000,
      onQr: () => {},
      timers: clock,
    });
    await settle();
    const base = {
      type: 'wallet.result' as const,
      terminalId: 'k',
      profile: 'hotel-front-desk' as const,
      verifiedAt: 1,
    };
    expect(
      rot.handleResult({ ...base, ok: false, transactionId: 'other', code: 'E_WALLET_REVOKED', detail: '' }),
    ).toBeNull();
    const ev = rot.handleResult({
      ...base,
      ok: false,
      transactionId: 'tx1',
      code: 'E_WALLET_REVOKED',
      detail: '',
    });
    expect(ev).toEqual({
      type: 'document.rejected',
      code: 'E_WALLET_REVOKED',
      reason: 'credential-revoked',
      source: 'wallet',
    });
    await settle();
    expect(calls).toHaveLength(2); // rotated after use
    const ok: WalletResultMessage = {
      ...base,
      ok: true,
      transactionId: 'tx2',
      credential: {
        format: 'dc+sd-jwt',
        vct: 'urn:eudi:pid:1',
        issuer: 'https://pid.example',
        trustAnchor: 'k1',
        claims: {
          family_name: 'MUSTERMANN',
          given_name: 'ERIKA',
          document_number: 'T22000129',
          nationalities: ['DE'],
        },
        checks: ['issuer-signature'],
      },
    };
    const read = rot.handleResult(ok);
    expect(read?.type).toBe('document.read');
    if (read?.type === 'document.read') {
      expect(read.document.documentNumber).toBe('T22000129');
      expect(read.document.nationality).toBe('DEU');
      expect(read.document.source).toBe('wallet');
    }
    rot.stop();
  });
});
