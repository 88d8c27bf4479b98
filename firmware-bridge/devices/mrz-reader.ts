// MRZ reader device: serial bytes → MrzFrameDecoder (STX/ETX or inter-byte timeout) → MRZ lines events.
import type { Logger } from 'pino';
import type { MrzReaderConfig } from '../../config/schema/devices.ts';
import type { DeviceName } from '../../kiosk/core/types.ts';
import { MrzFrameDecoder } from '../protocols/mrz-reader.ts';
import { findSerialPath, openSerial } from '../transports/serial.ts';
import type { Transport } from '../transports/types.ts';
import { EventQueue } from './event-queue.ts';
import { supervise } from './supervisor.ts';

export type MrzReaderEvent =
  | { readonly type: 'mrz'; readonly lines: readonly string[]; readonly end: 'etx' | 'timeout' }
  | { readonly type: 'error'; readonly code: 'E_MRZ_OVERFLOW' | 'E_MRZ_BAD_BYTES'; readonly reason: string }
  | { readonly type: 'device.ready'; readonly device: DeviceName }
  | { readonly type: 'device.lost'; readonly device: DeviceName; readonly reason: string };

export interface MrzReaderDevice {
  readonly events: AsyncIterable<MrzReaderEvent>;
  close(): Promise<void>;
}

export function createMrzReader(
  cfg: MrzReaderConfig,
  deps: { log?: Logger | undefined; open?: () => Promise<Transport | undefined> } = {},
): MrzReaderDevice {
  const log = deps.log?.child({ device: 'mrz' });
  const events = new EventQueue<MrzReaderEvent>();
  let ready = false;
  const open =
    deps.open ??
    (async () => {
      const p = await findSerialPath(cfg);
      return p === undefined ? undefined : openSerial(p, cfg.baudRate);
    });
  const sup = supervise({
    name: 'mrz',
    intervalMs: cfg.reconnectIntervalMs,
    open,
    session: (t, signal) =>
      new Promise<void>((resolve) => {
        const dec = new MrzFrameDecoder({ flagAfterStx: cfg.flagAfterStx });
        let timer: NodeJS.Timeout | undefined;
        const emit = (out: ReturnType<MrzFrameDecoder['push']>): void => {
          for (const d of out) {
            if (d.kind === 'mrz') events.push({ type: 'mrz', lines: d.lines, end: d.end });
            else events.push({ type: 'error', code: d.code, reason: d.message });
          }
        };
        t.onData((chunk) => {
          emit(dec.push(chunk));
          if (timer) clearTimeout(timer);
          timer = dec.buffered > 0 ? setTimeout(() => emit(dec.flush()), cfg.interByteTimeoutMs) : undefined;
        });
        signal.addEventListener('abort', () => {
          if (timer) clearTimeout(timer);
          resolve();
        });
      }),
    onReady: () => {
      ready = true;
      events.push({ type: 'device.ready', device: 'mrz' });
    },
    onLost: (reason) => {
      if (ready || reason === 'not found') events.push({ type: 'device.lost', device: 'mrz', reason });
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
