// `npx tsx kiosk/main/start.ts --demo [--config FILE] [--profile NAME] [--port N] [--no-window]`
// Starts the kiosk: Electron when its binary is installed (it runs dist/electron/main.cjs, which boots the
// same composition), else the browser host plus Debian's Chromium in app/kiosk mode.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildElectron, buildRenderer } from '../../scripts/build-renderer.ts';
import { parseArgs } from './args.ts';
import { boot } from './boot.ts';
import { bootReal } from './real/boot-real.ts';

/** The Electron binary's path when electron is installed with its binary, else undefined. */
export function electronBinary(): string | undefined {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** Chromium flags for app/kiosk mode with a throw-away profile and no background traffic. */
export function chromiumArgs(url: string, userDataDir: string): string[] {
  return [
    `--app=${url}`,
    '--kiosk',
    `--user-data-dir=${userDataDir}`,
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-sync',
    '--disable-translate',
    '--disable-features=Translate,MediaRouter',
    '--password-store=basic',
    '--noerrdialogs',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
  ];
}

async function main(argv: readonly string[]): Promise<number> {
  const log = pino({ name: 'kiosk-main' });
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`E_CLI_USAGE: ${args}\n`);
    return 2;
  }
  const root = fileURLToPath(new URL('../../', import.meta.url));
  await buildRenderer();

  const electron = args.window ? electronBinary() : undefined;
  if (electron) {
    const out = await buildElectron();
    log.info({ electron }, 'starting Electron');
    const child = spawn(electron, [join(out, 'main.cjs'), ...argv], { stdio: 'inherit', cwd: root });
    return new Promise((res) => child.on('exit', (code) => res(code ?? 1)));
  }

  // The real adapters (kiosk/main/real): in demo mode the simulator rig over socat ptys, the real face models on
  // the demo video, the venue rules, a real audit store under .var/kiosk. EID_KIOSK_FAKES=1 keeps the in-process
  // demo fakes (no OpenCV or models needed).
  const common = {
    demo: args.demo,
    port: args.port,
    log,
    ...(args.config !== undefined ? { configFile: args.config } : {}),
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
  };
  const booted =
    process.env['EID_KIOSK_FAKES'] === '1'
      ? await boot(common)
      : await bootReal({ ...common, dataDir: join(root, '.var', 'kiosk') });
  log.info({ url: booted.host.url, demo: args.demo }, 'kiosk host listening');
  if (args.demo) log.info({ url: `${booted.host.url}/demo` }, 'demo panel');

  const cleanup: { profileDir?: string } = {};
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await booted.stop();
    if (cleanup.profileDir) rmSync(cleanup.profileDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const hasDisplay = Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
  if (!args.window) return new Promise(() => undefined);
  if (!existsSync(args.browser) || !hasDisplay) {
    log.warn(
      { browser: args.browser, display: hasDisplay },
      `E_SHELL_NO_BROWSER: no Electron binary and ${hasDisplay ? 'no Chromium' : 'no display'}; open ${booted.host.url} yourself`,
    );
    return new Promise(() => undefined);
  }
  const profileDir = mkdtempSync(join(tmpdir(), 'eid-kiosk-chromium-'));
  cleanup.profileDir = profileDir;
  const child = spawn(args.browser, chromiumArgs(booted.host.url, profileDir), { stdio: 'ignore' });
  log.info({ pid: child.pid }, 'Chromium started in kiosk mode');
  child.on('exit', (code) => {
    log.info({ code }, 'Chromium exited; stopping');
    void stop(0);
  });
  return new Promise(() => undefined);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(
        `${e instanceof Error ? `${(e as { code?: string }).code ?? 'E_SHELL_INTERNAL'}: ${e.message}` : String(e)}\n`,
      );
      process.exit(1);
    },
  );
}
