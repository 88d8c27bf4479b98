// Device layer over HID transports, with in-process fake devices (no hidraw here): the SAM reader's 64-byte
// report variant, a HID POS scanner, a dcttech relay board; plus unplug/replug through the transport.
import { describe, expect, it } from 'vitest';
import { readerSection, relaySection, scannerSection } from '../../../config/schema/devices.ts';
import { createRelay } from '../../../firmware-bridge/devices/relay.ts';
import { createSamReader } from '../../../firmware-bridge/devices/sam-reader.ts';
import type { SamReaderEvent } from '../../../firmware-bridge/devices/sam-reader.ts';
import { createScanner } from '../../../firmware-bridge/devices/scanner.ts';
import type { ScannerEvent } from '../../../firmware-bridge/devices/scanner.ts';
import { encodeHidPosReports } from '../../../firmware-bridge/protocols/hid-pos.ts';
import {
  SamFrameDecoder,
  encodeCardPayload,
  encodeSamReply,
  toRequest,
  unwrapSamHidReport,
  wrapSamHidReports,
} from '../../../firmware-bridge/protocols/sam-id.ts';
import { fakeWlt, textBlockOf } from '../../../firmware-bridge/simulators/cards.ts';
import type { CloseInfo, HidTransport } from '../../../firmware-bridge/transports/types.ts';
import type { HubEvent } from '../../../firmware-bridge/devices/hub.ts';

class FakeHid implements HidTransport {
  readonly kind = 'hid' as const;
  readonly where = 'fake';
  isOpen = true;
  writes: Uint8Array[] = [];
  features: Uint8Array[] = [];
  private data: ((c: Uint8Array) => void)[] = [];
  private closes: ((i: CloseInfo) => void)[] = [];
  constructor(private readonly onWrite: (b: Uint8Array, t: FakeHid) => void = () => undefined) {}
  write(b: Uint8Array): Promise<void> {
    this.writes.push(b);
    queueMicrotask(() => this.onWrite(b, this));
    return Promise.resolve();
  }
  emit(b: Uint8Array): void {
    for (const l of this.data) l(b);
  }
  sendFeatureReport(b: Uint8Array): Promise<void> {
    this.features.push(b);
    return Promise.resolve();
  }
  getFeatureReport(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(9));
  }
  onData(l: (c: Uint8Array) => void): void {
    this.data.push(l);
  }
  onClose(l: (i: CloseInfo) => void): void {
    this.closes.push(l);
  }
  unplug(): void {
    this.isOpen = false;
    for (const l of this.closes) l({ disconnected: true });
  }
  close(): Promise<void> {
    if (this.isOpen) {
      this.isOpen = false;
      for (const l of this.closes) l({ disconnected: false });
    }
    return Promise.resolve();
  }
}

async function take<E>(it: AsyncIterable<E>, pred: (e: E) => boolean, ms = 3000): Promise<E> {
  const iter = it[Symbol.asyncIterator]();
  const end = Date.now() + ms;
  for (;;) {
    const r = await Promise.race([
      iter.next(),
      new Promise<'t'>((res) => setTimeout(() => res('t'), Math.max(1, end - Date.now()))),
    ]);
    if (r === 't' || r.done) throw new Error('no matching event');
    if (pred(r.value)) return r.value;
  }
}

describe('SAM reader, USB-HID 64-byte report variant', () => {
  it('reads a card through wrapped reports and reconnects after an unplug', async () => {
    let present = true;
    const device = (): FakeHid => {
      const dec = new SamFrameDecoder();
      return new FakeHid((b, t) => {
        expect(b.length).toBe(65); // report ID 0 + 64
        const u = unwrapSamHidReport(b.subarray(1));
        if (u.kind !== 'data') return;
        for (const f of dec.push(u.bytes)) {
          if (f.kind !== 'frame') continue;
          const r = toRequest(f);
          if ('kind' in r) continue;
          const reply =
            r.name === 'find'
              ? present
                ? encodeSamReply(0x9f, [0, 0, 0, 0])
                : encodeSamReply(0x80)
              : r.name === 'readBase'
                ? encodeSamReply(0x90, encodeCardPayload(textBlockOf(2), fakeWlt(2)))
                : encodeSamReply(0x90, r.name === 'select' ? new Uint8Array(8) : []);
          for (const rep of wrapSamHidReports(reply)) t.emit(rep);
        }
      });
    };
    let current: FakeHid | undefined;
    const reader = createSamReader(
      readerSection.parse({
        enabled: true,
        transport: 'hid',
        pollIntervalMs: 20,
        reconnectIntervalMs: 50,
        readNewAddress: false,
      }),
      {
        open: () => Promise.resolve((current = device())),
      },
    );
    const ev = reader.events;
    expect(await take<SamReaderEvent>(ev, (e) => e.type === 'device.ready')).toMatchObject({
      device: 'reader',
    });
    const card = await take<SamReaderEvent>(ev, (e) => e.type === 'card');
    expect(card.type === 'card' && card.card.text.cardType).toBe('I');
    expect(card.type === 'card' && card.card.photo).toEqual(fakeWlt(2));
    current!.unplug();
    await take<SamReaderEvent>(ev, (e) => e.type === 'device.lost');
    await take<SamReaderEvent>(ev, (e) => e.type === 'device.ready');
    present = false;
    await reader.close();
  });
});

describe('SAM reader autobaud and discovery', () => {
  it('moves to 9600 baud when the SAM does not answer at 115200', async () => {
    let baud = 115200;
    const dec = new SamFrameDecoder();
    const t = Object.assign(
      new FakeHid((b, self) => {
        if (baud !== 9600) return; // a 9600-baud SAM hears noise at 115200
        for (const f of dec.push(b)) {
          if (f.kind === 'frame') self.emit(encodeSamReply(0x90));
        }
      }),
      { setBaudRate: (n: number) => Promise.resolve(void (baud = n)) },
    );
    const reader = createSamReader(
      readerSection.parse({ enabled: true, commandTimeoutMs: 60, pollIntervalMs: 1000 }),
      {
        open: () => Promise.resolve(t),
      },
    );
    const ready = await take<SamReaderEvent>(reader.events, (e) => e.type === 'device.ready');
    expect(ready).toMatchObject({ baudRate: 9600 });
    await reader.close();
  });
  it('reports a device that is not there once, as device.lost "not found"', async () => {
    const sc = createScanner(
      scannerSection.parse({ enabled: true, vid: 0x1234, pid: 0x5678, reconnectIntervalMs: 50 }),
    );
    expect(await take<ScannerEvent>(sc.events, () => true)).toMatchObject({
      type: 'device.lost',
      device: 'scanner',
      reason: 'not found',
    });
    await sc.close();
  });
});

describe('HID POS scanner', () => {
  it('reassembles reports into a scanner.code with UTF-8 and the symbology', async () => {
    const t = new FakeHid();
    const sc = createScanner(scannerSection.parse({ enabled: true, transport: 'hid-pos' }), {
      open: () => Promise.resolve(t),
    });
    await take<ScannerEvent>(sc.events, (e) => e.type === 'device.ready');
    const text = '二维码内容 ' + 'q'.repeat(100);
    for (const r of encodeHidPosReports(new TextEncoder().encode(text), ']Q1')) t.emit(r);
    expect(await take<ScannerEvent>(sc.events, (e) => e.type === 'scanner.code')).toEqual({
      type: 'scanner.code',
      text,
      symbology: 'qr',
    });
    await sc.close();
  });
});

describe('dcttech HID relay', () => {
  it('forces the relay off at open, pulses ON then OFF with the minimum duration, OFF on close', async () => {
    const t = new FakeHid();
    const relay = createRelay(
      relaySection.parse({ enabled: true, kind: 'dcttech', channel: 2, minPulseMs: 60 }),
      { open: () => Promise.resolve(t) },
    );
    await take(relay.events, (e) => e.type === 'device.ready');
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    expect(t.features.map(hex)).toEqual(['00fd02000000000000']);
    const t0 = Date.now();
    expect(await relay.pulse(1)).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
    expect(t.features.map(hex)).toEqual(['00fd02000000000000', '00ff02000000000000', '00fd02000000000000']);
    await relay.close();
    expect(t.features.map(hex).at(-1)).toBe('00fd02000000000000');
  });
});

describe('devices config section', () => {
  it('has a default for every key and rejects unknown keys', async () => {
    const { devicesSection } = await import('../../../config/schema/devices.ts');
    const d = devicesSection.parse(undefined);
    expect(d.reader).toMatchObject({
      enabled: false,
      transport: 'serial',
      baudRates: [115200, 9600],
      path: '',
      vid: null,
    });
    expect(d.relay).toMatchObject({ kind: 'lcus', channel: 1, minPulseMs: 150 });
    expect(d.photo.decoder).toBe('passthrough');
    expect(() => devicesSection.parse({ reader: { baud: 9600 } })).toThrow();
    expect(() => devicesSection.parse({ relay: { channel: 9 } })).toThrow();
  });
});

describe('stale replies', () => {
  it('a late read reply is not taken as the answer to the next find', async () => {
    const { plausibleReply } = await import('../../../firmware-bridge/devices/sam-reader.ts');
    const read = { sw1: 0, sw2: 0, sw3: 0x90, status: 'ok' as const, data: new Uint8Array(1284) };
    expect(plausibleReply('find', read)).toBe(false);
    expect(plausibleReply('select', read)).toBe(false);
    expect(plausibleReply('readBase', read)).toBe(true);
    const noCard = { sw1: 0, sw2: 0, sw3: 0x80, status: 'no-card' as const, data: new Uint8Array(0) };
    expect(plausibleReply('find', noCard)).toBe(true);
    expect(plausibleReply('readBase', noCard)).toBe(true);
    const found = { sw1: 0, sw2: 0, sw3: 0x9f, status: 'card-found' as const, data: new Uint8Array(4) };
    expect(plausibleReply('select', found)).toBe(false);
  });
});

describe('subscribeHub', () => {
  it('sends document/device events to event() and scans to scan(), including events queued before', async () => {
    const { subscribeHub } = await import('../../../firmware-bridge/devices/hub.ts');
    const { EventQueue } = await import('../../../firmware-bridge/devices/event-queue.ts');
    const q = new EventQueue<HubEvent>();
    q.push({ type: 'device.ready', device: 'reader' });
    const events: string[] = [];
    const scans: string[] = [];
    const stop = subscribeHub(
      { events: q, relay: undefined, close: () => Promise.resolve() },
      { event: (e) => events.push(e.type), scan: (s) => scans.push(s.text) },
    );
    q.push({ type: 'scanner.code', text: 'abc', symbology: 'qr' });
    q.push({
      type: 'document.rejected',
      code: 'E_CARD_REMOVED',
      reason: 'credential-invalid',
      source: 'id-card',
      detail: 'x',
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['device.ready', 'document.rejected']);
    expect(scans).toEqual(['abc']);
    stop();
  });
});
