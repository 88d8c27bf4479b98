// Seeded fuzzing of the firmware decoders and parsers. Each target gets random bytes and mutations of valid
// samples (bit flips, insertions, deletions, splices, truncation, repeats), fed in random chunk splits.
// Pass criteria: only typed results/errors (any exception fails), no input slower than `slowMs` (a hang),
// and buffers never above the decoder's bound. Pure functions of the seed: a failure prints seed + index.
import { HidPosDecoder, encodeHidPosReports } from '../../../firmware-bridge/protocols/hid-pos.ts';
import { MrzFrameDecoder, encodeMrzMessage } from '../../../firmware-bridge/protocols/mrz-reader.ts';
import { LcusDecoder, lcusCommand } from '../../../firmware-bridge/protocols/relay.ts';
import {
  SamFrameDecoder,
  encodeCardPayload,
  encodeSamReply,
  parseCardPayload,
  samCommand,
  toReply,
  unwrapSamHidReport,
  wrapSamHidReports,
} from '../../../firmware-bridge/protocols/sam-id.ts';
import { SerialScanDecoder } from '../../../firmware-bridge/protocols/scanner-serial.ts';
import { WedgeDecoder } from '../../../firmware-bridge/protocols/keyboard-wedge.ts';
import { fakeWlt, textBlockOf } from '../../../firmware-bridge/simulators/cards.ts';
import { checkIdNumber } from '../../../kiosk/credentials/cn-resident-id/id-number.ts';
import { parseTextBlock } from '../../../kiosk/credentials/cn-resident-id/text-block.ts';
import { cardToDocument } from '../../../kiosk/credentials/cn-resident-id/document.ts';
import { buildMrz, mrzToDocument, parseMrz } from '../../../kiosk/credentials/mrz/parse.ts';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

export function mutate(r: Rand, src: Uint8Array, corpus: readonly Uint8Array[]): Uint8Array {
  const b = Array.from(src);
  const ops = 1 + int(r, 4);
  for (let k = 0; k < ops; k++) {
    const op = int(r, 7);
    const at = int(r, b.length + 1);
    if (op === 0 && b.length) b[at % b.length] = (b[at % b.length]! ^ (1 << int(r, 8))) & 0xff;
    else if (op === 1) b.splice(at, 0, ...Array.from({ length: 1 + int(r, 8) }, () => int(r, 256)));
    else if (op === 2 && b.length) b.splice(at, 1 + int(r, 16));
    else if (op === 3) b.length = Math.min(b.length, at);
    else if (op === 4) {
      const o = corpus[int(r, corpus.length)]!;
      const s = int(r, o.length + 1);
      b.splice(at, 0, ...o.subarray(s, s + int(r, 64)));
    } else if (op === 5 && b.length)
      b[at % b.length] = [0x00, 0xff, 0xaa, 0x96, 0x69, 0x02, 0x03, 0x0d, 0x3c][int(r, 9)]!;
    else if (op === 6 && b.length > 1) {
      const s = int(r, b.length);
      b.splice(at, 0, ...b.slice(s, s + int(r, 32)));
    }
  }
  return Uint8Array.from(b);
}

function randomBytes(r: Rand, max: number): Uint8Array {
  const n = r() < 0.1 ? int(r, max * 4) : int(r, max);
  return Uint8Array.from({ length: n }, () => int(r, 256));
}

function chunks(r: Rand, b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < b.length;) {
    const n = r() < 0.3 ? 1 : 1 + int(r, 128);
    out.push(b.subarray(o, o + n));
    o += n;
  }
  return out;
}

export interface Target {
  readonly name: string;
  readonly corpus: readonly Uint8Array[];
  readonly maxRandom: number;
  /** Run one input; return outcome labels (for statistics); throw only on a real failure. */
  run(input: Uint8Array, r: Rand): string[];
}

const bound = (what: string, v: number, max: number): void => {
  if (v > max) throw new Error(`${what} buffered ${v} > bound ${max}`);
};

const samCorpus = [
  samCommand('find'),
  encodeSamReply(0x90),
  encodeSamReply(0x9f, [0, 0, 0, 0]),
  encodeSamReply(0x90, encodeCardPayload(textBlockOf(0), fakeWlt(0))),
  encodeSamReply(0x90, encodeCardPayload(textBlockOf(3), fakeWlt(3), new Uint8Array(512))),
  encodeSamReply(0x41),
];

const mrzLines = [
  ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'],
  ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'],
  ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'],
  buildMrz('MRV-B', {
    state: 'UTO',
    number: 'V1',
    surname: 'TEST',
    given: 'A',
    nationality: 'UTO',
    birth: '900101',
    sex: 'F',
    expiry: '300101',
  }),
  ['CSC123456788<3001019<9001011<4'],
];
const enc = new TextEncoder();
const dec = new TextDecoder();

export const TARGETS: Record<string, Target> = {
  'sam-id': {
    name: 'sam-id',
    corpus: samCorpus,
    maxRandom: 400,
    run(input, r) {
      const d = new SamFrameDecoder({ maxLen: 4096 });
      const labels: string[] = [];
      for (const c of chunks(r, input)) {
        for (const x of d.push(c)) {
          if (x.kind === 'error') labels.push(x.code);
          else {
            labels.push('frame');
            const rep = toReply(x);
            if (!('kind' in rep)) {
              const p = parseCardPayload(rep.data);
              if (p.ok) {
                const t = parseTextBlock(p.value.text);
                labels.push(t.ok ? 'card' : t.error.code);
                if (t.ok) cardToDocument(t.value, { today: '2026-11-23' });
              }
            }
          }
        }
        bound('sam-id', d.buffered, 7 + 4096);
      }
      return labels;
    },
  },
  'sam-hid': {
    name: 'sam-hid',
    corpus: samCorpus.flatMap((f) => wrapSamHidReports(f)),
    maxRandom: 64,
    run(input) {
      const u = unwrapSamHidReport(input);
      if (u.kind === 'data' && (u.bytes.length < 1 || u.bytes.length > 63)) throw new Error('bad unwrap');
      return [u.kind];
    },
  },
  'mrz-reader': {
    name: 'mrz-reader',
    corpus: [
      ...mrzLines.map((l) => encodeMrzMessage(l)),
      encodeMrzMessage(mrzLines[1]!, { underscorePad: true, framing: 'plain' }),
    ],
    maxRandom: 300,
    run(input, r) {
      const d = new MrzFrameDecoder({ maxBytes: 512 });
      const labels: string[] = [];
      const take = (out: ReturnType<MrzFrameDecoder['push']>): void => {
        for (const x of out) {
          if (x.kind === 'error') labels.push(x.code);
          else {
            const p = parseMrz(x.lines);
            labels.push(p.ok ? `mrz-${p.value.format}${p.value.valid ? '' : '-invalid'}` : p.error.code);
            if (p.ok) mrzToDocument(p.value, { today: '2026-11-23' });
          }
        }
      };
      for (const c of chunks(r, input)) {
        take(d.push(c));
        bound('mrz-reader', d.buffered, 512);
      }
      take(d.flush());
      return labels;
    },
  },
  'hid-pos': {
    name: 'hid-pos',
    corpus: encodeHidPosReports(enc.encode('二维码 ' + 'x'.repeat(150)), ']Q1'),
    maxRandom: 70,
    run(input, r) {
      const d = new HidPosDecoder({ maxBytes: 8192 });
      const labels: string[] = [];
      // several reports per input: the input, then mutated continuations
      for (let k = 0; k < 1 + int(r, 4); k++) {
        const rep = k === 0 ? input : input.subarray(int(r, 4));
        for (const x of d.push(rep)) labels.push(x.kind === 'error' ? x.code : `code-${x.symbology}`);
        bound('hid-pos', d.buffered, 8192);
      }
      return labels;
    },
  },
  'scanner-serial': {
    name: 'scanner-serial',
    corpus: [enc.encode(']Q1测试二维码 payload\r\n'), enc.encode(']E04006381333931\r')],
    maxRandom: 300,
    run(input, r) {
      const d = new SerialScanDecoder({ maxBytes: 8192 });
      const labels: string[] = [];
      for (const c of chunks(r, input)) {
        for (const x of d.push(c)) labels.push(x.kind === 'error' ? x.code : 'code');
        bound('scanner-serial', d.buffered, 8192);
      }
      return labels;
    },
  },
  relay: {
    name: 'relay',
    corpus: [lcusCommand(1, true), lcusCommand(8, false)],
    maxRandom: 40,
    run(input, r) {
      const d = new LcusDecoder();
      return chunks(r, input).flatMap((c) => d.push(c).map((x) => (x.kind === 'error' ? x.code : 'set')));
    },
  },
  'text-block': {
    name: 'text-block',
    corpus: [0, 1, 2, 3, 4].map((i) => textBlockOf(i)),
    maxRandom: 300,
    run(input) {
      const t = parseTextBlock(input);
      if (t.ok) cardToDocument(t.value, { today: '2026-11-23' });
      return [t.ok ? `card-${t.value.cardType}` : t.error.code];
    },
  },
  'id-number': {
    name: 'id-number',
    corpus: [
      '11010519491231002X',
      '110105491231002',
      'USA110085010110',
      '911840199202150121',
      '810000199408230021',
    ].map((s) => enc.encode(s)),
    maxRandom: 24,
    run(input) {
      const v = checkIdNumber(dec.decode(input), '2026-11-23');
      return [v.valid ? `valid-${v.kind}` : (v.problem ?? 'invalid')];
    },
  },
  wedge: {
    name: 'wedge',
    corpus: [enc.encode('EIDQR123456\n')],
    maxRandom: 100,
    run(input, r) {
      const d = new WedgeDecoder({ maxLength: 512 });
      const labels: string[] = [];
      let t = 0;
      for (const b of input) {
        t += int(r, 60);
        const key = b === 10 ? 'Enter' : b < 32 ? 'Shift' : String.fromCharCode(b);
        for (const x of d.key({ key, time: t })) labels.push(x.kind);
      }
      for (const x of d.idle(t + 1000)) labels.push(x.kind);
      return labels;
    },
  },
};

export interface FuzzReport {
  target: string;
  seed: number;
  inputs: number;
  seconds: number;
  inputsPerSecond: number;
  /** Slowest input after re-timing stalls. */
  maxInputMs: number;
  /** Inputs that were slow once (scheduler/GC) but fast when re-timed. */
  stalls: number;
  outcomes: Record<string, number>;
}

export function fuzz(target: Target, n: number, seed: number, slowMs = 250): FuzzReport {
  const r = rng(seed);
  const outcomes: Record<string, number> = {};
  let maxMs = 0;
  let stalls = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const input =
      r() < 0.5
        ? randomBytes(r, target.maxRandom)
        : mutate(r, target.corpus[int(r, target.corpus.length)]!, target.corpus);
    const s = performance.now();
    let labels: string[];
    try {
      labels = target.run(input, r);
    } catch (e) {
      throw new Error(
        `${target.name}: seed ${seed} input #${i} (${input.length} bytes) threw: ${e instanceof Error ? e.stack : String(e)}`,
      );
    }
    let ms = performance.now() - s;
    if (ms > slowMs) {
      // On a shared machine a slow input is usually a scheduling or GC stall: re-time it (with its own
      // chunking stream) and fail only if it is slow every time.
      stalls++;
      const again = [0, 1, 2].map((k) => {
        const t = performance.now();
        target.run(input, rng(seed ^ (i + k)));
        return performance.now() - t;
      });
      ms = Math.min(...again);
      if (ms > slowMs)
        throw new Error(
          `${target.name}: seed ${seed} input #${i} took ${ms.toFixed(0)} ms on every re-run (hang)`,
        );
    }
    if (ms > maxMs) maxMs = ms;
    for (const l of labels.length ? labels : ['nothing']) outcomes[l] = (outcomes[l] ?? 0) + 1;
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    target: target.name,
    seed,
    inputs: n,
    seconds: Number(seconds.toFixed(1)),
    inputsPerSecond: Math.round(n / seconds),
    maxInputMs: Number(maxMs.toFixed(2)),
    stalls,
    outcomes,
  };
}

/** CLI entry used by the per-target scripts: `npx tsx tests/fuzz/firmware/<target>.ts [N] [SEED]`. */
export function main(name: string, argv: readonly string[]): void {
  const n = Number(argv[0] ?? 1_000_000);
  const seed = Number(argv[1] ?? 20261123);
  const t = TARGETS[name];
  if (!t) throw new Error(`unknown target ${name}`);
  const rep = fuzz(t, n, seed);
  console.log(JSON.stringify(rep));
}
