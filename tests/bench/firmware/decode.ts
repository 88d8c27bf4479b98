// Firmware decoder benchmark: `npx tsx tests/bench/firmware/decode.ts [--quick]`
//  1. Decode throughput (frames/s) of the pure codecs on synthetic frames (whole and in 64-byte chunks).
//  2. Latency from a frame's last byte to the typed event over a socat pty pair (real serialport binding):
//     the frame minus its last byte is written first; the clock starts when the last byte is written and stops
//     when the decoder hands out the typed frame. Writer and reader share this process.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { HidPosDecoder, encodeHidPosReports } from '../../../firmware-bridge/protocols/hid-pos.ts';
import { MrzFrameDecoder, encodeMrzMessage } from '../../../firmware-bridge/protocols/mrz-reader.ts';
import {
  SamFrameDecoder,
  encodeCardPayload,
  encodeSamReply,
  parseCardPayload,
  toReply,
} from '../../../firmware-bridge/protocols/sam-id.ts';
import { SerialScanDecoder } from '../../../firmware-bridge/protocols/scanner-serial.ts';
import { fakeWlt, textBlockOf } from '../../../firmware-bridge/simulators/cards.ts';
import { cardToDocument } from '../../../kiosk/credentials/cn-resident-id/document.ts';
import { parseTextBlock } from '../../../kiosk/credentials/cn-resident-id/text-block.ts';
import { mrzToDocument, parseMrz } from '../../../kiosk/credentials/mrz/parse.ts';

const quick = process.argv.includes('--quick');
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

function throughput(name: string, input: string, frames: number, once: () => number): void {
  const rounds = quick ? 3 : 9;
  const perRound = Math.max(1, Math.floor((quick ? 2000 : 20000) / frames));
  const rates: number[] = [];
  const perFrameUs: number[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    const t0 = performance.now();
    let n = 0;
    for (let i = 0; i < perRound; i++) n += once();
    const ms = performance.now() - t0;
    if (r === 0) continue; // warm-up
    rates.push((n / ms) * 1000);
    perFrameUs.push((ms * 1000) / n);
  }
  console.log(
    `${name.padEnd(34)} ${input.padEnd(44)} median ${Math.round(pct(rates, 50)).toLocaleString('en').padStart(10)} frames/s  p95 per-frame ${pct(perFrameUs, 95).toFixed(1)} µs`,
  );
}

const base = encodeSamReply(0x90, encodeCardPayload(textBlockOf(0), fakeWlt(0)));
const status = encodeSamReply(0x90);
const chunks64 = (b: Uint8Array): Uint8Array[] =>
  Array.from({ length: Math.ceil(b.length / 64) }, (_, i) => b.subarray(i * 64, i * 64 + 64));
const baseChunks = chunks64(base);
const stream100 = Uint8Array.from(Array.from({ length: 100 }, () => [...status]).flat());
const td3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const mrzMsg = encodeMrzMessage(td3);
const qrReports = encodeHidPosReports(
  new TextEncoder().encode('EIDQR1.' + '测试'.repeat(20) + 'x'.repeat(100)),
  ']Q1',
);
const scanLine = new TextEncoder().encode(']Q1EIDQR1.' + '测试'.repeat(20) + 'x'.repeat(100) + '\r');

console.log('# eid-kiosk firmware decode benchmark');
console.log(
  `# ${new Date().toISOString()}  ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.release()}`,
);
console.log('# 1. decode throughput (pure codecs, synthetic frames built by the encoders)');
const samDec = new SamFrameDecoder();
throughput(
  'sam-id read reply, whole',
  '1295-byte 30 01 reply in one chunk',
  1,
  () => samDec.push(base).length,
);
throughput('sam-id read reply, 64-byte chunks', '1295 bytes in 21 chunks (USB packets)', 1, () => {
  const d = samDec;
  let n = 0;
  for (const c of baseChunks) n += d.push(c).length;
  return n;
});
throughput(
  'sam-id status replies, stream',
  '100 × 11-byte frames in one chunk',
  100,
  () => samDec.push(stream100).length,
);
throughput('sam-id read → IdentityDocument', 'frame + payload + text block + checks', 1, () => {
  const f = new SamFrameDecoder().push(base)[0]!;
  if (f.kind !== 'frame') return 0;
  const r = toReply(f);
  if ('kind' in r) return 0;
  const p = parseCardPayload(r.data);
  if (!p.ok) return 0;
  const t = parseTextBlock(p.value.text);
  if (!t.ok) return 0;
  cardToDocument(t.value, { today: '2026-11-23' });
  return 1;
});
throughput('mrz-reader frame + TD3 parse', '92-byte STX…ETX message → IdentityDocument', 1, () => {
  const m = new MrzFrameDecoder().push(mrzMsg)[0];
  if (m?.kind !== 'mrz') return 0;
  const p = parseMrz(m.lines);
  if (p.ok) mrzToDocument(p.value, { today: '2026-11-23' });
  return 1;
});
throughput('hid-pos reassembly', `${qrReports.length} × 64-byte reports, UTF-8 QR`, 1, () => {
  const d = new HidPosDecoder();
  let n = 0;
  for (const r of qrReports) n += d.push(r).length;
  return n;
});
throughput(
  'serial scanner line',
  `${scanLine.length}-byte AIM + UTF-8 line`,
  1,
  () => new SerialScanDecoder().push(scanLine).length,
);

// ---- 2. latency over a pty -----------------------------------------------------------------------------
async function ptyLatency(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'eid-bench-'));
  const host = join(dir, 'host');
  const dev = join(dir, 'dev');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${dev}`], {
    stdio: 'ignore',
  });
  try {
    while (!existsSync(host) || !existsSync(dev)) await new Promise((r) => setTimeout(r, 20));
    const open = (p: string): Promise<SerialPort> =>
      new Promise((res, rej) => {
        const s = new SerialPort({ path: p, baudRate: 115200, autoOpen: false });
        s.open((e) => (e ? rej(e) : res(s)));
      });
    const h = await open(host);
    const d = await open(dev);
    const write = (b: Uint8Array): Promise<void> =>
      new Promise((res) => d.write(Buffer.from(b), () => d.drain(() => res())));
    console.log(
      '# 2. latency, last byte written → typed event, over a socat pty pair (serialport 13, bindings-cpp)',
    );
    const cases: [string, Uint8Array, () => { push(b: Uint8Array): { kind: string }[] }][] = [
      ['sam-id find reply (15 B)', encodeSamReply(0x9f, [0, 0, 0, 0]), () => new SamFrameDecoder()],
      ['sam-id read reply (1295 B)', base, () => new SamFrameDecoder()],
      ['mrz-reader TD3 (92 B, ETX)', mrzMsg, () => new MrzFrameDecoder()],
      ['scanner line (CR)', scanLine, () => new SerialScanDecoder()],
    ];
    for (const [name, frame, make] of cases) {
      const lat: number[] = [];
      const trials = quick ? 30 : 200;
      for (let i = 0; i < trials; i++) {
        const dec = make();
        let t0 = Number.POSITIVE_INFINITY;
        const got = new Promise<number>((resolve) => {
          const on = (b: Buffer): void => {
            const out = dec.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
            if (out.some((x) => x.kind === 'frame' || x.kind === 'mrz' || x.kind === 'code')) {
              if (t0 === Number.POSITIVE_INFINITY) throw new Error(`${name}: event before the last byte`);
              h.off('data', on);
              resolve(performance.now() - t0);
            }
          };
          h.on('data', on);
        });
        await write(frame.subarray(0, frame.length - 1));
        await new Promise((r) => setTimeout(r, 5));
        t0 = performance.now();
        await write(frame.subarray(frame.length - 1));
        lat.push(await got);
      }
      console.log(
        `${name.padEnd(34)} ${String(trials).padStart(4)} trials  median ${pct(lat, 50).toFixed(2)} ms  p95 ${pct(lat, 95).toFixed(2)} ms  max ${Math.max(...lat).toFixed(2)} ms`,
      );
    }
    await new Promise((r) => h.close(() => r(undefined)));
    await new Promise((r) => d.close(() => r(undefined)));
  } finally {
    socat.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

await ptyLatency();

// ---- 3. end to end through the device hub and the simulator rig ------------------------------------------
async function hubLatency(): Promise<void> {
  const { startRig } = await import('../../../firmware-bridge/simulators/rig.ts');
  const { createDeviceHub } = await import('../../../firmware-bridge/devices/hub.ts');
  const { devicesSection } = await import('../../../config/schema/devices.ts');
  const dir = mkdtempSync(join(os.tmpdir(), 'eid-bench-rig-'));
  const rig = await startRig(dir, ['reader', 'mrz']);
  const poll = 300;
  const hub = createDeviceHub(
    devicesSection.parse({
      reader: { enabled: true, path: rig.paths.reader, pollIntervalMs: poll },
      mrz: { enabled: true, path: rig.paths.mrz },
    }),
  );
  const waiters: ((t: number) => void)[] = [];
  void (async () => {
    for await (const e of hub.events) if (e.type === 'document.read') waiters.shift()?.(performance.now());
  })();
  const nextRead = (): Promise<number> => new Promise((r) => waiters.push(r));
  await new Promise((r) => setTimeout(r, 500));
  const card: number[] = [];
  const mrz: number[] = [];
  const trials = quick ? 5 : 30;
  const lines = [
    'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
    'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
  ];
  for (let i = 0; i < trials; i++) {
    const got = nextRead();
    const t0 = performance.now();
    await rig.control.presentCard(i % 4);
    card.push((await got) - t0);
    await rig.control.liftCard();
    await new Promise((r) => setTimeout(r, poll * 2 + 50));
    const got2 = nextRead();
    const t1 = performance.now();
    await rig.control.presentMrz(lines);
    mrz.push((await got2) - t1);
  }
  console.log(
    `# 3. end to end through the hub and the simulator rig (simulator processes, socat ptys; poll ${poll} ms)`,
  );
  console.log(
    `card placed → document.read            ${String(trials).padStart(4)} trials  median ${pct(card, 50).toFixed(0)} ms  p95 ${pct(card, 95).toFixed(0)} ms  (poll wait + find/select/read/new-address + parse + checks)`,
  );
  console.log(
    `MRZ message sent → document.read        ${String(trials).padStart(4)} trials  median ${pct(mrz, 50).toFixed(1)} ms  p95 ${pct(mrz, 95).toFixed(1)} ms`,
  );
  await hub.close();
  await rig.stop();
  rmSync(dir, { recursive: true, force: true });
}

await hubLatency();
