// Electron's main process (bundled to dist/electron/main.cjs by scripts/build-renderer.ts --electron and run
// by start.ts when the Electron binary is installed). It boots the same composition as the browser host,
// shows the screens in one locked-down full-screen window and answers IPC through the shared router.
// Not exercised by the tests on this machine (no Electron binary on Node 20); kept in step by the type checker
// and by tests of electron-policy.ts and of the bundle build.
import { app, BrowserWindow, ipcMain, session } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { INVOKE_CHANNELS, fail } from '../shared/contract.ts';
import { boot } from './boot.ts';
import { isOurSender, kioskWebPreferences, rendererUrl } from './electron-policy.ts';
import { parseArgs } from './args.ts';

const log = pino({ name: 'kiosk-electron' });
const here = fileURLToPath(new URL('.', import.meta.url)); // dist/electron/
const rendererDir = join(here, '../renderer');
const production = app.isPackaged || process.env['NODE_ENV'] === 'production';

async function run(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // argv: [electron, main.cjs, ...flags]
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') throw new Error(args);
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev) => ev.preventDefault());
    contents.on('will-redirect', (ev) => ev.preventDefault());
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  await app.whenReady();
  const booted = await boot({
    demo: args.demo,
    port: args.port,
    rendererDir,
    // config/load.ts finds profiles beside itself; in the bundle that is not where they are.
    profilesDir: join(here, '../../config/profiles'),
    log,
    ...(args.config !== undefined ? { configFile: args.config } : {}),
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
  });
  // The preview image is served by the loopback host; the page itself is a file.
  const { router } = booted;
  const page = rendererUrl(rendererDir);
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));

  const win = new BrowserWindow({
    fullscreen: true,
    kiosk: true,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    show: false,
    webPreferences: kioskWebPreferences(join(here, 'preload.cjs'), production),
  });
  const ours = { webContentsId: win.webContents.id, url: page };
  const allowed = (e: IpcMainInvokeEvent) =>
    isOurSender(
      {
        webContentsId: e.sender.id,
        frameUrl: e.senderFrame?.url,
        isMainFrame: e.senderFrame === e.sender.mainFrame,
      },
      ours,
    );
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (e, payload: unknown) => {
      if (!allowed(e)) {
        log.warn({ channel }, 'ipc from a foreign frame refused');
        return fail('E_IPC_FORBIDDEN', 'not our window');
      }
      const r = await router.invoke(channel, payload);
      // The browser host's hello says '/camera/preview'; a file:// page needs the host's absolute URL.
      if (channel === 'kiosk.hello' && r.ok)
        return { ...r, value: { ...(r.value as object), previewUrl: `${booted.host.url}/camera/preview` } };
      return r;
    });
  }
  router.onPush((channel, payload) => {
    if (!win.isDestroyed()) win.webContents.send(channel, payload);
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(page);
  app.on('second-instance', () => win.focus());
  app.on('window-all-closed', () => {
    void booted.stop().then(() => app.quit());
  });
}

run().catch((e: unknown) => {
  log.error({ err: e instanceof Error ? e.message : String(e) }, 'electron start failed');
  app.exit(1);
});
