// Bar-code / QR scanner device: serial (CDC, CR suffix, optional AIM prefix) or HID POS (usage page 0x8C).
import type { Logger } from 'pino';
import type { ScannerConfig } from '../../config/schema/devices.ts';
import type { DeviceName } from '../../kiosk/core/types.ts';
import { HID_POS_USAGE_PAGE, HID_POS_USAGE_SCANNER, HidPosDecoder } from '../protocols/hid-pos.ts';
import type { ScanDecoded, Symbology } from '../protocols/hid-pos.ts';
import { SerialScanDecoder } from '../protocols/scanner-serial.ts';
import { findHidPath, openHid } from '../transports/hid.ts';
import { findSerialPath, openSerial } from '../transports/serial.ts';
import type { Transport } from '../transports/types.ts';
import { EventQueue } from './event-queue.ts';
import { supervise } from './supervisor.ts';

export type ScannerEvent =
  | { readonly type: 'scanner.code'; readonly text: string; readonly symbology: Symbology }
  | { readonly type: 'error'; readonly code: 'E_SCAN_REPORT' | 'E_SCAN_OVERFLOW'; readonly reason: string }
  | { readonly type: 'device.ready'; readonly device: DeviceName }
  | { readonly type: 'device.lost'; readonly device: DeviceName; readonly reason: string };

export interface ScannerDevice {
  readonly events: AsyncIterable<ScannerEvent>;
  close(): Promise<void>;
}

export function createScanner(
  cfg: ScannerConfig,
  deps: { log?: Logger | undefined; open?: () => Promise<Transport | undefined> } = {},
): ScannerDevice {
  const log = deps.log?.child({ device: 'scanner' });
  const events = new EventQueue<ScannerEvent>();
  let ready = false;
  const hidPos = cfg.transport === 'hid-pos';
  const open =
    deps.open ??
    (hidPos
      ? async () => {
          const p = await findHidPath({
            ...cfg,
            usagePage: HID_POS_USAGE_PAGE,
            usage: HID_POS_USAGE_SCANNER,
          });
          return p === undefined ? undefined : openHid(p);
        }
      : async () => {
          const p = await findSerialPath(cfg);
          return p === undefined ? undefined : openSerial(p, cfg.baudRate);
        });
  const emit = (out: ScanDecoded[]): void => {
    for (const d of out) {
      if (d.kind === 'code') events.push({ type: 'scanner.code', text: d.text, symbology: d.symbology });
      else events.push({ type: 'error', code: d.code, reason: d.message });
    }
  };
  const sup = supervise({
    name: 'scanner',
    intervalMs: cfg.reconnectIntervalMs,
    open,
    session: (t, signal) =>
      new Promise<void>((resolve) => {
        if (hidPos) {
          const dec = new HidPosDecoder();
          t.onData((report) => emit(dec.push(report)));
        } else {
          const dec = new SerialScanDecoder({ aimPrefix: cfg.aimPrefix });
          t.onData((chunk) => emit(dec.push(chunk)));
        }
        signal.addEventListener('abort', () => resolve());
      }),
    onReady: () => {
      ready = true;
      events.push({ type: 'device.ready', device: 'scanner' });
    },
    onLost: (reason) => {
      if (ready || reason === 'not found') events.push({ type: 'device.lost', device: 'scanner', reason });
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
