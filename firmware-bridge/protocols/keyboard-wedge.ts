// Keyboard-wedge scanners: telling a scan from human typing (READERS.md §4.2). Pure, no timers, no DOM: the
// renderer feeds `KeyboardEvent.key` with `event.timeStamp`, and calls `idle(now)` from its own timer.
// A burst is a scan when it has ≥ minLength characters, an average inter-key gap ≤ maxAvgGapMs, and — when a
// prefix is configured — starts with that prefix (which is stripped). A burst ends at a suffix key (Enter/Tab),
// at a gap > idleMs, or on idle(). Anything else is handed back as typing so no keystroke is lost.

export interface WedgeKey {
  /** KeyboardEvent.key: one character, or a named key ('Enter', 'Tab', 'Shift', …). */
  readonly key: string;
  /** Milliseconds (KeyboardEvent.timeStamp or performance.now()). */
  readonly time: number;
}

export interface WedgeOptions {
  readonly maxAvgGapMs?: number;
  readonly minLength?: number;
  readonly idleMs?: number;
  readonly prefix?: string;
  readonly suffixKeys?: readonly string[];
  readonly maxLength?: number;
}

export type WedgeResult =
  | { readonly kind: 'scan'; readonly text: string; readonly symbology: 'unknown' }
  | { readonly kind: 'typed'; readonly text: string; readonly suffix?: string };

export class WedgeDecoder {
  private chars: string[] = [];
  private times: number[] = [];
  private readonly o: Required<Omit<WedgeOptions, 'prefix'>> & { prefix: string };

  constructor(opts: WedgeOptions = {}) {
    this.o = {
      maxAvgGapMs: opts.maxAvgGapMs ?? 30,
      minLength: opts.minLength ?? 6,
      idleMs: opts.idleMs ?? 100,
      prefix: opts.prefix ?? '',
      suffixKeys: opts.suffixKeys ?? ['Enter', 'Tab'],
      maxLength: opts.maxLength ?? 4096,
    };
  }

  key(e: WedgeKey): WedgeResult[] {
    const out: WedgeResult[] = [];
    const last = this.times[this.times.length - 1];
    if (last !== undefined && e.time - last > this.o.idleMs) out.push(this.close());
    if (this.o.suffixKeys.includes(e.key)) {
      out.push(this.close(e.key));
      return out.filter(nonEmpty);
    }
    if ([...e.key].length !== 1) return out.filter(nonEmpty); // Shift, Alt, arrows…: not characters
    if (this.chars.length >= this.o.maxLength) out.push(this.close());
    this.chars.push(e.key);
    this.times.push(e.time);
    return out.filter(nonEmpty);
  }

  idle(now: number): WedgeResult[] {
    const last = this.times[this.times.length - 1];
    if (last === undefined || now - last < this.o.idleMs) return [];
    return [this.close()].filter(nonEmpty);
  }

  private close(suffix?: string): WedgeResult {
    const text = this.chars.join('');
    const t = this.times;
    this.chars = [];
    this.times = [];
    const avg = t.length > 1 ? (t[t.length - 1]! - t[0]!) / (t.length - 1) : Infinity;
    const fast = avg <= this.o.maxAvgGapMs;
    const prefixed = this.o.prefix === '' || text.startsWith(this.o.prefix);
    const body = text.slice(this.o.prefix.length);
    if (fast && prefixed && body.length >= this.o.minLength)
      return { kind: 'scan', text: this.o.prefix === '' ? text : body, symbology: 'unknown' };
    return suffix !== undefined ? { kind: 'typed', text, suffix } : { kind: 'typed', text };
  }
}

function nonEmpty(r: WedgeResult): boolean {
  return !(r.kind === 'typed' && r.text === '' && r.suffix === undefined);
}

/** Batch form: all results for a recorded key sequence (the burst still open at the end is closed). */
export function decodeWedge(keys: readonly WedgeKey[], opts: WedgeOptions = {}): WedgeResult[] {
  const d = new WedgeDecoder(opts);
  const out = keys.flatMap((k) => d.key(k));
  const end = keys.length > 0 ? keys[keys.length - 1]!.time + (opts.idleMs ?? 100) : 0;
  return [...out, ...d.idle(end)];
}

// ---- raw HID boot-keyboard reports (hidraw), US layout -------------------------------------------------

const LOWER = 'abcdefghijklmnopqrstuvwxyz1234567890';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^&*()';
const PUNCT: Record<number, [string, string]> = {
  0x2c: [' ', ' '],
  0x2d: ['-', '_'],
  0x2e: ['=', '+'],
  0x2f: ['[', '{'],
  0x30: [']', '}'],
  0x31: ['\\', '|'],
  0x33: [';', ':'],
  0x34: ["'", '"'],
  0x35: ['`', '~'],
  0x36: [',', '<'],
  0x37: ['.', '>'],
  0x38: ['/', '?'],
};

/** Usage ID + modifier byte → KeyboardEvent-style key (US layout), or undefined. */
export function usageToKey(usage: number, modifiers: number): string | undefined {
  const shift = (modifiers & 0x22) !== 0;
  if (usage >= 0x04 && usage <= 0x27) return (shift ? UPPER : LOWER)[usage - 0x04];
  if (usage === 0x28 || usage === 0x58) return 'Enter';
  if (usage === 0x2b) return 'Tab';
  const p = PUNCT[usage];
  return p ? p[shift ? 1 : 0] : undefined;
}

/** Keys newly pressed in an 8-byte boot report compared with the previous report. */
export function bootReportKeys(report: Uint8Array, previous?: Uint8Array): string[] {
  if (report.length < 8) return [];
  const mods = report[0]!;
  const before = new Set(previous ? Array.from(previous.subarray(2, 8)) : []);
  const keys: string[] = [];
  for (const u of report.subarray(2, 8)) {
    if (u === 0 || before.has(u)) continue;
    const k = usageToKey(u, mods);
    if (k !== undefined) keys.push(k);
  }
  return keys;
}
