// `eid-kiosk decode sam-id|mrz|hid-pos FILE [--unmasked]`: decode raw captured reader bytes (binary, or hex
// text with optional '#' comments) into JSON lines, one per frame, with typed errors for bad frames.
// Document numbers, names, MRZ lines and scan contents are masked unless --unmasked.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseTextBlock } from '../../credentials/cn-resident-id/text-block.ts';
import { parseMrz } from '../../credentials/mrz/parse.ts';
import { maskDocumentNumber, maskName } from '../../core/mask.ts';
import { HidPosDecoder } from '../../../firmware-bridge/protocols/hid-pos.ts';
import { MrzFrameDecoder } from '../../../firmware-bridge/protocols/mrz-reader.ts';
import {
  SamFrameDecoder,
  parseCardPayload,
  samStatus,
  toReply,
  toRequest,
} from '../../../firmware-bridge/protocols/sam-id.ts';
import type { SamRawFrame } from '../../../firmware-bridge/protocols/sam-id.ts';
import type { CliIo } from '../io.ts';

const USAGE = 'usage: eid-kiosk decode sam-id|mrz|hid-pos FILE [--unmasked]';

/** Hex text (whitespace, '#' comments, optional 0x) → bytes; anything else is taken as binary. */
export function readCapture(raw: Buffer): { bytes: Uint8Array; lines?: Uint8Array[] } {
  const text = raw.toString('latin1');
  const stripped = text.split(/\r?\n/).map((l) => l.replace(/#.*$/, '').replace(/0x/gi, '').trim());
  if (
    raw.length > 0 &&
    stripped.every((l) => /^[0-9a-fA-F\s,]*$/.test(l)) &&
    stripped.join('').replace(/[\s,]/g, '').length % 2 === 0
  ) {
    const toBytes = (s: string): Uint8Array =>
      Uint8Array.from(s.replace(/[\s,]/g, '').match(/../g) ?? [], (h) => parseInt(h, 16));
    const lines = stripped.filter((l) => l !== '').map(toBytes);
    return { bytes: toBytes(stripped.join('')), lines };
  }
  return { bytes: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) };
}

const hex2 = (n: number): string => '0x' + n.toString(16).padStart(2, '0');

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { unmasked: { type: 'boolean', default: false } },
    });
  } catch (e) {
    io.err(`E_CLI_USAGE: ${e instanceof Error ? e.message : String(e)}`);
    io.err(USAGE);
    return 2;
  }
  const [kind, file] = parsed.positionals;
  if (!kind || !file || !['sam-id', 'mrz', 'hid-pos'].includes(kind)) {
    io.err(`E_CLI_USAGE: ${USAGE}`);
    return 2;
  }
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    io.err(`E_CLI_USAGE: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const unmasked = parsed.values.unmasked === true;
  const num = (s: string): string => (unmasked ? s : maskDocumentNumber(s));
  const nm = (s: string): string => (unmasked ? s : maskName(s));
  const cap = readCapture(raw);
  let errors = 0;
  const out = (o: Record<string, unknown>): void => {
    if (o['type'] === 'error') errors++;
    io.out(JSON.stringify(o));
  };

  if (kind === 'sam-id') {
    const dec = new SamFrameDecoder();
    let offset = 0;
    for (const d of dec.push(cap.bytes)) {
      if (d.kind === 'error') {
        out({ type: 'error', offset, code: d.code, message: d.message });
        offset += d.dropped;
        continue;
      }
      out({ offset, ...samFrame(d, num, nm) });
      offset += d.size;
    }
    if (dec.buffered > 0)
      out({
        type: 'error',
        offset,
        code: 'E_SAM_TRUNCATED',
        message: `capture ends inside a frame (${dec.buffered} bytes)`,
      });
  } else if (kind === 'mrz') {
    const dec = new MrzFrameDecoder();
    for (const d of [...dec.push(cap.bytes), ...dec.flush()]) {
      if (d.kind === 'error') {
        out({ type: 'error', code: d.code, message: d.message });
        continue;
      }
      const r = parseMrz(d.lines);
      if (!r.ok) {
        out({
          type: 'error',
          code: r.error.code,
          message: r.error.message,
          lineLengths: d.lines.map((l) => l.length),
        });
        continue;
      }
      const f = r.value.fields;
      out({
        type: 'mrz',
        end: d.end,
        format: r.value.format,
        valid: r.value.valid,
        checks: r.value.checks,
        fields: {
          ...f,
          documentNumber: num(f.documentNumber),
          ...(f.primaryIdentifier !== undefined ? { primaryIdentifier: nm(f.primaryIdentifier) } : {}),
          ...(f.secondaryIdentifier !== undefined ? { secondaryIdentifier: nm(f.secondaryIdentifier) } : {}),
          ...(f.personalNumber !== undefined && f.personalNumber !== ''
            ? { personalNumber: num(f.personalNumber) }
            : {}),
          ...(f.optional1 !== undefined && f.optional1 !== '' ? { optional1: num(f.optional1) } : {}),
          ...(f.optional2 !== undefined && f.optional2 !== '' ? { optional2: num(f.optional2) } : {}),
        },
        ...(unmasked ? { lines: r.value.lines } : {}),
      });
    }
  } else {
    const dec = new HidPosDecoder();
    const reports: Uint8Array[] = [];
    if (cap.lines && cap.lines.every((l) => l.length >= 3 && l.length <= 64)) reports.push(...cap.lines);
    else for (let o = 0; o < cap.bytes.length; o += 64) reports.push(cap.bytes.subarray(o, o + 64));
    reports.forEach((rep, i) => {
      for (const d of dec.push(rep)) {
        if (d.kind === 'error') out({ type: 'error', report: i, code: d.code, message: d.message });
        else
          out({
            type: 'code',
            report: i,
            symbology: d.symbology,
            aim: d.aim,
            bytes: d.bytes.length,
            text: unmasked ? d.text : num(d.text),
          });
      }
    });
    if (dec.buffered > 0)
      out({
        type: 'error',
        code: 'E_SCAN_REPORT',
        message: `capture ends inside a continued scan (${dec.buffered} bytes)`,
      });
  }
  return errors > 0 ? 1 : 0;
}

function samFrame(
  f: SamRawFrame,
  num: (s: string) => string,
  nm: (s: string) => string,
): Record<string, unknown> {
  const b = f.body;
  // A request is CMD PARA [DATA]; a reply starts SW1 SW2 = 00 00 (every observed reader).
  if (!(b[0] === 0 && b[1] === 0)) {
    const r = toRequest(f);
    if (!('kind' in r))
      return {
        type: 'request',
        size: f.size,
        command: r.name ?? 'unknown',
        cmd: hex2(r.cmd),
        para: hex2(r.para),
        dataLength: r.data.length,
      };
  }
  const r = toReply(f);
  if ('kind' in r) return { type: 'error', code: r.code, message: r.message };
  const base = {
    type: 'reply',
    size: f.size,
    sw3: hex2(r.sw3),
    status: r.status,
    meaning: samStatus(r.sw3).meaning,
    dataLength: r.data.length,
  };
  if (r.status !== 'ok' || r.data.length < 256) return base;
  const p = parseCardPayload(r.data);
  if (!p.ok) return base;
  const t = parseTextBlock(p.value.text);
  if (!t.ok) return { ...base, card: { error: t.error.code, message: t.error.message } };
  const c = t.value;
  const name = 'name' in c ? c.name : c.nameChinese;
  return {
    ...base,
    card: {
      cardType: c.cardType,
      name: nm(name),
      ...('nameLatin' in c ? { nameLatin: nm(c.nameLatin) } : {}),
      number: num(c.number),
      sex: c.sex ?? null,
      birth: c.birth.slice(0, 4) + '****',
      validFrom: c.validFrom,
      validTo: c.validTo,
      photoBytes: p.value.photo.length,
      ...(p.value.fingerprint !== undefined ? { fingerprintBytes: p.value.fingerprint.length } : {}),
    },
  };
}
