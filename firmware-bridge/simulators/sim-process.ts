// One simulated device as its own process, speaking the real bytes on the device end of a socat pty pair.
//   tsx firmware-bridge/simulators/sim-process.ts <reader|mrz|scanner|relay> <device-side pty path>
// Controlled over the Node IPC channel: { id, op, ...args } → { id, ok, value?, error? }. See rig.ts.
import { SerialPort } from 'serialport';
import { encodeTextBlock } from '../../kiosk/credentials/cn-resident-id/text-block.ts';
import { encodeMrzMessage } from '../protocols/mrz-reader.ts';
import { LcusDecoder } from '../protocols/relay.ts';
import { SamFrameDecoder, encodeCardPayload, encodeSamReply, toRequest } from '../protocols/sam-id.ts';
import { cardByKindOrIndex, fakeWlt, SYNTHETIC_CARDS } from './cards.ts';
import type { CardKind } from './cards.ts';

type Kind = 'reader' | 'mrz' | 'scanner' | 'relay';
const kind = process.argv[2] as Kind;
const devPath = process.argv[3]!;
if (!['reader', 'mrz', 'scanner', 'relay'].includes(kind) || !devPath || !process.send) {
  process.stderr.write('usage (forked with IPC): sim-process.ts reader|mrz|scanner|relay DEVPATH\n');
  process.exit(2);
}

let port: SerialPort | undefined;

// ---- byte output with faults ------------------------------------------------------------------------------
const faults = {
  /** Bytes of junk before the next reply. */
  junk: 0,
  /** Delay between single bytes (ms) for every reply while > 0. */
  slowByteMs: 0,
  /** Split every reply into chunks of this many bytes with a small pause (0 = whole). */
  splitEvery: 0,
  /** Flip the checksum of the next reply. */
  badChecksumNext: false,
  /** The next card read answers SW3 41 and the card is lifted. */
  removeMidRead: false,
};

let writing: Promise<void> = Promise.resolve();
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function rawWrite(b: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    if (!port?.isOpen) {
      resolve();
      return;
    }
    port.write(Buffer.from(b), () => port!.drain(() => resolve()));
  });
}

function send(frame: Uint8Array): Promise<void> {
  let out = frame;
  if (faults.badChecksumNext) {
    faults.badChecksumNext = false;
    out = frame.slice();
    out[out.length - 1] = out[out.length - 1]! ^ 0x5a;
  }
  if (faults.junk > 0) {
    const junk = Uint8Array.from({ length: faults.junk }, (_, i) => (i % 3 === 0 ? 0xaa : (i * 37) & 0xff));
    faults.junk = 0;
    out = Uint8Array.from([...junk, ...out]);
  }
  const task = async (): Promise<void> => {
    if (faults.slowByteMs > 0) {
      for (const b of out) {
        await rawWrite(Uint8Array.of(b));
        await pause(faults.slowByteMs);
      }
    } else if (faults.splitEvery > 0) {
      for (let o = 0; o < out.length; o += faults.splitEvery) {
        await rawWrite(out.subarray(o, o + faults.splitEvery));
        await pause(2);
      }
    } else await rawWrite(out);
  };
  writing = writing.then(task, task);
  return writing;
}

// ---- devices -------------------------------------------------------------------------------------------------
let card: number | undefined;
const relay = new Map<number, boolean>();
const relayLog: { t: number; channel: number; on: boolean }[] = [];

const samDecoder = new SamFrameDecoder();
function onReaderBytes(chunk: Uint8Array): void {
  for (const d of samDecoder.push(chunk)) {
    if (d.kind === 'error') continue;
    const req = toRequest(d);
    if ('kind' in req) continue;
    void send(answer(req.name));
  }
}

function answer(name: string | undefined): Uint8Array {
  switch (name) {
    case 'status':
    case 'reset':
      return encodeSamReply(0x90);
    case 'samId': {
      const d = new Uint8Array(16);
      const v = new DataView(d.buffer);
      v.setUint16(0, 5, true);
      v.setUint16(2, 1, true);
      v.setUint32(4, 20261123, true);
      v.setUint32(8, 1, true);
      v.setUint32(12, 42, true);
      return encodeSamReply(0x90, d);
    }
    case 'find':
      return card === undefined ? encodeSamReply(0x80) : encodeSamReply(0x9f, [0, 0, 0, 0]);
    case 'select':
      return card === undefined ? encodeSamReply(0x81) : encodeSamReply(0x90, new Uint8Array(8));
    case 'readBase':
    case 'readBaseFingerprint': {
      if (card === undefined) return encodeSamReply(0x41);
      if (faults.removeMidRead) {
        faults.removeMidRead = false;
        card = undefined;
        return encodeSamReply(0x41);
      }
      const text = encodeTextBlock(SYNTHETIC_CARDS[card]!);
      const fp =
        name === 'readBaseFingerprint'
          ? Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) & 0xff)
          : undefined;
      return encodeSamReply(0x90, encodeCardPayload(text, fakeWlt(card), fp));
    }
    case 'readNewAddress': {
      if (card !== 0) return encodeSamReply(0x91);
      const a = '测试省样例市新址路9号';
      const d = new Uint8Array(70).fill(0);
      for (let i = 0; i < 35; i++) {
        const c = i < a.length ? a.charCodeAt(i) : 0x20;
        d[2 * i] = c & 0xff;
        d[2 * i + 1] = c >> 8;
      }
      return encodeSamReply(0x90, d);
    }
    case 'readManagementNumber':
      return encodeSamReply(0x91);
    default:
      return encodeSamReply(0x21);
  }
}

const lcus = new LcusDecoder();
function onRelayBytes(chunk: Uint8Array): void {
  for (const f of lcus.push(chunk)) {
    if (f.kind !== 'set') continue;
    relay.set(f.channel, f.on);
    relayLog.push({ t: Date.now(), channel: f.channel, on: f.on });
    if (relayLog.length > 1000) relayLog.shift();
  }
}

// ---- port ------------------------------------------------------------------------------------------------------
function attach(): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = new SerialPort({
      path: devPath,
      baudRate: kind === 'reader' ? 115200 : 9600,
      autoOpen: false,
      hupcl: false,
    });
    p.on('data', (b: Buffer) => {
      const u = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      if (kind === 'reader') onReaderBytes(u);
      else if (kind === 'relay') onRelayBytes(u);
    });
    p.on('error', () => undefined);
    p.open((e) => {
      if (e) reject(e);
      else {
        port = p;
        resolve();
      }
    });
  });
}

function detach(): Promise<void> {
  return new Promise((resolve) => {
    const p = port;
    port = undefined;
    if (!p?.isOpen) {
      resolve();
      return;
    }
    p.close(() => resolve());
  });
}

// ---- control -----------------------------------------------------------------------------------------------------
type Msg = { id: number; op: string; [k: string]: unknown };

async function handle(m: Msg): Promise<unknown> {
  switch (m.op) {
    case 'attach':
      await attach();
      return true;
    case 'detach':
      await detach();
      return true;
    case 'presentCard': {
      const k = m['card'] as CardKind | number;
      cardByKindOrIndex(k);
      card =
        typeof k === 'number'
          ? k
          : ({ resident: 0, hmt: 1, 'foreign-2017': 2, 'foreign-2023': 3 } as const)[k];
      return card;
    }
    case 'liftCard':
      card = undefined;
      return true;
    case 'faults':
      Object.assign(faults, m['faults'] as Partial<typeof faults>);
      return { ...faults };
    case 'junk': {
      const b = Uint8Array.from(m['bytes'] as number[]);
      writing = writing.then(() => rawWrite(b));
      await writing;
      return true;
    }
    case 'mrz':
      await send(
        m['framing'] === '3m'
          ? Uint8Array.from([
              0x01,
              0x00,
              0x60,
              0x4f,
              0x55,
              ...encodeMrzMessage(m['lines'] as string[], { underscorePad: true }),
              0x00,
            ])
          : encodeMrzMessage(m['lines'] as string[], { framing: m['framing'] === 'plain' ? 'plain' : 'stx' }),
      );
      return true;
    case 'scan': {
      const aim = typeof m['aim'] === 'string' ? m['aim'] : ']Q1';
      await send(new TextEncoder().encode(aim + String(m['text']) + '\r\n'));
      return true;
    }
    case 'relayState':
      return { channels: Object.fromEntries(relay), log: relayLog.slice(-50) };
    case 'setRelay':
      relay.set(Number(m['channel']), Boolean(m['on']));
      return true;
    default:
      throw new Error(`unknown op ${m.op}`);
  }
}

process.on('message', (m: Msg) => {
  handle(m).then(
    (value) => process.send!({ id: m.id, ok: true, value }),
    (e: unknown) => process.send!({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
process.on('disconnect', () => {
  void detach().finally(() => process.exit(0));
});

attach().then(
  () => process.send!({ id: 0, ok: true, value: 'ready' }),
  (e: unknown) => {
    process.send!({ id: 0, ok: false, error: String(e) });
    process.exit(1);
  },
);
