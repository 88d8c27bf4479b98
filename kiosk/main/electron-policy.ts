// The Electron window's security settings and checks, kept free of the electron import so they can be
// unit-tested on Node without the Electron binary.
import { pathToFileURL } from 'node:url';

/** webPreferences of the kiosk window: isolated, sandboxed, no Node, no devtools in production. */
export function kioskWebPreferences(preloadPath: string, production: boolean) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: !production,
  } as const;
}

/** The one page the window may show: dist/renderer/index.html as a file URL. */
export function rendererUrl(rendererDir: string): string {
  return pathToFileURL(`${rendererDir.replace(/\/$/, '')}/index.html`).href;
}

/**
 * IPC is accepted only from our window's main frame showing our page: same webContents id, the frame is the
 * top frame, and its URL is exactly the renderer's index.html.
 */
export function isOurSender(
  sender: { webContentsId: number; frameUrl: string | undefined; isMainFrame: boolean },
  ours: { webContentsId: number; url: string },
): boolean {
  if (sender.webContentsId !== ours.webContentsId || !sender.isMainFrame || sender.frameUrl === undefined)
    return false;
  try {
    const a = new URL(sender.frameUrl);
    const b = new URL(ours.url);
    return a.protocol === 'file:' && a.protocol === b.protocol && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
