// Reads an ONNX file's graph without the onnx Python package: a minimal protobuf walk over ModelProto that
// prints the producer, opsets, inputs/outputs with shapes, an operator histogram, the parameter count and
// the first node names. Used to identify each model's architecture for its card in docs/models/.
//   npx tsx models/inspect.ts models/fr_detect.onnx [--nodes N]
import { readFileSync } from 'node:fs';

type Field = { no: number; wire: number; value: bigint | Uint8Array };

function* fields(buf: Uint8Array): Generator<Field> {
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 1) {
      yield { no, wire, value: buf.subarray(i, i + 8) };
      i += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      yield { no, wire, value: buf.subarray(i, i + len) };
      i += len;
    } else if (wire === 5) {
      yield { no, wire, value: buf.subarray(i, i + 4) };
      i += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

const text = (v: bigint | Uint8Array): string =>
  v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v);
const bytes = (v: bigint | Uint8Array): Uint8Array => (v instanceof Uint8Array ? v : new Uint8Array());

function packedInts(v: bigint | Uint8Array): number[] {
  if (typeof v === 'bigint') return [Number(v)];
  const out: number[] = [];
  let i = 0;
  while (i < v.length) {
    let r = 0n;
    let s = 0n;
    for (;;) {
      const b = v[i++] ?? 0;
      r |= BigInt(b & 0x7f) << s;
      if ((b & 0x80) === 0) break;
      s += 7n;
    }
    out.push(Number(r));
  }
  return out;
}

function valueInfo(buf: Uint8Array): string {
  let name = '';
  const dims: string[] = [];
  for (const f of fields(buf)) {
    if (f.no === 1) name = text(f.value);
    if (f.no === 2)
      for (const t of fields(bytes(f.value)))
        if (t.no === 1)
          for (const tt of fields(bytes(t.value)))
            if (tt.no === 2)
              for (const d of fields(bytes(tt.value)))
                if (d.no === 1)
                  for (const dv of fields(bytes(d.value)))
                    dims.push(dv.no === 1 ? text(dv.value) : text(dv.value));
  }
  return `${name} [${dims.join(', ')}]`;
}

export interface GraphSummary {
  producer: string;
  opsets: string[];
  inputs: string[];
  outputs: string[];
  ops: Record<string, number>;
  nodes: { name: string; op: string; inputs: string[]; outputs: string[] }[];
  params: number;
  initializers: { name: string; dims: number[] }[];
}

export function summarise(file: string): GraphSummary {
  const buf = new Uint8Array(readFileSync(file));
  const s: GraphSummary = {
    producer: '',
    opsets: [],
    inputs: [],
    outputs: [],
    ops: {},
    nodes: [],
    params: 0,
    initializers: [],
  };
  for (const f of fields(buf)) {
    if (f.no === 2 || f.no === 3) s.producer += (s.producer ? ' ' : '') + text(f.value);
    if (f.no === 8) {
      let domain = '';
      let version = '';
      for (const o of fields(bytes(f.value))) {
        if (o.no === 1) domain = text(o.value);
        if (o.no === 2) version = text(o.value);
      }
      s.opsets.push(`${domain || 'ai.onnx'}:${version}`);
    }
    if (f.no !== 7) continue;
    const initNames = new Set<string>();
    for (const g of fields(bytes(f.value))) {
      if (g.no === 1) {
        const node = { name: '', op: '', inputs: [] as string[], outputs: [] as string[] };
        for (const n of fields(bytes(g.value))) {
          if (n.no === 1) node.inputs.push(text(n.value));
          if (n.no === 2) node.outputs.push(text(n.value));
          if (n.no === 3) node.name = text(n.value);
          if (n.no === 4) node.op = text(n.value);
        }
        s.ops[node.op] = (s.ops[node.op] ?? 0) + 1;
        s.nodes.push(node);
      }
      if (g.no === 5) {
        let name = '';
        const dims: number[] = [];
        for (const t of fields(bytes(g.value))) {
          if (t.no === 1) dims.push(...packedInts(t.value));
          if (t.no === 8) name = text(t.value);
        }
        initNames.add(name);
        s.initializers.push({ name, dims });
        s.params += dims.reduce((a, b) => a * b, 1);
      }
      if (g.no === 11) {
        const vi = valueInfo(bytes(g.value));
        if (!initNames.has(vi.split(' ')[0] ?? '')) s.inputs.push(vi);
      }
      if (g.no === 12) s.outputs.push(valueInfo(bytes(g.value)));
    }
  }
  return s;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx models/inspect.ts FILE.onnx [--nodes N]');
    process.exit(2);
  }
  const n = Number(process.argv[process.argv.indexOf('--nodes') + 1] ?? 0) || 12;
  const s = summarise(file);
  console.log(`producer: ${s.producer}\nopsets: ${s.opsets.join(' ')}`);
  console.log(`inputs: ${s.inputs.join('; ')}\noutputs: ${s.outputs.join('; ')}`);
  console.log(`nodes: ${s.nodes.length}, parameters: ${s.params.toLocaleString('en')}`);
  console.log(
    `ops: ${Object.entries(s.ops)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}×${v}`)
      .join(' ')}`,
  );
  for (const node of s.nodes.slice(0, n))
    console.log(`  ${node.op} ${node.name} ${node.inputs.join(',')} -> ${node.outputs.join(',')}`);
  console.log('  …');
  for (const node of s.nodes.slice(-n))
    console.log(`  ${node.op} ${node.name} ${node.inputs.join(',')} -> ${node.outputs.join(',')}`);
  const big = [...s.initializers].sort(
    (a, b) => b.dims.reduce((x, y) => x * y, 1) - a.dims.reduce((x, y) => x * y, 1),
  );
  console.log(
    `largest initializers: ${big
      .slice(0, 5)
      .map((i) => `${i.name}[${i.dims.join('x')}]`)
      .join(' ')}`,
  );
}
