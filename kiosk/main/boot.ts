// Boot: config → composition → router → browser host. Shared by start.ts (Chromium) and electron.ts.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { loadConfig } from '../../config/load.ts';
import type { KioskConfig, KioskConfigInput } from '../../config/schema.ts';
import { makePinHash, pinChecker } from '../core/pin.ts';
import { startHost } from '../host/server.ts';
import type { Host } from '../host/server.ts';
import type { Adapters } from './adapters.ts';
import { compose, nodeScrypt } from './compose.ts';
import type { Composition } from './compose.ts';
import { createRouter } from './router.ts';
import type { Router } from './router.ts';

/** The attendant PIN of demo mode when the config sets none (printed at start, written in docs/shell.md). */
export const DEMO_PIN = '2580';

export interface BootOptions {
  readonly demo: boolean;
  readonly configFile?: string;
  readonly profile?: string;
  readonly overrides?: KioskConfigInput;
  /** Where venue profiles live; default config/profiles/ (the Electron bundle passes its own). */
  readonly profilesDir?: string;
  /** 0: a free port. */
  readonly port?: number;
  /** dist/renderer; default <repo>/dist/renderer. */
  readonly rendererDir?: string;
  readonly adapters?: Partial<Adapters>;
  readonly demoOptions?: { faceStepMs?: number; walletRotateMs?: number };
  readonly log: Logger;
}

export interface Booted {
  readonly config: KioskConfig;
  readonly composition: Composition;
  readonly router: Router;
  readonly host: Host;
  stop(): Promise<void>;
}

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

/** Demo mode without a configured PIN hash: a checker for DEMO_PIN (logged at start); else undefined. */
export async function demoPinChecker(
  config: KioskConfig,
  demo: boolean,
  log: Logger,
): Promise<((pin: string) => Promise<boolean>) | undefined> {
  if (!demo || config.attendant.pinHash !== null) return undefined;
  const hash = await makePinHash(DEMO_PIN, nodeScrypt, (n) => new Uint8Array(randomBytes(n)));
  log.info({ pin: DEMO_PIN }, 'demo mode: attendant PIN (no pinHash configured)');
  return pinChecker(hash, nodeScrypt);
}

/** compose()'s onError: unexpected adapter errors, logged with the message only (never personal data). */
export function adapterErrorLogger(log: Logger): (where: string, e: unknown) => void {
  return (where, e) => log.error({ where, err: e instanceof Error ? e.message : String(e) }, 'adapter error');
}

/** The loopback browser host for a composition: the renderer bundle, the router, the camera preview. */
export function startKioskHost(
  router: Router,
  composition: Composition,
  opts: { demo: boolean; rendererDir?: string; port?: number; log: Logger },
): Promise<Host> {
  const preview = composition.adapters.face.preview;
  return startHost({
    router,
    demo: opts.demo,
    rendererDir: opts.rendererDir ?? DEFAULT_RENDERER_DIR,
    port: opts.port ?? 0,
    ...(preview ? { preview } : {}),
    onRefused: (what, detail) => opts.log.warn({ what, detail }, 'host request refused'),
  });
}

export async function boot(opts: BootOptions): Promise<Booted> {
  const config = loadConfig({
    ...(opts.configFile !== undefined ? { file: opts.configFile } : {}),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    ...(opts.overrides !== undefined ? { overrides: opts.overrides } : {}),
    ...(opts.profilesDir !== undefined ? { profilesDir: opts.profilesDir } : {}),
  });
  const checkPin = await demoPinChecker(config, opts.demo, opts.log);
  const given = opts.adapters ?? {};
  const missing = (['devices', 'face', 'audit', 'wallet', 'venue'] as const).filter(
    (k) => given[k] === undefined,
  );
  if (!opts.demo && missing.length > 0)
    opts.log.warn(
      { missing },
      'not in demo mode, but these adapters are not wired: their demo fakes stand in',
    );
  const composition = compose(config, given, {
    demo: opts.demo,
    ...(opts.demoOptions ? { demoOptions: opts.demoOptions } : {}),
    ...(checkPin ? { checkPin } : {}),
    onError: adapterErrorLogger(opts.log),
  });
  const router = createRouter({
    engine: composition.engine,
    demo: composition.demo,
    defaultLanguage: config.ui.defaultLanguage,
    previewUrl: '/camera/preview',
    onRefused: (channel, code) => opts.log.warn({ channel, code }, 'ipc call refused'),
  });
  const host = await startKioskHost(router, composition, opts);
  return {
    config,
    composition,
    router,
    host,
    async stop() {
      await host.close();
      router.close();
      composition.stop();
    },
  };
}
