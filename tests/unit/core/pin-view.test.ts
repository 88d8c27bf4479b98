import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeScrypt } from '../../../kiosk/cli/commands/config.ts';
import {
  constantTimeEqual,
  formatPinHash,
  makePinHash,
  parsePinHash,
  pinChecker,
} from '../../../kiosk/core/pin.ts';
import { PIN_HASH_PATTERN } from '../../../config/schema/core.ts';
import { deadlineAt, toView } from '../../../kiosk/core/view.ts';
import { doc, harness } from './harness.ts';

const fixedRandom = (n: number) => new Uint8Array(n).map((_, i) => i * 7 + 1);

describe('attendant PIN hashes', () => {
  it('round-trips and matches node scrypt computed independently', async () => {
    const line = await makePinHash('2468', nodeScrypt, fixedRandom, { N: 16384, r: 8, p: 1 });
    expect(line).toMatch(PIN_HASH_PATTERN);
    const h = parsePinHash(line);
    expect(h).toBeDefined();
    if (!h) return;
    expect(formatPinHash(h)).toBe(line);
    const expected = scryptSync('2468', Buffer.from(fixedRandom(16)), 32, { N: 16384, r: 8, p: 1 });
    expect(Buffer.from(h.key).equals(expected)).toBe(true);
  });

  it('pinChecker accepts the PIN only; null or malformed hashes refuse everything', async () => {
    const line = await makePinHash('8642', nodeScrypt, fixedRandom, { N: 16384, r: 8, p: 1 });
    const check = pinChecker(line, nodeScrypt);
    expect(await check('8642')).toBe(true);
    expect(await check('86420')).toBe(false);
    expect(await check('')).toBe(false);
    expect(await pinChecker(null, nodeScrypt)('8642')).toBe(false);
    expect(
      await pinChecker('scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + 'A'.repeat(44), nodeScrypt)('8642'),
    ).toBe(false);
  });

  it('parsePinHash refuses weak parameters and short salts or keys', () => {
    const salt = Buffer.alloc(16, 1).toString('base64');
    const key = Buffer.alloc(32, 2).toString('base64');
    expect(parsePinHash(`scrypt$16384$8$1$${salt}$${key}`)).toBeDefined();
    expect(parsePinHash(`scrypt$8192$8$1$${salt}$${key}`)).toBeUndefined(); // N too small
    expect(parsePinHash(`scrypt$20000$8$1$${salt}$${key}`)).toBeUndefined(); // not a power of two
    expect(parsePinHash(`scrypt$16384$8$1$${Buffer.alloc(8).toString('base64')}$${key}`)).toBeUndefined();
    expect(parsePinHash(`scrypt$16384$8$1$${salt}$${Buffer.alloc(16).toString('base64')}`)).toBeUndefined();
    expect(parsePinHash(`bcrypt$16384$8$1$${salt}$${key}`)).toBeUndefined();
    expect(parsePinHash('2468')).toBeUndefined();
  });

  it('makePinHash refuses PINs that are not 4–12 digits', async () => {
    for (const pin of ['123', '1234567890123', 'abcd', '12 34'])
      await expect(makePinHash(pin, nodeScrypt, fixedRandom)).rejects.toThrow(RangeError);
  });

  it('constantTimeEqual', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
  });
});

describe('toView', () => {
  it('gives venue, devices and no countdown without a clock reading', () => {
    const h = harness({ settings: { venueName: '星空网咖', profile: 'internet-cafe' } });
    const v = toView(h.snapshot());
    expect(v).toEqual({
      screen: 'welcome',
      state: 'idle',
      venue: { profile: 'internet-cafe', name: '星空网咖' },
      devices: {},
    });
  });

  it('shows the wallet QR on the welcome screen until it expires', async () => {
    const h = harness();
    h.send({ type: 'wallet.qr', uri: 'openid4vp://a', expiresAt: h.clock.now() + 60_000 });
    expect(h.view().walletQr).toEqual({ uri: 'openid4vp://a', expiresAt: h.clock.now() + 60_000 });
    await h.advance(60_000);
    expect(h.view().walletQr).toBeUndefined();
    h.send({ type: 'wallet.qr', uri: 'openid4vp://b', expiresAt: h.clock.now() + 60_000 });
    expect(h.view().walletQr?.uri).toBe('openid4vp://b');
  });

  it('deadlineAt gives the end of the countdown on face, review and result screens only', async () => {
    const h = harness();
    expect(deadlineAt(h.snapshot())).toBeUndefined();
    await h.read();
    expect(deadlineAt(h.snapshot())).toBe(h.clock.now() + 30_000);
    await h.advance(10_000);
    expect(h.view().deadline).toBe(20);
    h.send({ type: 'attendant.open' });
    expect(deadlineAt(h.snapshot())).toBeUndefined(); // the console hides the face screen
  });

  it('shows no countdown when the config turns it off', async () => {
    const h = harness({ settings: { showCountdown: false } });
    await h.read();
    expect(h.view().deadline).toBeUndefined();
    expect(h.view().screen).toBe('face');
  });

  it('is plain data (survives JSON) and holds no portrait bytes', async () => {
    const h = harness();
    await h.read(
      doc({
        portrait: { format: 'jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff]) },
      }),
    );
    await h.faceDone('no-reference');
    await h.decideWith({ outcome: 'review', reason: 'face-no-reference' });
    const v = h.view();
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
    expect(JSON.stringify(v)).not.toMatch(/portrait|bytes|1949/);
  });
});
