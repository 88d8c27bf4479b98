// Hot-plug supervision: keep trying to open a device; when it is open, run the session; when it goes away,
// report it and try again every `intervalMs`. `device.ready` / `device.lost` are reported only on changes.
import type { Logger } from 'pino';
import type { Transport } from '../transports/types.ts';
import { sleep } from './event-queue.ts';

export interface SuperviseOptions<T extends Transport> {
  readonly name: string;
  readonly intervalMs: number;
  /** Open the device; throw (or return undefined) when it is not there. */
  readonly open: () => Promise<T | undefined>;
  /** Run while open: resolve when the session ends by itself (it should not; the transport closing ends it). */
  readonly session: (t: T, signal: AbortSignal) => Promise<void>;
  readonly onReady?: (t: T) => void;
  readonly onLost?: (reason: string) => void;
  readonly log?: Logger | undefined;
}

export interface Supervisor {
  stop(): Promise<void>;
  readonly current: Transport | undefined;
}

export function supervise<T extends Transport>(o: SuperviseOptions<T>): Supervisor {
  const stop = new AbortController();
  let current: T | undefined;
  let everReady = false;
  let lostReported = false;
  let lastOpenError = '';
  const loop = (async () => {
    while (!stop.signal.aborted) {
      let t: T | undefined;
      try {
        t = await o.open();
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        if (msg !== lastOpenError) o.log?.debug({ device: o.name, err: msg }, 'open failed');
        lastOpenError = msg;
      }
      if (t === undefined) {
        if (!everReady && !lostReported) {
          // Never seen: report it missing once so the UI can say so.
          lostReported = true;
          o.onLost?.('not found');
        }
        await sleep(o.intervalMs, stop.signal);
        continue;
      }
      if (stop.signal.aborted) {
        await t.close();
        break;
      }
      lastOpenError = '';
      current = t;
      const sessionAbort = new AbortController();
      const closed = new Promise<string>((resolve) =>
        t.onClose((i) => resolve(i.disconnected ? (i.error?.message ?? 'disconnected') : 'closed')),
      );
      const onStop = (): void => sessionAbort.abort();
      stop.signal.addEventListener('abort', onStop, { once: true });
      everReady = true;
      lostReported = false;
      o.log?.info({ device: o.name, where: t.where }, 'device open');
      const session = o.session(t, sessionAbort.signal).catch((e: unknown) => {
        o.log?.warn(
          { device: o.name, err: e instanceof Error ? e.message : String(e) },
          'device session failed',
        );
      });
      o.onReady?.(t);
      const reason = await Promise.race([closed, session.then(() => 'session ended')]);
      sessionAbort.abort();
      stop.signal.removeEventListener('abort', onStop);
      await session;
      if (t.isOpen) await t.close();
      current = undefined;
      if (stop.signal.aborted) break;
      o.log?.warn({ device: o.name, reason }, 'device lost');
      lostReported = true;
      o.onLost?.(reason);
      await sleep(Math.min(o.intervalMs, 200), stop.signal);
    }
  })();
  return {
    get current() {
      return current;
    },
    stop: async () => {
      stop.abort();
      await loop;
    },
  };
}
