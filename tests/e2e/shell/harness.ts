// e2e harness: the real kiosk (compose + router + host) in-process on a random loopback port, Debian's
// Chromium headless driven by playwright-core, a second page on /demo as the demo panel.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { KioskConfigInput } from '../../../config/schema.ts';
import { boot } from '../../../kiosk/main/boot.ts';
import type { Booted } from '../../../kiosk/main/boot.ts';
import type { Adapters } from '../../../kiosk/main/adapters.ts';
import { buildRenderer } from '../../../scripts/build-renderer.ts';

let rendererDir: Promise<string> | undefined;
/** Builds the renderer once per test file into a temp folder (never touches dist/). */
export function renderer(): Promise<string> {
  rendererDir ??= buildRenderer({ outdir: mkdtempSync(join(tmpdir(), 'eid-shell-e2e-')) });
  return rendererDir;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Screenshots go to docs/screenshots when SAVE_SCREENSHOTS=1, else to a temp folder (the tree stays clean). */
export const SHOTS =
  process.env['SAVE_SCREENSHOTS'] === '1'
    ? join(process.cwd(), 'docs/screenshots')
    : mkdtempSync(join(tmpdir(), 'eid-shots-'));
mkdirSync(SHOTS, { recursive: true });

export interface Kiosk {
  readonly booted: Booted;
  readonly page: Page;
  readonly panel: Page;
  /** Console errors and page errors seen on either page. */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function startKiosk(
  browser: Browser,
  overrides: KioskConfigInput = {},
  adapters: Partial<Adapters> = {},
  faceStepMs = 250,
): Promise<Kiosk> {
  const booted = await boot({
    demo: true,
    rendererDir: await renderer(),
    overrides: { venueName: 'Demo Internet Café', ...overrides },
    adapters,
    demoOptions: { faceStepMs },
    log: pino({ level: 'silent' }),
  });
  const errors: string[] = [];
  const open = async (path: string) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${path}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    await page.goto(booted.host.url + path);
    return page;
  };
  const page = await open('/');
  const panel = await open('/demo');
  await page.waitForSelector('main[data-screen="welcome"]');
  await panel.waitForSelector('[data-demo="card-zhang"]');
  return {
    booted,
    page,
    panel,
    errors,
    async close() {
      await page.close();
      await panel.close();
      await booted.stop();
    },
  };
}

export async function shot(page: Page, name: string): Promise<string> {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

export const screen = (page: Page, name: string, timeout = 10_000) =>
  page.waitForSelector(`main[data-screen="${name}"]`, { timeout });
