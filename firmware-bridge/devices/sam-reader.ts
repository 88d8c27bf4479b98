// Chinese ID card reader (GA/T 467 SAM) device: transport + the pure codec → typed events.
// Sequence (READERS.md §1.12): status (autobaud over `baudRates`) → SAM id → poll { find → select → read
// [→ newest address] }; after a read the same card is not read again until it has been lifted (find answers
// "no card" `liftConfirmPolls` times). Each command has its own timeout; a timeout drops the partial frame.
import type { Logger } from 'pino';
import type { ReaderConfig } from '../../config/schema/devices.ts';
import type { DeviceName } from '../../kiosk/core/types.ts';
import { parseTextBlock } from '../../kiosk/credentials/cn-resident-id/text-block.ts';
import type { CardText } from '../../kiosk/credentials/cn-resident-id/text-block.ts';
import {
  SamFrameDecoder,
  formatSamId,
  parseCardPayload,
  parseNewAddress,
  samCommand,
  samStatus,
  toReply,
  unwrapSamHidReport,
  wrapSamHidReports,
} from '../protocols/sam-id.ts';
import type { SamCommandName, SamReply } from '../protocols/sam-id.ts';
import { findHidPath, openHid } from '../transports/hid.ts';
import { findSerialPath, openSerial } from '../transports/serial.ts';
import type { Transport } from '../transports/types.ts';
import { EventQueue, sleep } from './event-queue.ts';
import { supervise } from './supervisor.ts';

export interface CardRead {
  readonly text: CardText;
  /** Raw photo bytes as delivered (WLT, 1024 bytes, on standard readers). */
  readonly photo: Uint8Array;
  readonly fingerprint?: Uint8Array;
  readonly newAddress?: string;
}

export type SamReaderEvent =
  | { readonly type: 'card'; readonly card: CardRead }
  | {
      readonly type: 'rejected';
      readonly code: 'E_CARD_REMOVED' | 'E_SAM_STATUS' | 'E_SAM_TIMEOUT' | 'E_CARD_TEXT' | 'E_SAM_PAYLOAD';
      readonly reason: string;
    }
  | {
      readonly type: 'device.ready';
      readonly device: DeviceName;
      readonly samId?: string;
      readonly baudRate?: number;
    }
  | { readonly type: 'device.lost'; readonly device: DeviceName; readonly reason: string };

export interface SamReader {
  readonly events: AsyncIterable<SamReaderEvent>;
  close(): Promise<void>;
}

/** Framing over the transport: plain bytes (serial) or the 64-byte HID report wrapper. */
class SamLink {
  private readonly decoder = new SamFrameDecoder({ minLen: 4 });
  private pending: ((r: SamReply | undefined) => void) | undefined;
  private inFlight: SamCommandName | undefined;

  constructor(
    private readonly t: Transport,
    private readonly hid: boolean,
    private readonly log: Logger | undefined,
  ) {
    t.onData((chunk) => {
      if (this.hid) {
        const u = unwrapSamHidReport(chunk);
        if (u.kind === 'data') this.feed(u.bytes);
        else if (u.kind === 'error') this.log?.debug({ code: u.code }, u.message);
      } else this.feed(chunk);
    });
  }

  private feed(bytes: Uint8Array): void {
    for (const d of this.decoder.push(bytes)) {
      if (d.kind === 'error') {
        this.log?.debug({ code: d.code, dropped: d.dropped }, d.message);
        continue;
      }
      const r = toReply(d);
      if ('kind' in r) continue;
      const p = this.pending;
      if (p && this.inFlight !== undefined && !plausibleReply(this.inFlight, r)) {
        // A late reply to an earlier, timed-out command: not the answer to this one.
        this.log?.debug(
          { sw3: r.sw3, bytes: r.data.length, command: this.inFlight },
          'stale SAM reply dropped',
        );
        continue;
      }
      this.pending = undefined;
      if (p) p(r);
      else this.log?.debug({ sw3: r.sw3 }, 'unsolicited SAM frame dropped');
    }
  }

  /** Send a command; resolve with the reply or undefined on timeout. */
  async command(name: SamCommandName, timeoutMs: number): Promise<SamReply | undefined> {
    if (this.pending) this.pending(undefined);
    this.decoder.reset();
    this.inFlight = name;
    const frame = samCommand(name);
    const reply = new Promise<SamReply | undefined>((resolve) => {
      const timer = setTimeout(() => {
        if (this.pending === done) this.pending = undefined;
        const dropped = this.decoder.reset();
        if (dropped > 0) this.log?.debug({ dropped }, 'partial SAM frame dropped on timeout');
        resolve(undefined);
      }, timeoutMs);
      const done = (r: SamReply | undefined): void => {
        clearTimeout(timer);
        resolve(r);
      };
      this.pending = done;
    });
    try {
      if (this.hid) for (const r of wrapSamHidReports(frame)) await this.t.write(Uint8Array.from([0, ...r]));
      else await this.t.write(frame);
    } catch (e) {
      this.pending?.(undefined);
      throw e;
    }
    return reply;
  }
}

/**
 * Could `r` answer `cmd`? Error statuses answer anything; success replies must have the command's shape
 * (find: 9F; select: 90 + 8 bytes or none; read: 90 + a payload; status/reset: 90 without data; SAM id: 16 bytes).
 */
export function plausibleReply(cmd: SamCommandName, r: SamReply): boolean {
  if (r.status !== 'ok' && r.status !== 'card-found') return true;
  switch (cmd) {
    case 'find':
      return r.status === 'card-found';
    case 'select':
      return r.status === 'ok' && (r.data.length === 8 || r.data.length === 0);
    case 'readBase':
    case 'readBaseFingerprint':
      return r.status === 'ok' && r.data.length >= 4 + 256;
    case 'status':
    case 'reset':
      return r.status === 'ok' && r.data.length === 0;
    case 'samId':
      return r.status === 'ok' && r.data.length === 16;
    default:
      return r.status === 'ok';
  }
}

export interface SamReaderDeps {
  readonly log?: Logger | undefined;
  /** For tests: open a transport some other way. */
  readonly open?: (baudRate: number) => Promise<Transport | undefined>;
}

export function createSamReader(cfg: ReaderConfig, deps: SamReaderDeps = {}): SamReader {
  const log = deps.log?.child({ device: 'reader' });
  const events = new EventQueue<SamReaderEvent>();
  let ready = false;
  // The "read once until lifted" latch survives a reconnect: a card left on a replugged reader is not re-read.
  let latched = false;
  let noCard = 0;
  const hid = cfg.transport === 'hid';
  const firstBaud = cfg.baudRates[0] ?? 115200;

  const open =
    deps.open !== undefined
      ? () => deps.open!(firstBaud)
      : hid
        ? async () => {
            const p = await findHidPath(cfg);
            return p === undefined ? undefined : openHid(p);
          }
        : async () => {
            const p = await findSerialPath(cfg);
            return p === undefined ? undefined : openSerial(p, firstBaud);
          };

  const session = async (t: Transport, signal: AbortSignal): Promise<void> => {
    const link = new SamLink(t, hid, log);
    // Autobaud: the first rate at which the SAM answers its status command.
    let baud: number | undefined;
    let current = firstBaud;
    while (!signal.aborted && baud === undefined) {
      for (const b of hid ? [firstBaud] : cfg.baudRates) {
        if (!hid && 'setBaudRate' in t && b !== current) {
          await (t as { setBaudRate(n: number): Promise<void> }).setBaudRate(b);
          current = b;
        }
        const r = await link.command('status', cfg.commandTimeoutMs);
        if (r !== undefined) {
          if (r.status !== 'ok') log?.warn({ sw3: r.sw3, status: r.status }, 'SAM status not OK');
          baud = b;
          break;
        }
      }
      if (baud === undefined) {
        log?.warn({ code: 'E_SAM_NO_SAM' }, 'no SAM answer at any baud rate');
        await sleep(cfg.reconnectIntervalMs, signal);
      }
    }
    if (signal.aborted || baud === undefined) return;
    const idReply = await link.command('samId', cfg.commandTimeoutMs);
    const samId = idReply?.status === 'ok' ? formatSamId(idReply.data) : undefined;
    ready = true;
    events.push({
      type: 'device.ready',
      device: 'reader',
      ...(samId !== undefined ? { samId } : {}),
      baudRate: baud,
    });

    // 1295 bytes at 9600 baud take ~1.35 s on the wire: give the read at least twice its wire time.
    const wireMs = ((cfg.readFingerprint ? 2321 : 1295) * 10 * 1000) / baud;
    const readTimeout = Math.max(cfg.readTimeoutMs, Math.ceil(wireMs * 2 + 200));
    while (!signal.aborted && t.isOpen) {
      const f = await link.command('find', cfg.commandTimeoutMs);
      if (f === undefined || f.status === 'no-card') {
        if (f !== undefined && ++noCard >= cfg.liftConfirmPolls) latched = false;
      } else if (f.status === 'card-found') {
        noCard = 0;
        if (!latched) await readCard(link, readTimeout, signal, (l) => (latched = l));
      }
      await sleep(cfg.pollIntervalMs, signal);
    }
  };

  const readCard = async (
    link: SamLink,
    readTimeout: number,
    signal: AbortSignal,
    latch: (l: boolean) => void,
  ): Promise<void> => {
    const s = await link.command('select', cfg.commandTimeoutMs);
    if (s === undefined || s.status !== 'ok' || signal.aborted) return; // select fails while a card is being placed
    const r = await link.command(cfg.readFingerprint ? 'readBaseFingerprint' : 'readBase', readTimeout);
    if (r === undefined) {
      events.push({ type: 'rejected', code: 'E_SAM_TIMEOUT', reason: 'card read timed out' });
      return;
    }
    if (r.status === 'read-failed') {
      events.push({
        type: 'rejected',
        code: 'E_CARD_REMOVED',
        reason: 'card moved or removed during the read (SW3 0x41)',
      });
      return;
    }
    if (r.status !== 'ok') {
      const st = samStatus(r.sw3);
      events.push({
        type: 'rejected',
        code: 'E_SAM_STATUS',
        reason: `${st.status} (0x${r.sw3.toString(16)})`,
      });
      latch(true);
      return;
    }
    latch(true);
    const p = parseCardPayload(r.data, cfg.readFingerprint ? 'fingerprint' : 'base');
    if (!p.ok) {
      events.push({ type: 'rejected', code: 'E_SAM_PAYLOAD', reason: p.error.message });
      return;
    }
    const text = parseTextBlock(p.value.text);
    if (!text.ok) {
      events.push({ type: 'rejected', code: 'E_CARD_TEXT', reason: text.error.message });
      return;
    }
    let newAddress: string | undefined;
    if (cfg.readNewAddress && text.value.cardType === ' ') {
      const a = await link.command('readNewAddress', cfg.commandTimeoutMs);
      if (a?.status === 'ok') newAddress = parseNewAddress(a.data);
    }
    events.push({
      type: 'card',
      card: {
        text: text.value,
        photo: p.value.photo,
        ...(p.value.fingerprint !== undefined ? { fingerprint: p.value.fingerprint } : {}),
        ...(newAddress !== undefined ? { newAddress } : {}),
      },
    });
  };

  const sup = supervise({
    name: 'reader',
    intervalMs: cfg.reconnectIntervalMs,
    open,
    session,
    onLost: (reason) => {
      if (ready || reason === 'not found') events.push({ type: 'device.lost', device: 'reader', reason });
      ready = false;
    },
    log,
  });

  return {
    events,
    close: async () => {
      await sup.stop();
      events.end();
    },
  };
}
