// The audit area put together for kiosk/main: store + terminal identity + venue secret + enrolment + syncer
// + kiosk channel, from the `audit` config section. Dashboard review decisions arriving over the channel are
// recorded in the kiosk's own chain (`review.resolved`) before they are handed on.
import { isAbsolute, join } from 'node:path';
import type { Logger } from 'pino';
import type { KioskConfig } from '../../config/schema.ts';
import { KioskError } from '../shared/errors.ts';
import { loadOrCreateTerminalIdentity, loadOrCreateVenueSecret } from '../audit/identity.ts';
import type { TerminalIdentity } from '../audit/identity.ts';
import { openAuditStore } from '../audit/store.ts';
import type { AuditStore } from '../audit/store.ts';
import type { AuditStoreInput, SealableField, StoredEvent } from '../audit/event.ts';
import { connectKioskChannel } from './channel.ts';
import type { ChannelState } from './channel.ts';
import { enrolTerminal, loadEnrolment } from './enrol.ts';
import type { Enrolment } from './enrol.ts';
import { createSyncer } from './syncer.ts';
import type { Syncer, SyncStatus } from './syncer.ts';

export interface ReviewDecisionMessage {
  readonly type: 'review.decision';
  readonly reviewId: string;
  readonly checkInId: string;
  readonly approved: boolean;
  readonly reason: string;
  readonly by: string;
}

export interface AuditRuntimeOptions {
  readonly config: KioskConfig['audit'];
  /** Relative paths of the config are under this directory. */
  readonly dataDir: string;
  readonly version?: string;
  /** A dashboard decision on a check-in in review (already recorded as `review.resolved`). */
  readonly onReviewDecision?: (d: ReviewDecisionMessage) => void;
  /** Any other channel message (e.g. a verified wallet result). */
  readonly onChannelMessage?: (body: unknown) => void;
  readonly onAlarm?: (alarms: readonly string[]) => void;
  readonly onChannelState?: (s: ChannelState) => void;
  readonly now?: () => number;
  readonly log?: Logger;
}

export interface AuditRuntime {
  readonly identity: TerminalIdentity;
  /** The current store (replaced once by enrol(), which learns the sealing key). */
  store(): AuditStore;
  append(input: AuditStoreInput): StoredEvent;
  enrolment(): Enrolment | null;
  /** Enrol with the attendant's one-time code, then start syncing. */
  enrol(code: string): Promise<Enrolment>;
  status(): { enrolled: boolean; sync: SyncStatus | null; channel: ChannelState | null };
  close(): Promise<void>;
}

const DAY = 86_400_000;

function isReviewDecision(m: unknown): m is ReviewDecisionMessage {
  const r = m as Partial<ReviewDecisionMessage> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.type === 'review.decision' &&
    typeof r.checkInId === 'string' &&
    typeof r.approved === 'boolean' &&
    typeof r.reason === 'string'
  );
}

export function startAuditRuntime(o: AuditRuntimeOptions): AuditRuntime {
  const c = o.config;
  const at = (p: string) => (isAbsolute(p) ? p : join(o.dataDir, p));
  const keyDir = at(c.keyDir);
  const identity = loadOrCreateTerminalIdentity(keyDir);
  const venueSecret = loadOrCreateVenueSecret(
    c.venueSecretFile ? at(c.venueSecretFile) : join(keyDir, 'venue-secret'),
  );
  let enrolment = loadEnrolment(keyDir);
  let syncer: Syncer | null = null;
  let channel: ReturnType<typeof connectKioskChannel> | null = null;
  let channelState: ChannelState | null = null;

  const open = (): AuditStore => {
    const key = c.backendPublicKey || enrolment?.sealPublicKey;
    return openAuditStore({
      path: at(c.storePath),
      keyDir,
      identity,
      venueSecret,
      keepMs: c.keepDays * DAY,
      sealFields: c.sealFields as readonly SealableField[],
      ...(key ? { backendPublicKey: key } : {}),
      ...(o.now ? { now: o.now } : {}),
    });
  };
  let store = open();
  store.append({ type: 'system.started', ...(o.version ? { version: o.version } : {}) });

  function startSync(): void {
    const url = c.backendUrl || enrolment?.backendUrl;
    if (!url || !enrolment) return;
    syncer = createSyncer({
      store,
      backendUrl: url,
      batchMaxEvents: c.sync.batchMaxEvents,
      batchMaxAgeMs: c.sync.batchMaxAgeMs,
      retryBaseMs: c.sync.retryBaseMs,
      retryMaxMs: c.sync.retryMaxMs,
      requestTimeoutMs: c.sync.requestTimeoutMs,
      housekeepingMs: c.sync.housekeepingMs,
      diskPath: at(c.storePath).replace(/[^/]*$/, '') || '.',
      diskThresholds: {
        warnFreeBytes: c.disk.warnFreeMiB * 1024 * 1024,
        warnFreeRatio: c.disk.warnFreePercent / 100,
        criticalFreeBytes: c.disk.criticalFreeMiB * 1024 * 1024,
        criticalFreeRatio: c.disk.criticalFreePercent / 100,
      },
      ...(o.onAlarm ? { onAlarm: o.onAlarm } : {}),
      ...(o.now ? { now: o.now } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
    syncer.start();
    if (c.channel) {
      channel = connectKioskChannel({
        url,
        identity,
        pingMs: 30_000,
        onState: (s) => {
          channelState = s;
          o.onChannelState?.(s);
        },
        onMessage: (body) => {
          if (isReviewDecision(body)) {
            store.append({
              type: 'review.resolved',
              checkInId: body.checkInId,
              approved: body.approved,
              reason: body.reason,
              by: 'backend',
              reviewId: body.reviewId,
            });
            o.onReviewDecision?.(body);
          } else {
            o.onChannelMessage?.(body);
          }
        },
      });
    }
  }
  startSync();

  return {
    identity,
    store: () => store,
    append: (input) => store.append(input),
    enrolment: () => enrolment,
    async enrol(code) {
      const url = c.backendUrl || enrolment?.backendUrl;
      if (!url)
        throw new KioskError('E_SYNC_NOT_ENROLLED', 'audit.backendUrl is not configured: nowhere to enrol');
      const e = await enrolTerminal({ backendUrl: url, identity, code, keyDir });
      enrolment = e;
      await syncer?.stop();
      channel?.close();
      store.close();
      store = open();
      startSync();
      return e;
    },
    status: () => ({ enrolled: enrolment !== null, sync: syncer?.status() ?? null, channel: channelState }),
    async close() {
      try {
        store.append({ type: 'system.stopped', ...(o.version ? { version: o.version } : {}) });
      } catch {
        // a full disk must not prevent shutting down
      }
      await syncer?.flush().catch(() => undefined);
      await syncer?.stop();
      channel?.close();
      store.close();
    },
  };
}
