// kiosk/main pieces that need no window: flags, Chromium flags, Electron detection and policy, the bundles,
// the demo people.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../kiosk/main/args.ts';
import { isOurSender, kioskWebPreferences, rendererUrl } from '../../../kiosk/main/electron-policy.ts';
import { DEMO_PEOPLE, cnIdCheckChar } from '../../../kiosk/main/demo/people.ts';
import { chromiumArgs, electronBinary } from '../../../kiosk/main/start.ts';
import { buildElectron } from '../../../scripts/build-renderer.ts';

describe('start flags', () => {
  it('parses the documented flags', () => {
    expect(parseArgs(['--demo', '--profile', 'internet-cafe', '--port', '8080', '--no-window'])).toEqual({
      demo: true,
      window: false,
      port: 8080,
      browser: '/usr/bin/chromium',
      profile: 'internet-cafe',
    });
    const withConfig = parseArgs(['--config', 'x.json']);
    expect(typeof withConfig === 'object' && withConfig.config?.endsWith('/x.json')).toBe(true);
  });
  it('refuses unknown flags, bad ports and missing values', () => {
    expect(parseArgs(['--evil'])).toMatch(/unknown argument/);
    expect(parseArgs(['--port', '70000'])).toMatch(/port/);
    expect(parseArgs(['--profile'])).toMatch(/missing/);
  });
  it('gives Chromium app + kiosk mode, a fresh profile and no background traffic', () => {
    const a = chromiumArgs('http://127.0.0.1:1234', '/tmp/p');
    expect(a).toEqual(
      expect.arrayContaining([
        '--app=http://127.0.0.1:1234',
        '--kiosk',
        '--user-data-dir=/tmp/p',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ]),
    );
    expect(a.some((x) => x.includes('no-sandbox'))).toBe(false);
  });
  it('detects that no Electron binary is installed here (so start falls back to Chromium)', () => {
    // electron is an optionalDependency whose binary is not downloaded on this machine.
    expect(electronBinary()).toBeUndefined();
  });
});

describe('Electron policy', () => {
  it('locks the window down', () => {
    const p = kioskWebPreferences('/x/preload.cjs', true);
    expect(p).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      devTools: false,
    });
    expect(kioskWebPreferences('/x/preload.cjs', false).devTools).toBe(true);
  });
  it('accepts IPC only from our main frame showing our page', () => {
    const url = rendererUrl('/opt/kiosk/dist/renderer/');
    expect(url).toBe('file:///opt/kiosk/dist/renderer/index.html');
    const ours = { webContentsId: 3, url };
    expect(isOurSender({ webContentsId: 3, frameUrl: url, isMainFrame: true }, ours)).toBe(true);
    expect(isOurSender({ webContentsId: 4, frameUrl: url, isMainFrame: true }, ours)).toBe(false);
    expect(isOurSender({ webContentsId: 3, frameUrl: url, isMainFrame: false }, ours)).toBe(false);
    expect(
      isOurSender({ webContentsId: 3, frameUrl: 'https://evil.example/index.html', isMainFrame: true }, ours),
    ).toBe(false);
    expect(
      isOurSender({ webContentsId: 3, frameUrl: 'file:///tmp/index.html', isMainFrame: true }, ours),
    ).toBe(false);
    expect(isOurSender({ webContentsId: 3, frameUrl: undefined, isMainFrame: true }, ours)).toBe(false);
  });
  it('bundles the Electron main process and preload with esbuild', async () => {
    const out = await buildElectron({ outdir: mkdtempSync(join(tmpdir(), 'eid-electron-')) });
    const preload = readFileSync(join(out, 'preload.cjs'), 'utf8');
    expect(preload).toContain('exposeInMainWorld');
    expect(preload).toContain('require("electron")');
    const main = readFileSync(join(out, 'main.cjs'), 'utf8');
    expect(main).toContain('requestSingleInstanceLock');
    expect(main).toContain('setWindowOpenHandler');
    // Native modules stay outside the bundle.
    expect(main).not.toMatch(/node_modules\/better-sqlite3\/lib/);
  });
});

describe('demo people', () => {
  it('carry valid ID-number check characters and are made up', () => {
    expect(cnIdCheckChar('11010519491231002')).toBe('X'); // the standard's worked example
    for (const { document } of DEMO_PEOPLE) {
      if (document.documentType !== 'cn-resident-id') continue;
      expect(document.documentNumber.slice(-1)).toBe(cnIdCheckChar(document.documentNumber.slice(0, 17)));
    }
    expect(new Set(DEMO_PEOPLE.map((p) => p.person.id)).size).toBe(DEMO_PEOPLE.length);
  });
});
