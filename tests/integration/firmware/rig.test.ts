// The device hub against the simulator rig: real socat pty pairs, real @serialport/bindings-cpp, each
// simulated device in its own process speaking the real bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicesSection } from '../../../config/schema/devices.ts';
import { createDeviceHub } from '../../../firmware-bridge/devices/hub.ts';
import type { DeviceHub, HubEvent } from '../../../firmware-bridge/devices/hub.ts';
import { startRig } from '../../../firmware-bridge/simulators/rig.ts';
import type { Rig } from '../../../firmware-bridge/simulators/rig.ts';
import { SYNTHETIC_CARDS } from '../../../firmware-bridge/simulators/cards.ts';
import { buildMrz } from '../../../kiosk/credentials/mrz/parse.ts';

let dir: string;
let rig: Rig;
let hub: DeviceHub;
const seen: { t: number; e: HubEvent }[] = [];
let cursor = 0;

/** Wait for the next event matching `pred` after the cursor; moves the cursor past it. */
async function next(pred: (e: HubEvent) => boolean, ms = 10_000): Promise<HubEvent> {
  const end = Date.now() + ms;
  for (;;) {
    for (let i = cursor; i < seen.length; i++) {
      if (pred(seen[i]!.e)) {
        cursor = i + 1;
        return seen[i]!.e;
      }
    }
    if (Date.now() > end)
      throw new Error(`no matching event within ${ms} ms; seen: ${seen.map((s) => s.e.type).join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const since = (pred: (e: HubEvent) => boolean): HubEvent[] =>
  seen
    .slice(cursor)
    .map((s) => s.e)
    .filter(pred);
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eid-rig-'));
  rig = await startRig(dir);
  // The vendor-WLT path end to end: a vendor-like library built here (tests/fixtures/firmware/fake-wlt.c).
  const lib = join(dir, 'libfakewlt.so');
  execFileSync('gcc', [
    '-shared',
    '-fPIC',
    '-O2',
    '-o',
    lib,
    fileURLToPath(new URL('../../fixtures/firmware/fake-wlt.c', import.meta.url)),
  ]);
  await rig.control.setRelay(1, true); // as if a crash had left the gate relay on
  const cfg = devicesSection.parse({
    // readTimeoutMs: the slow-bytes case sends 1295 bytes one by one (several seconds on a loaded machine).
    reader: {
      enabled: true,
      path: rig.paths.reader,
      pollIntervalMs: 50,
      commandTimeoutMs: 400,
      readTimeoutMs: 15_000,
    },
    mrz: { enabled: true, path: rig.paths.mrz, interByteTimeoutMs: 60 },
    scanner: { enabled: true, path: rig.paths.scanner },
    relay: { enabled: true, path: rig.paths.relay, minPulseMs: 120, reconnectIntervalMs: 200 },
    photo: { decoder: 'wlt-ffi', library: lib },
  });
  hub = createDeviceHub(cfg, { today: () => '2026-11-23' });
  void (async () => {
    for await (const e of hub.events) seen.push({ t: Date.now(), e });
  })();
  for (const d of ['reader', 'mrz', 'scanner', 'relay'] as const) {
    await next((e) => e.type === 'device.ready' && e.device === d, 8000);
    cursor = 0;
  }
  cursor = seen.length;
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await rig?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ID card reader over a pty', () => {
  it('reads each card type once, with passing checks, until it is lifted', async () => {
    for (const [i, card] of SYNTHETIC_CARDS.slice(0, 4).entries()) {
      await rig.control.presentCard(i);
      const e = await next((x) => x.type === 'document.read' || x.type === 'document.rejected');
      expect(e.type).toBe('document.read');
      if (e.type !== 'document.read') return;
      expect(e.document.documentNumber).toBe(card.number);
      expect(e.document.checks.filter((c) => !c.ok)).toEqual([]);
      expect(e.document.portrait).toMatchObject({ format: 'bmp', width: 102, height: 126 });
      await wait(300); // several polls with the card still present
      expect(since((x) => x.type === 'document.read')).toEqual([]);
      await rig.control.liftCard();
      await wait(150);
    }
  });

  it('survives junk, split frames, slow bytes and a bad checksum', async () => {
    await rig.control.readerFaults({ junk: 7, splitEvery: 5 });
    await rig.control.presentCard('resident');
    const a = await next((x) => x.type === 'document.read');
    expect(a.type === 'document.read' && a.document.documentType).toBe('cn-resident-id');
    await rig.control.liftCard();
    await rig.control.readerFaults({ splitEvery: 0, badChecksumNext: true });
    // The corrupted reply costs one command timeout (400 ms); the reader must then see "no card" before it
    // reads again (a card swapped inside a timed-out poll looks like the same card: it is not re-read).
    await wait(700);
    await rig.control.presentCard('hmt');
    const b = await next((x) => x.type === 'document.read');
    expect(b.type === 'document.read' && b.document.documentType).toBe('cn-hmt-residence-permit');
    await rig.control.liftCard();
    await rig.control.readerFaults({ slowByteMs: 1 });
    await wait(400);
    await rig.control.presentCard('foreign-2017');
    const c = await next((x) => x.type === 'document.read', 20_000);
    expect(c.type === 'document.read' && c.document.documentType).toBe('cn-foreign-permanent-2017');
    await rig.control.readerFaults({ slowByteMs: 0 });
    await rig.control.liftCard();
    await wait(600);
  }, 60_000);

  it('reports a mid-read removal (SW3 41) as a typed rejection', async () => {
    await rig.control.readerFaults({ removeMidRead: true });
    await rig.control.presentCard('resident');
    const e = await next((x) => x.type === 'document.rejected' || x.type === 'document.read');
    await rig.control.liftCard();
    expect(e).toMatchObject({
      type: 'document.rejected',
      code: 'E_CARD_REMOVED',
      reason: 'credential-invalid',
      source: 'id-card',
    });
  });

  it('detects unplug and reconnects within 2 s of replug', async () => {
    await rig.control.unplug('reader');
    await next((x) => x.type === 'device.lost' && x.device === 'reader', 3000);
    await rig.control.replug('reader');
    const t0 = Date.now();
    await next((x) => x.type === 'device.ready' && x.device === 'reader', 3000);
    expect(Date.now() - t0).toBeLessThan(2000);
    await rig.control.presentCard('foreign-2023');
    const e = await next((x) => x.type === 'document.read');
    expect(e.type === 'document.read' && e.document.validTo).toBe('long-term');
    await rig.control.liftCard();
  }, 15_000);
});

describe('MRZ reader over a pty', () => {
  const lines = buildMrz('TD3', {
    state: 'UTO',
    number: 'T22000129',
    surname: 'TEST',
    given: 'SAMPLE',
    nationality: 'UTO',
    birth: '850101',
    sex: 'M',
    expiry: '310101',
  });
  it.each(['stx', 'plain', '3m'] as const)('%s framing → a valid passport document', async (framing) => {
    await rig.control.presentMrz(lines, framing);
    const e = await next((x) => x.type === 'document.read' || x.type === 'document.rejected');
    expect(e.type).toBe('document.read');
    if (e.type !== 'document.read') return;
    expect(e.document).toMatchObject({
      source: 'mrz',
      documentType: 'passport',
      documentNumber: 'T22000129',
      birthDate: '1985-01-01',
    });
    expect(e.document.checks.every((c) => c.ok)).toBe(true);
  });
  it('a broken check digit reaches the kiosk as a failing check', async () => {
    const bad = [
      lines[0]!,
      lines[1]!.slice(0, 9) + String((Number(lines[1]![9]) + 1) % 10) + lines[1]!.slice(10),
    ];
    await rig.control.presentMrz(bad);
    const e = await next((x) => x.type === 'document.read');
    expect(e.type === 'document.read' && e.document.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([
      'mrz.document-number',
      'mrz.composite',
    ]);
  });
  it('garbage lines are a typed rejection', async () => {
    await rig.control.presentMrz(['HELLO', 'WORLD']);
    const e = await next((x) => x.type === 'document.rejected');
    expect(e).toMatchObject({ code: 'E_MRZ_SHAPE', reason: 'credential-invalid', source: 'mrz' });
  });
});

describe('scanner (CDC mode) over a pty', () => {
  it('delivers UTF-8 QR content and the symbology', async () => {
    const text = 'EIDQR1:测试-身份码-Ω-' + 'z'.repeat(300);
    await rig.control.scan(text);
    const e = await next((x) => x.type === 'scanner.code');
    expect(e).toEqual({ type: 'scanner.code', text, symbology: 'qr' });
  });
  it('recovers from unplug', async () => {
    await rig.control.unplug('scanner');
    await next((x) => x.type === 'device.lost' && x.device === 'scanner', 3000);
    await rig.control.replug('scanner');
    await next((x) => x.type === 'device.ready' && x.device === 'scanner', 2500);
    await rig.control.scan('4006381333931', ']E0');
    expect(await next((x) => x.type === 'scanner.code')).toMatchObject({
      text: '4006381333931',
      symbology: 'ean-upc',
    });
  }, 10_000);
});

describe('gate relay (LCUS) over a pty', () => {
  it('was forced off at open although a crash had left it on', async () => {
    const s = await rig.control.relayState();
    expect(s.channels['1']).toBe(false);
  });
  it('pulses for at least the minimum duration and ends off', async () => {
    const before = Date.now();
    await hub.relay!.pulse(10); // shorter than minPulseMs: lengthened to 120 ms
    // The host holds the contact for the minimum (its own clock: OFF is written only after 120 ms) ...
    expect(Date.now() - before).toBeGreaterThanOrEqual(120);
    await wait(50);
    const s = await rig.control.relayState();
    const log = s.log.filter((l) => l.t >= before);
    const on = log.find((l) => l.on);
    const off = log.find((l) => !l.on && on !== undefined && l.t >= on.t);
    expect(on && off).toBeTruthy();
    // ... and the device saw ON, then OFF. Its receive times come from another process over a pty, so on a
    // loaded machine a late ON can shorten the gap it sees by tens of ms (107 ms seen once at load 8).
    expect(off!.t - on!.t).toBeGreaterThanOrEqual(70);
    expect(s.channels['1']).toBe(false);
  });
  it('rejects a pulse while unplugged, and is forced off again on replug', async () => {
    await rig.control.unplug('relay');
    await next((x) => x.type === 'device.lost' && x.device === 'relay', 3000);
    await expect(hub.relay!.pulse(200)).rejects.toMatchObject({ code: 'E_RELAY_UNAVAILABLE' });
    await rig.control.setRelay(1, true);
    await rig.control.replug('relay');
    await next((x) => x.type === 'device.ready' && x.device === 'relay', 2500);
    await wait(50);
    expect((await rig.control.relayState()).channels['1']).toBe(false);
  }, 10_000);
});
