// Gate relay device: LCUS serial board or dcttech HID board. The relay is forced OFF
//   1. whenever the board is (re)opened — so a crash that left it on is undone at the next start,
//   2. after every pulse (a pulse is clamped to [minPulseMs, maxPulseMs]; the relay is never left on),
//   3. on process exit (installExitHook: a synchronous write of the OFF frame to the serial device node in
//      process 'exit', and OFF-then-exit on SIGINT/SIGTERM/SIGHUP).
// What no software can cover: SIGKILL or power loss during a pulse. Wire the gate to the relay's NO contact so
// an unpowered board means "closed" (docs/hardware.md).
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Logger } from 'pino';
import type { RelayConfig } from '../../config/schema/devices.ts';
import type { DeviceName } from '../../kiosk/core/types.ts';
import { dcttechCommand, lcusCommand } from '../protocols/relay.ts';
import { findHidPath, openHid } from '../transports/hid.ts';
import { findSerialPath, openSerial } from '../transports/serial.ts';
import type { HidTransport, Transport } from '../transports/types.ts';
import { EventQueue, sleep } from './event-queue.ts';
import { supervise } from './supervisor.ts';

export type RelayEvent =
  | { readonly type: 'device.ready'; readonly device: DeviceName }
  | { readonly type: 'device.lost'; readonly device: DeviceName; readonly reason: string };

export interface RelayDevice {
  readonly events: AsyncIterable<RelayEvent>;
  /** Close the contact for `ms` (clamped), then open it. Resolves false when the board is not connected. */
  pulse(ms: number): Promise<boolean>;
  /** Force the relay off now (best effort). */
  off(): Promise<void>;
  close(): Promise<void>;
}

export function createRelay(
  cfg: RelayConfig,
  deps: { log?: Logger | undefined; open?: () => Promise<Transport | undefined>; exitHook?: boolean } = {},
): RelayDevice {
  const log = deps.log?.child({ device: 'relay' });
  const events = new EventQueue<RelayEvent>();
  let ready = false;
  let path: string | undefined;
  let pulsing: Promise<boolean> | undefined;
  const lcus = cfg.kind === 'lcus';

  const set = async (t: Transport, on: boolean): Promise<void> => {
    if (lcus) await t.write(lcusCommand(cfg.channel, on));
    else await (t as HidTransport).sendFeatureReport(dcttechCommand(cfg.channel, on));
  };

  const open =
    deps.open ??
    (lcus
      ? async () => {
          const p = await findSerialPath(cfg);
          if (p === undefined) return undefined;
          path = p;
          return openSerial(p, cfg.baudRate);
        }
      : async () => {
          const p = await findHidPath(cfg);
          return p === undefined ? undefined : openHid(p);
        });

  const sup = supervise({
    name: 'relay',
    intervalMs: cfg.reconnectIntervalMs,
    open: async () => {
      const t = await open();
      if (t !== undefined) {
        await set(t, false); // force off at (re)open
        log?.info('relay forced off at open');
      }
      return t;
    },
    session: (_t, signal) =>
      new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
    onReady: () => {
      ready = true;
      events.push({ type: 'device.ready', device: 'relay' });
    },
    onLost: (reason) => {
      if (ready || reason === 'not found') events.push({ type: 'device.lost', device: 'relay', reason });
      ready = false;
    },
    log,
  });

  const off = async (): Promise<void> => {
    const t = sup.current;
    if (t?.isOpen) await set(t, false).catch(() => undefined);
  };

  const uninstall =
    deps.exitHook === false || !lcus ? () => undefined : installExitHook(() => path, cfg.channel, off);

  return {
    events,
    off,
    pulse: async (ms) => {
      while (pulsing) await pulsing;
      const t = sup.current;
      if (!t?.isOpen) return false;
      const d = Math.min(Math.max(ms, cfg.minPulseMs), cfg.maxPulseMs);
      pulsing = (async () => {
        try {
          await set(t, true);
          await sleep(d);
          return true;
        } finally {
          await set(t, false).catch((e: unknown) =>
            log?.error({ err: String(e) }, 'relay OFF failed after pulse'),
          );
        }
      })();
      try {
        return await pulsing;
      } catch {
        return false;
      } finally {
        pulsing = undefined;
      }
    },
    close: async () => {
      await off();
      uninstall();
      await sup.stop();
      events.end();
    },
  };
}

/**
 * On process exit, write the LCUS OFF frame synchronously to the device node (the port settings stay as the
 * serial binding left them). On SIGINT/SIGTERM/SIGHUP switch off, then exit with the conventional code.
 * Returns an uninstaller.
 */
export function installExitHook(
  path: () => string | undefined,
  channel: number,
  off: () => Promise<void>,
): () => void {
  const onExit = (): void => {
    const p = path();
    if (p === undefined) return;
    try {
      const fd = openSync(p, 'w');
      writeSync(fd, lcusCommand(channel, false));
      closeSync(fd);
    } catch {
      /* the board is gone: nothing to switch off */
    }
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (sig: NodeJS.Signals): void => {
    void off().finally(() => {
      onExit();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  };
  process.on('exit', onExit);
  // Only take over signals nobody else handles, so the kiosk's own shutdown keeps control.
  const taken = signals.filter((s) => process.listenerCount(s) === 0);
  for (const s of taken) process.on(s, onSignal);
  return () => {
    process.off('exit', onExit);
    for (const s of taken) process.off(s, onSignal);
  };
}
