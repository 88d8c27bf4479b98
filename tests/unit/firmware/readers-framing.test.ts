import { describe, expect, it } from 'vitest';
import { MrzFrameDecoder, encodeMrzMessage } from '../../../firmware-bridge/protocols/mrz-reader.ts';
import type { MrzDecoded, MrzMessage } from '../../../firmware-bridge/protocols/mrz-reader.ts';
import {
  HidPosDecoder,
  encodeHidPosReports,
  symbologyFromAim,
} from '../../../firmware-bridge/protocols/hid-pos.ts';
import type { ScannedCode } from '../../../firmware-bridge/protocols/hid-pos.ts';
import { SerialScanDecoder } from '../../../firmware-bridge/protocols/scanner-serial.ts';
import {
  LcusDecoder,
  dcttechCommand,
  lcusCommand,
  parseDcttechState,
} from '../../../firmware-bridge/protocols/relay.ts';
import { bootReportKeys, decodeWedge } from '../../../firmware-bridge/protocols/keyboard-wedge.ts';
import { splits, toHex } from './helpers.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = [
  'I<UTOD231458907<<<<<<<<<<<<<<<',
  '7408122F1204159UTO<<<<<<<<<<<6',
  'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
];
const msgs = (o: MrzDecoded[]): MrzMessage[] => o.filter((x): x is MrzMessage => x.kind === 'mrz');
const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('MRZ reader framing (READERS.md §3.3)', () => {
  it('STX/ETX framing with CR lines decodes at every split offset', () => {
    const b = encodeMrzMessage(TD3);
    for (const chunks of splits(b)) {
      const d = new MrzFrameDecoder();
      const out = msgs(chunks.flatMap((c) => d.push(c)));
      expect(out).toEqual([{ kind: 'mrz', lines: TD3, end: 'etx' }]);
    }
  });
  it('3M-style: SOH header, flag byte, _ padding, BCC after ETX', () => {
    const body = TD1.map((l) => l + '\r').join('');
    const b = Uint8Array.from([
      0x01,
      0x00,
      0x60,
      0x4f,
      0x55,
      0x02,
      0x30,
      ...bytes(body.replace(/\r/g, '__\r')),
      0x03,
      0x7a,
    ]);
    for (const chunks of splits(b)) {
      const d = new MrzFrameDecoder({ flagAfterStx: true });
      const out = msgs(chunks.flatMap((c) => d.push(c)));
      expect(out.map((m) => m.lines)).toEqual([TD1]);
    }
  });
  it('plain CR lines end on the inter-byte timeout (flush)', () => {
    const d = new MrzFrameDecoder();
    expect(d.push(bytes(TD3.join('\r') + '\r'))).toEqual([]);
    expect(msgs(d.flush())).toEqual([{ kind: 'mrz', lines: TD3, end: 'timeout' }]);
    expect(d.flush()).toEqual([]);
  });
  it('bounds its buffer and reports overflow', () => {
    const d = new MrzFrameDecoder({ maxBytes: 100 });
    const out = d.push(new Uint8Array(1000).fill(0x41));
    expect(out.filter((e) => e.kind === 'error' && e.code === 'E_MRZ_OVERFLOW').length).toBeGreaterThan(0);
    expect(d.buffered).toBeLessThanOrEqual(100);
  });
  it('two messages back to back', () => {
    const d = new MrzFrameDecoder();
    const out = msgs(
      d.push(Uint8Array.from([...encodeMrzMessage(TD3), ...encodeMrzMessage(TD1, { underscorePad: true })])),
    );
    expect(out.map((m) => m.lines)).toEqual([TD3, TD1]);
  });
});

describe('HID POS reports (§4.3)', () => {
  const text = '身份核验 https://example.test/q?id=测试-' + 'x'.repeat(120);
  const utf8 = new TextEncoder().encode(text);
  it('reassembles a multi-report UTF-8 QR scan with its AIM symbology', () => {
    const reports = encodeHidPosReports(utf8, ']Q1');
    expect(reports.length).toBeGreaterThan(2);
    const d = new HidPosDecoder();
    const out = reports.flatMap((r) => d.push(r));
    expect(out).toHaveLength(1);
    const c = out[0] as ScannedCode;
    expect(c.text).toBe(text);
    expect(c.aim).toBe(']Q1');
    expect(c.symbology).toBe('qr');
    expect(d.buffered).toBe(0);
  });
  it('matches the captured Honeywell report shape [2, 56, "]X0", …, flag]', () => {
    const r = new Uint8Array(64);
    r.set([2, 3, 0x5d, 0x45, 0x30, 0x34, 0x30, 0x30]);
    const c = new HidPosDecoder().push(r)[0] as ScannedCode;
    expect(c).toMatchObject({ text: '400', aim: ']E0', symbology: 'ean-upc' });
  });
  it('rejects foreign reports and impossible byte counts with typed errors', () => {
    const d = new HidPosDecoder();
    expect(d.push(Uint8Array.of(1, 2, 3))[0]).toMatchObject({ kind: 'error', code: 'E_SCAN_REPORT' });
    const r = new Uint8Array(64);
    r[0] = 2;
    r[1] = 60;
    expect(d.push(r)[0]).toMatchObject({ kind: 'error', code: 'E_SCAN_REPORT' });
  });
  it('caps a never-ending continued scan', () => {
    const d = new HidPosDecoder({ maxBytes: 200 });
    const r = new Uint8Array(64);
    r.set([2, 56, 0x5d, 0x51, 0x31]);
    r[63] = 1;
    const out = Array.from({ length: 10 }, () => d.push(r)).flat();
    expect(out.some((e) => e.kind === 'error' && e.code === 'E_SCAN_OVERFLOW')).toBe(true);
    expect(d.buffered).toBeLessThanOrEqual(200);
  });
  it('AIM table', () => {
    expect(symbologyFromAim(']d2')).toBe('data-matrix');
    expect(symbologyFromAim(']C1')).toBe('gs1-128');
    expect(symbologyFromAim(']E4')).toBe('ean-8');
    expect(symbologyFromAim('xx')).toBe('unknown');
  });
});

describe('serial (CDC) scanner', () => {
  it('splits lines on bytes so UTF-8 survives every split offset; strips an AIM prefix', () => {
    const b = new TextEncoder().encode(']Q1测试二维码 payload\r\n]E04006381333931\r');
    for (const chunks of splits(b)) {
      const d = new SerialScanDecoder();
      const out = chunks.flatMap((c) => d.push(c)) as ScannedCode[];
      expect(out.map((c) => [c.text, c.symbology])).toEqual([
        ['测试二维码 payload', 'qr'],
        ['4006381333931', 'ean-upc'],
      ]);
    }
  });
});

describe('relay frames (§6)', () => {
  it('LCUS frames match the published bytes', () => {
    expect(toHex(lcusCommand(1, true))).toBe('A0 01 01 A2');
    expect(toHex(lcusCommand(1, false))).toBe('A0 01 00 A1');
    expect(toHex(lcusCommand(2, true))).toBe('A0 02 01 A3');
    expect(toHex(lcusCommand(8, true))).toBe('A0 08 01 A9');
    expect(() => lcusCommand(9, true)).toThrow(RangeError);
  });
  it('LCUS decoder resyncs after junk and rejects bad sums', () => {
    const d = new LcusDecoder();
    const out = d.push(
      Uint8Array.of(0x55, 0xa0, 0x01, 0x01, 0xa2, 0xa0, 0x01, 0x00, 0x00, 0xa0, 0x02, 0x00, 0xa2),
    );
    expect(out.filter((x) => x.kind === 'set')).toEqual([
      { kind: 'set', channel: 1, on: true },
      { kind: 'set', channel: 2, on: false },
    ]);
    expect(out.filter((x) => x.kind === 'error')).toHaveLength(2);
  });
  it('dcttech feature reports', () => {
    expect(toHex(dcttechCommand(1, true))).toBe('00 FF 01 00 00 00 00 00 00');
    expect(toHex(dcttechCommand(2, false))).toBe('00 FD 02 00 00 00 00 00 00');
    expect(parseDcttechState(Uint8Array.of(1, 0x41, 0x42, 0x43, 0x44, 0x45, 0, 0b10, 0))).toEqual({
      name: 'ABCDE',
      mask: 2,
    });
  });
});

describe('keyboard wedge', () => {
  const keys = (s: string, t0: number, gap: number): { key: string; time: number }[] =>
    [...s].map((k, i) => ({ key: k, time: t0 + i * gap }));
  it('a fast burst ending in Enter is a scan; slow typing is typing', () => {
    const scan = [...keys('EIDQR123456', 0, 8), { key: 'Enter', time: 90 }];
    expect(decodeWedge(scan)).toEqual([{ kind: 'scan', text: 'EIDQR123456', symbology: 'unknown' }]);
    const typed = [...keys('hello world', 1000, 150), { key: 'Enter', time: 3000 }];
    const r = decodeWedge(typed, { idleMs: 500 });
    expect(r).toEqual([{ kind: 'typed', text: 'hello world', suffix: 'Enter' }]);
  });
  it('a configured prefix is required and stripped', () => {
    const withPrefix = [...keys('{BAR}ABC123', 0, 5), { key: 'Enter', time: 60 }];
    expect(decodeWedge(withPrefix, { prefix: '{BAR}' })).toEqual([
      { kind: 'scan', text: 'ABC123', symbology: 'unknown' },
    ]);
    const without = [...keys('ABC123XYZ', 0, 5), { key: 'Enter', time: 60 }];
    expect(decodeWedge(without, { prefix: '{BAR}' })[0]?.kind).toBe('typed');
  });
  it('a scan without a suffix ends on idle; modifier keys are ignored', () => {
    const k = keys('A1B2C3D4', 0, 10).flatMap((e) => [{ key: 'Shift', time: e.time }, e]);
    expect(decodeWedge(k)).toEqual([{ kind: 'scan', text: 'A1B2C3D4', symbology: 'unknown' }]);
  });
  it('HID boot reports → keys (US layout, shift)', () => {
    expect(bootReportKeys(Uint8Array.of(0x02, 0, 0x04, 0, 0, 0, 0, 0))).toEqual(['A']);
    expect(bootReportKeys(Uint8Array.of(0, 0, 0x1e, 0x28, 0, 0, 0, 0))).toEqual(['1', 'Enter']);
    const prev = Uint8Array.of(0, 0, 0x1e, 0, 0, 0, 0, 0);
    expect(bootReportKeys(Uint8Array.of(0, 0, 0x1e, 0x1f, 0, 0, 0, 0), prev)).toEqual(['2']);
  });
});
