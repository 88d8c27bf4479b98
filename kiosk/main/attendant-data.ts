// What the attendant console and the consent notice read: one provider interface the router receives
// (RouterOptions.attendant), with two implementations: one over the real venue (kiosk/venues) and the audit
// runtime's status, and one for demo mode built from the config and the machine's views. Everything that
// leaves here is masked; the router parses every answer with the contract before it reaches a screen.
import type { VenueConfig } from '../../config/schema/venue.ts';
import type {
  ConsentNoticeView,
  DecisionRowView,
  DeviceHealthView,
  DeviceTestResult,
  Language,
  ProfileSummary,
  TestableDevice,
} from '../shared/contract.ts';
import type { KioskView } from '../shared/view.ts';
import { consentNotice } from '../venues/consent.ts';
import type { Venue } from '../venues/types.ts';
import type { KioskEngine } from './engine.ts';

type MaybePromise<T> = T | Promise<T>;

/** Health beyond the view's device states (which the router adds itself). */
export type HealthExtras = Omit<DeviceHealthView, 'devices'>;

export interface AttendantDataSource {
  /** Today's decisions, masked, newest first. */
  todaysDecisions(): MaybePromise<readonly DecisionRowView[]>;
  /** The backend's review queue, if the audit runtime exposes one (not shown yet; see docs/shell.md). */
  reviewQueue?(): MaybePromise<readonly DecisionRowView[]>;
  /** Audit sync lag/backlog, disk alarm, throughput. */
  deviceHealth(): MaybePromise<HealthExtras>;
  /** Exercise one device; expected failures are results (ok: false), not exceptions. */
  testDevice(name: TestableDevice): MaybePromise<DeviceTestResult>;
  profileSummary(): MaybePromise<ProfileSummary>;
  consent(lang: Language): MaybePromise<ConsentNoticeView>;
}

/** What an attendant did, for the audit log (the composition root maps it onto AuditInput `attendant.*`). */
export type AttendantAction =
  | { readonly type: 'view'; readonly section: 'decisions' | 'health' | 'profile' }
  | {
      readonly type: 'test';
      readonly device: TestableDevice;
      readonly ok: boolean;
      readonly detail?: string;
    }
  | { readonly type: 'review'; readonly outcome: 'pass' | 'deny'; readonly note: string };

/** The audit runtime's status(), as far as the console needs it. */
export interface SyncStatus {
  readonly lagSeconds: number;
  readonly backlog: number;
  readonly lastSyncAt?: number;
  readonly diskAlarm?: boolean;
}

function retention(rules: VenueConfig['retention']): ConsentNoticeView['retention'] {
  return rules.slice(0, 20).map((r) => ({ record: r.record.slice(0, 60), where: r.where, days: r.days }));
}

function settings(s: Readonly<Record<string, string | number | boolean>>): ProfileSummary['settings'] {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(s)) out[k.slice(0, 60)] = typeof v === 'string' ? v.slice(0, 200) : v;
  return out;
}

/** Last masked read seen in the machine's views (result or review), for the reader/scanner test. */
function lastReadTracker(engine: KioskEngine) {
  let last: { maskedName?: string; maskedNumber?: string; source?: string } | undefined;
  let source: string | undefined;
  const seen = (v: KioskView) => {
    if (v.reading) source = v.reading.source;
    const r = v.result ?? v.review;
    if (r && (r.maskedName !== undefined || r.maskedNumber !== undefined))
      last = {
        ...(r.maskedName !== undefined ? { maskedName: r.maskedName } : {}),
        ...(r.maskedNumber !== undefined ? { maskedNumber: r.maskedNumber } : {}),
        ...(source !== undefined ? { source } : {}),
      };
  };
  seen(engine.view());
  const off = engine.subscribe(seen);
  return { last: () => last, off };
}

const NEEDS: Record<TestableDevice, readonly string[]> = {
  relay: [],
  reader: ['id-card'],
  mrz: ['mrz'],
  scanner: ['identity-qr'],
  camera: [],
  backend: [],
};

function presenceTest(
  engine: KioskEngine,
  device: TestableDevice,
  last: ReturnType<typeof lastReadTracker>['last'],
): DeviceTestResult {
  const t0 = performance.now();
  const status = engine.view().devices[device] ?? 'absent';
  const read = last();
  const showRead = read && read.source !== undefined && NEEDS[device].includes(read.source);
  return {
    device,
    ok: status === 'ready',
    ms: Math.round(performance.now() - t0),
    detail: status,
    ...(showRead && read.maskedNumber !== undefined ? { maskedNumber: read.maskedNumber } : {}),
    ...(showRead && read.maskedName !== undefined ? { maskedName: read.maskedName } : {}),
  };
}

export interface VenueAttendantOptions {
  readonly venue: Pick<Venue, 'attendant' | 'consent'>;
  readonly engine: KioskEngine;
  /** The audit runtime's status() (sync lag, backlog, disk alarm); absent → not shown. */
  readonly status?: () => MaybePromise<SyncStatus>;
}

/** Over the real venue (kiosk/venues createVenue()) and the audit runtime. Call close() on shutdown. */
export function venueAttendantData(opts: VenueAttendantOptions): AttendantDataSource & { close(): void } {
  const tracker = lastReadTracker(opts.engine);
  return {
    todaysDecisions: () =>
      opts.venue.attendant.todaysDecisions().map((r) => ({
        at: r.at,
        outcome: r.outcome,
        reason: r.reason,
        maskedName: r.maskedName,
        maskedNumber: r.maskedNumber,
        documentType: r.documentType.slice(0, 40),
        ...(r.action ? { actionOk: r.action.ok } : {}),
        ...(r.action?.displayCode !== undefined ? { displayCode: r.action.displayCode } : {}),
      })),
    async deviceHealth() {
      const s = opts.status ? await opts.status() : undefined;
      const rate = opts.venue.attendant.queueThroughput(15).rate;
      return {
        ...(s
          ? {
              sync: {
                lagSeconds: Math.max(0, s.lagSeconds),
                backlog: Math.max(0, Math.floor(s.backlog)),
                ...(s.lastSyncAt !== undefined ? { lastSyncAt: s.lastSyncAt } : {}),
              },
              ...(s.diskAlarm !== undefined ? { diskAlarm: s.diskAlarm } : {}),
            }
          : {}),
        throughputPerMinute: Math.max(0, rate),
      };
    },
    async testDevice(device) {
      if (device !== 'relay') return presenceTest(opts.engine, device, tracker.last);
      const r = await opts.venue.attendant.testRelay();
      return {
        device,
        ok: r.ok,
        ms: Math.max(0, r.ms),
        ...(r.detail !== undefined ? { detail: r.detail.slice(0, 200) } : {}),
      };
    },
    profileSummary() {
      const s = opts.venue.attendant.summary();
      return {
        profile: s.profile,
        name: s.name,
        timeZone: s.timeZone,
        retention: retention(s.retention),
        settings: settings(s.settings),
      };
    },
    consent(lang) {
      return {
        ...opts.venue.consent.notice(lang),
        retention: retention(opts.venue.attendant.summary().retention),
      };
    },
    close: tracker.off,
  };
}

export interface DemoAttendantOptions {
  /** config.venue */
  readonly venue: VenueConfig;
  readonly engine: KioskEngine;
  /** Pulses the demo relay; answers false when it is unplugged. */
  readonly pulseRelay?: () => boolean;
  readonly clock?: () => number;
}

/**
 * Demo mode: decisions are collected from the machine's result views (masked already), the consent notice
 * is the venue's (config text or the built-in one from the retention list), the relay test pulses the demo
 * relay. Works without the real venue adapter.
 */
export function demoAttendantData(opts: DemoAttendantOptions): AttendantDataSource & { close(): void } {
  const clock = opts.clock ?? Date.now;
  const rows: DecisionRowView[] = [];
  let lastKey = '';
  const tracker = lastReadTracker(opts.engine);
  const off = opts.engine.subscribe((v) => {
    const r = v.result;
    if (v.screen !== 'result' || !r) {
      if (v.screen !== 'attendant') lastKey = '';
      return;
    }
    const key = JSON.stringify(r);
    if (key === lastKey) return;
    lastKey = key;
    rows.unshift({
      at: clock(),
      outcome: r.outcome,
      reason: r.reason,
      maskedName: r.maskedName ?? '*',
      maskedNumber: r.maskedNumber ?? '*',
      documentType: v.reading?.source ?? 'unknown',
      ...(r.displayCode !== undefined ? { displayCode: r.displayCode } : {}),
    });
    if (rows.length > 2000) rows.pop();
  });
  return {
    todaysDecisions: () => {
      const start = new Date(clock()).setHours(0, 0, 0, 0);
      return rows.filter((r) => r.at >= start);
    },
    deviceHealth: () => ({ sync: { lagSeconds: 0, backlog: 0 }, diskAlarm: false }),
    testDevice(device) {
      if (device !== 'relay') return presenceTest(opts.engine, device, tracker.last);
      const t0 = performance.now();
      const sent = opts.pulseRelay ? opts.pulseRelay() : false;
      return {
        device,
        ok: sent,
        ms: Math.round(performance.now() - t0),
        detail: sent ? `pulse ${opts.venue.stadiumGate.relayPulseMs} ms sent` : 'relay not connected',
      };
    },
    profileSummary: () => ({
      profile: opts.venue.profile,
      name: opts.venue.venueId,
      timeZone: opts.venue.timeZone,
      retention: retention(opts.venue.retention),
      settings: { venueId: opts.venue.venueId, demo: true },
    }),
    consent: (lang) => ({ ...consentNotice(opts.venue, lang), retention: retention(opts.venue.retention) }),
    close() {
      off();
      tracker.off();
    },
  };
}
