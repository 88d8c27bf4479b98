// `eid-kiosk decode` on the replayed captures in tests/fixtures/firmware, and `eid-kiosk id-number check`.
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as decode } from '../../../kiosk/cli/commands/decode.ts';
import { run as idNumber } from '../../../kiosk/cli/commands/id-number.ts';
import { memoryIo } from '../../../kiosk/cli/io.ts';
import { SYNTHETIC_CARDS } from '../../../firmware-bridge/simulators/cards.ts';

const fx = (f: string): string => fileURLToPath(new URL(`../../fixtures/firmware/${f}`, import.meta.url));
const lines = (io: { stdout: string[] }): Record<string, unknown>[] =>
  io.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('decode sam-id', () => {
  it('decodes a whole session: requests, replies, statuses and the masked card', async () => {
    const io = memoryIo();
    expect(await decode(['sam-id', fx('sam-session.hex')], io)).toBe(0);
    const out = lines(io);
    expect(out.filter((o) => o['type'] === 'request').map((o) => o['command'])).toEqual([
      'status',
      'find',
      'find',
      'select',
      'readBase',
      'readNewAddress',
      'find',
      'select',
      'readBaseFingerprint',
    ]);
    expect(out.filter((o) => o['type'] === 'reply').map((o) => o['status'])).toEqual([
      'ok',
      'no-card',
      'card-found',
      'ok',
      'ok',
      'no-content',
      'card-found',
      'ok',
      'ok',
    ]);
    const cards = out.filter((o) => o['card'] !== undefined).map((o) => o['card'] as Record<string, unknown>);
    expect(cards.map((c) => c['cardType'])).toEqual([' ', 'Y']);
    expect(cards[1]!['fingerprintBytes']).toBe(1024);
    // masked: no full number or name anywhere in the output
    const all = io.stdout.join('\n');
    expect(all).not.toContain(SYNTHETIC_CARDS[0]!.number);
    expect(all).not.toContain('测试甲');
    expect(cards[0]!['number']).toBe(
      SYNTHETIC_CARDS[0]!.number.slice(0, 4) + '*'.repeat(10) + SYNTHETIC_CARDS[0]!.number.slice(-4),
    );
  });
  it('--unmasked shows the number', async () => {
    const io = memoryIo();
    await decode(['sam-id', fx('sam-session.hex'), '--unmasked'], io);
    expect(io.stdout.join('\n')).toContain(SYNTHETIC_CARDS[0]!.number);
  });
  it('reports typed errors for junk, a bad checksum, a zero length and truncation, and exits 1', async () => {
    const io = memoryIo();
    expect(await decode(['sam-id', fx('sam-faults.hex')], io)).toBe(1);
    const out = lines(io);
    const codes = out.filter((o) => o['type'] === 'error').map((o) => o['code']);
    expect(codes).toContain('E_SAM_JUNK');
    expect(codes).toContain('E_SAM_CHECKSUM');
    expect(codes).toContain('E_SAM_LENGTH');
    expect(codes.at(-1)).toBe('E_SAM_TRUNCATED');
    expect(out.filter((o) => o['type'] === 'reply').map((o) => o['status'])).toEqual(['ok', 'read-failed']);
  });
});

describe('decode mrz', () => {
  it('decodes 3M, DESKO and plain framing from one binary capture', async () => {
    const io = memoryIo();
    expect(await decode(['mrz', fx('mrz-reader.bin')], io)).toBe(0);
    const out = lines(io);
    expect(out.map((o) => [o['format'], o['valid'], o['end']])).toEqual([
      ['TD1', true, 'etx'],
      ['TD3', true, 'etx'],
      ['CN-PERMIT', true, 'timeout'],
    ]);
    expect(io.stdout.join('\n')).not.toContain('T22000129');
    expect((out[1]!['fields'] as Record<string, string>)['documentNumber']).toBe('T2*****29');
  });
});

describe('decode hid-pos', () => {
  it('reassembles the reports and masks the content', async () => {
    const io = memoryIo();
    expect(await decode(['hid-pos', fx('hid-pos.hex')], io)).toBe(0);
    const out = lines(io);
    expect(out.map((o) => [o['symbology'], o['bytes']])).toEqual([
      ['qr', new TextEncoder().encode('EIDQR1.eyJzdWIiOiJ0ZXN0In0.测试签名-' + 'A'.repeat(64)).length],
      ['ean-upc', 13],
    ]);
    const un = memoryIo();
    await decode(['hid-pos', fx('hid-pos.hex'), '--unmasked'], un);
    expect(lines(un)[0]!['text']).toBe('EIDQR1.eyJzdWIiOiJ0ZXN0In0.测试签名-' + 'A'.repeat(64));
  });
});

describe('decode usage', () => {
  it('exits 2 on a bad kind or a missing file', async () => {
    expect(await decode(['nope', fx('hid-pos.hex')], memoryIo())).toBe(2);
    expect(await decode(['sam-id', '/nonexistent/x'], memoryIo())).toBe(2);
    expect(await decode([], memoryIo())).toBe(2);
  });
  it('reads binary captures too', async () => {
    const d = mkdtempSync(join(tmpdir(), 'eid-cap-'));
    writeFileSync(join(d, 'x.bin'), Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0, 4, 0, 0, 0x80, 0x84]));
    const io = memoryIo();
    expect(await decode(['sam-id', join(d, 'x.bin')], io)).toBe(0);
    expect(lines(io)[0]).toMatchObject({ type: 'reply', status: 'no-card' });
  });
});

describe('id-number check', () => {
  it('prints the verdict with the reason; exit 0 valid, 1 invalid, 2 usage', async () => {
    const ok = memoryIo();
    expect(await idNumber(['check', '11010519491231002X', '--today', '2026-11-23'], ok)).toBe(0);
    expect(ok.stdout[0]).toMatch(/^valid: 1101\*{10}002X — valid 18-digit resident ID number/);
    const bad = memoryIo();
    expect(await idNumber(['check', '110105194912310021', '--today', '2026-11-23'], bad)).toBe(1);
    expect(bad.stdout[0]).toContain('check character does not match');
    const future = memoryIo();
    expect(await idNumber(['check', '11010520300101001X', '--today', '2026-11-23', '--json'], future)).toBe(
      1,
    );
    expect(JSON.parse(future.stdout[0]!)).toMatchObject({ valid: false, problem: 'birth-date-future' });
    expect(await idNumber(['check'], memoryIo())).toBe(2);
    expect(await idNumber(['verify', '1'], memoryIo())).toBe(2);
  });
});

describe('through the dispatcher', () => {
  it('eid-kiosk decode and id-number are reachable from main()', async () => {
    const { main } = await import('../../../kiosk/cli/main.ts');
    const io = memoryIo();
    expect(await main(['decode', 'sam-id', fx('sam-session.hex')], io)).toBe(0);
    expect(io.stdout.length).toBe(18);
    const io2 = memoryIo();
    expect(await main(['id-number', 'check', '11010519491231002X'], io2)).toBe(0);
  });
});
