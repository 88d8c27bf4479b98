// The device hub kiosk/main uses: starts every enabled device from the `devices` config section and merges
// their events into one typed stream. Card reads become IdentityDocuments (with checks), MRZ messages are
// parsed, scans pass through; unplug/replug arrive as device.lost / device.ready.
import type { Logger } from 'pino';
import type { DevicesConfig } from '../../config/schema/devices.ts';
import type {
  CredentialSource,
  DeviceName,
  IdentityDocument,
  Portrait,
  ReasonCode,
} from '../../kiosk/core/types.ts';
import { KioskError } from '../../kiosk/shared/errors.ts';
import { cardToDocument } from '../../kiosk/credentials/cn-resident-id/document.ts';
import { mrzToDocument, parseMrz } from '../../kiosk/credentials/mrz/parse.ts';
import type { Symbology } from '../protocols/hid-pos.ts';
import type { Transport } from '../transports/types.ts';
import { EventQueue } from './event-queue.ts';
import { createMrzReader } from './mrz-reader.ts';
import { createPhotoDecoder } from './photo-decoder.ts';
import type { PhotoDecoder } from './photo-decoder.ts';
import { createRelay } from './relay.ts';
import type { RelayDevice } from './relay.ts';
import { createSamReader } from './sam-reader.ts';
import type { CardRead } from './sam-reader.ts';
import { createScanner } from './scanner.ts';

/** Codes a rejected document carries (all in kiosk/shared/error-codes/device.ts). */
export type RejectCode =
  | 'E_CARD_REMOVED'
  | 'E_SAM_STATUS'
  | 'E_SAM_TIMEOUT'
  | 'E_CARD_TEXT'
  | 'E_SAM_PAYLOAD'
  | 'E_MRZ_SHAPE'
  | 'E_MRZ_OVERFLOW'
  | 'E_MRZ_BAD_BYTES';

export type HubEvent =
  | { readonly type: 'document.read'; readonly document: IdentityDocument }
  /**
   * A document that could not be read. Shaped like the check-in machine's `document.rejected` (reason is a
   * ReasonCode, source a CredentialSource) so kiosk/main can forward it as is; `detail` is one line of English
   * for the log and the attendant, without personal data.
   */
  | {
      readonly type: 'document.rejected';
      readonly code: RejectCode;
      readonly reason: ReasonCode;
      readonly source: CredentialSource;
      readonly detail: string;
    }
  | { readonly type: 'scanner.code'; readonly text: string; readonly symbology: Symbology }
  | { readonly type: 'device.lost' | 'device.ready'; readonly device: DeviceName };

export interface DeviceHub {
  readonly events: AsyncIterable<HubEvent>;
  /**
   * Present when the relay is enabled. `pulse` resolves after the relay is off again; it rejects with
   * KioskError E_RELAY_UNAVAILABLE when the board is unplugged (the gate did not open).
   */
  readonly relay: { pulse(ms: number): Promise<void> } | undefined;
  close(): Promise<void>;
}

export interface HubOptions {
  readonly log?: Logger;
  /** Overrides the decoder built from `devices.photo`. */
  readonly photoDecoder?: PhotoDecoder;
  /** How to start the WLT child process (Electron: a Node execPath or ELECTRON_RUN_AS_NODE in env). */
  readonly photoChild?: { readonly execPath?: string; readonly env?: NodeJS.ProcessEnv };
  /** The date used for validity checks, YYYY-MM-DD (default: the local date now). */
  readonly today?: () => string;
  /** Tests: open transports another way. */
  readonly open?: Partial<
    Record<'reader' | 'mrz' | 'scanner' | 'relay', () => Promise<Transport | undefined>>
  >;
}

/** Every read failure is 'credential-invalid' for the machine; `code` says which (removed card, bad frame …). */
function rejected(code: RejectCode, detail: string, source: CredentialSource): HubEvent {
  return { type: 'document.rejected', code, reason: 'credential-invalid', source, detail };
}

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function createDeviceHub(cfg: DevicesConfig, opts: HubOptions = {}): DeviceHub {
  const log = opts.log?.child({ area: 'devices' });
  const out = new EventQueue<HubEvent>();
  const today = opts.today ?? localToday;
  const ownDecoder = opts.photoDecoder === undefined;
  const photo = opts.photoDecoder ?? createPhotoDecoder(cfg.photo, { log, ...opts.photoChild });
  const pumps: Promise<void>[] = [];
  const closers: (() => Promise<void>)[] = [];

  const pump = <E>(events: AsyncIterable<E>, handle: (e: E) => Promise<void> | void): void => {
    pumps.push(
      (async () => {
        for await (const e of events) {
          try {
            await handle(e);
          } catch (err) {
            log?.error(
              { err: err instanceof Error ? err.message : String(err) },
              'device event handling failed',
            );
          }
        }
      })(),
    );
  };

  const cardDocument = async (card: CardRead): Promise<IdentityDocument> => {
    let portrait: Portrait | undefined;
    if (photo) {
      const r = await photo.decode(card.photo);
      if (r.ok) portrait = r.portrait;
      else log?.warn({ code: r.code }, r.message);
    }
    return cardToDocument(card.text, { today: today(), ...(portrait !== undefined ? { portrait } : {}) });
  };

  if (cfg.reader.enabled) {
    const reader = createSamReader(cfg.reader, {
      log,
      ...(opts.open?.reader ? { open: opts.open.reader } : {}),
    });
    closers.push(() => reader.close());
    pump(reader.events, async (e) => {
      if (e.type === 'card') out.push({ type: 'document.read', document: await cardDocument(e.card) });
      else if (e.type === 'rejected') out.push(rejected(e.code, e.reason, 'id-card'));
      else out.push({ type: e.type, device: 'reader' });
    });
  }
  if (cfg.mrz.enabled) {
    const mrz = createMrzReader(cfg.mrz, { log, ...(opts.open?.mrz ? { open: opts.open.mrz } : {}) });
    closers.push(() => mrz.close());
    pump(mrz.events, (e) => {
      if (e.type === 'mrz') {
        const r = parseMrz(e.lines);
        if (r.ok) out.push({ type: 'document.read', document: mrzToDocument(r.value, { today: today() }) });
        else out.push(rejected(r.error.code, r.error.message, 'mrz'));
      } else if (e.type === 'error') out.push(rejected(e.code, e.reason, 'mrz'));
      else out.push({ type: e.type, device: 'mrz' });
    });
  }
  if (cfg.scanner.enabled) {
    const sc = createScanner(cfg.scanner, {
      log,
      ...(opts.open?.scanner ? { open: opts.open.scanner } : {}),
    });
    closers.push(() => sc.close());
    pump(sc.events, (e) => {
      if (e.type === 'scanner.code') out.push({ type: 'scanner.code', text: e.text, symbology: e.symbology });
      else if (e.type === 'error') log?.warn({ code: e.code }, e.reason);
      else out.push({ type: e.type, device: 'scanner' });
    });
  }
  let relay: RelayDevice | undefined;
  if (cfg.relay.enabled) {
    const r = createRelay(cfg.relay, { log, ...(opts.open?.relay ? { open: opts.open.relay } : {}) });
    relay = r;
    closers.push(() => r.close());
    pump(r.events, (e) => void out.push({ type: e.type, device: 'relay' }));
  }

  return {
    events: out,
    relay:
      relay === undefined
        ? undefined
        : {
            pulse: async (ms) => {
              const ok = await relay!.pulse(ms);
              if (!ok)
                throw new KioskError('E_RELAY_UNAVAILABLE', 'gate relay not connected; pulse not sent');
            },
          },
    close: async () => {
      await Promise.all(closers.map((c) => c()));
      await Promise.all(pumps);
      if (ownDecoder) await photo?.close();
      out.end();
    },
  };
}

export type ScannerCode = Extract<HubEvent, { type: 'scanner.code' }>;

/**
 * Forward the hub's events: document and device events to `event` (already shaped like the check-in machine's
 * events), scans to `scan` (the identity-QR verifier decides what they are). Events that happened before the
 * call (the first device.ready/lost) are queued and delivered. The hub's stream has one consumer: call this
 * once. Returns a cleanup that stops forwarding (it does not close the hub).
 */
export function subscribeHub(
  hub: DeviceHub,
  handlers: { event(e: Exclude<HubEvent, ScannerCode>): void; scan?(e: ScannerCode): void },
): () => void {
  let stopped = false;
  void (async () => {
    for await (const e of hub.events) {
      if (stopped) break;
      if (e.type === 'scanner.code') handlers.scan?.(e);
      else handlers.event(e);
    }
  })();
  return () => {
    stopped = true;
  };
}
