// Boot on the real adapters: config (+ demo overrides) → buildRealAdapters → compose → router → browser host.
// The same steps as boot.ts, plus: in demo mode the simulator rig, the demo issuer and the demo panel wired to
// the rig (present card, scan identity QR, unplug/replug), so demo mode exercises the real code paths.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { loadConfig } from '../../../config/load.ts';
import type { KioskConfig, KioskConfigInput } from '../../../config/schema.ts';
import type { Host } from '../../host/server.ts';
import { venueAttendantData } from '../attendant-data.ts';
import type { SyncStatus as ConsoleSyncStatus } from '../attendant-data.ts';
import { adapterErrorLogger, demoPinChecker, startKioskHost } from '../boot.ts';
import { compose } from '../compose.ts';
import type { Composition } from '../compose.ts';
import { buildRealAdapters, demoOverrides, prepareDemo } from '../real-adapters.ts';
import type { RealAdapters } from '../real-adapters.ts';
import { createRouter } from '../router.ts';
import type { Router } from '../router.ts';

/** How long stop() waits for the browser host to close before it releases the devices anyway. */
export const HOST_CLOSE_WAIT_MS = 2_000;

export const REPO_DIR = fileURLToPath(new URL('../../../', import.meta.url));

/** Deep merge of plain objects (later wins; arrays replaced), for demo overrides under the caller's own. */
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev)
        ? merge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

export interface BootRealOptions {
  readonly demo: boolean;
  /** Audit store, keys, venue state, replay cache, the demo rig's ptys. */
  readonly dataDir: string;
  readonly repoDir?: string;
  readonly configFile?: string;
  readonly profile?: string;
  /** Applied over the demo overrides. */
  readonly overrides?: KioskConfigInput;
  readonly profilesDir?: string;
  readonly port?: number;
  readonly rendererDir?: string;
  readonly log: Logger;
}

export interface BootedReal {
  readonly config: KioskConfig;
  readonly real: RealAdapters;
  readonly composition: Composition;
  readonly router: Router;
  readonly host: Host;
  stop(): Promise<void>;
}

export async function bootReal(opts: BootRealOptions): Promise<BootedReal> {
  const repoDir = opts.repoDir ?? REPO_DIR;
  mkdirSync(opts.dataDir, { recursive: true });
  const prep = opts.demo ? prepareDemo(opts.dataDir) : undefined;
  const demoLayer = prep
    ? (demoOverrides(prep.rigPaths, { repoDir, issuer: prep.issuer }) as Record<string, unknown>)
    : {};
  const overrides = merge(demoLayer, (opts.overrides ?? {}) as Record<string, unknown>) as KioskConfigInput;
  const config = loadConfig({
    ...(opts.configFile !== undefined ? { file: opts.configFile } : {}),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    overrides,
    ...(opts.profilesDir !== undefined ? { profilesDir: opts.profilesDir } : {}),
  });
  const checkPin = await demoPinChecker(config, opts.demo, opts.log);
  const real = await buildRealAdapters(config, {
    demo: opts.demo,
    dataDir: opts.dataDir,
    repoDir,
    log: opts.log,
    ...(prep ? { demoPrep: prep } : {}),
  });
  let composition: Composition | undefined;
  let router: Router | undefined;
  let attendant: ReturnType<typeof venueAttendantData> | undefined;
  try {
    composition = compose(config, real.adapters, {
      demo: opts.demo,
      ...(checkPin ? { checkPin } : {}),
      onError: adapterErrorLogger(opts.log),
    });
    const demo = opts.demo && real.rig ? real.rig.demoControls(composition.demo) : undefined;
    // The attendant console and consent notice over the real venue and the audit runtime's sync status.
    const syncStatus = (): ConsoleSyncStatus => {
      const s = real.audit.status().sync;
      if (!s) return { lagSeconds: 0, backlog: 0 };
      return {
        lagSeconds: Math.round((s.lagMs ?? 0) / 1000),
        backlog: s.backlog,
        ...(s.lastAck?.at != null ? { lastSyncAt: s.lastAck.at } : {}),
        diskAlarm: s.alarms.some((a) => a.startsWith('disk') || a.startsWith('store')),
      };
    };
    attendant = venueAttendantData({
      venue: real.venue,
      engine: composition.engine,
      ...(real.audit.enrolment() ? { status: syncStatus } : {}),
    });
    router = createRouter({
      engine: composition.engine,
      demo,
      attendant,
      // What the attendant looked at or tested (never the review note, which is free text).
      onAttendantAction: (a) =>
        opts.log.info(
          {
            action: a.type,
            ...(a.type === 'view' ? { section: a.section } : {}),
            ...(a.type === 'test' ? { device: a.device, ok: a.ok } : {}),
            ...(a.type === 'review' ? { outcome: a.outcome } : {}),
          },
          'attendant action',
        ),
      defaultLanguage: config.ui.defaultLanguage,
      previewUrl: '/camera/preview',
      onRefused: (channel, code) => opts.log.warn({ channel, code }, 'ipc call refused'),
    });
    const host = await startKioskHost(router, composition, opts);
    const c = composition;
    const r = router;
    const a = attendant;
    return {
      config,
      real,
      composition: c,
      router: r,
      host,
      async stop() {
        // The host's close waits for a camera-preview connection to be reaped by Node (≈ 60 s after the
        // client went away, see docs/shell.md); the kiosk does not wait that long to release its devices.
        await Promise.race([host.close(), new Promise((r) => setTimeout(r, HOST_CLOSE_WAIT_MS).unref())]);
        r.close();
        a.close();
        c.stop();
        await real.close();
      },
    };
  } catch (e) {
    router?.close();
    attendant?.close();
    composition?.stop();
    await real.close();
    throw e;
  }
}
