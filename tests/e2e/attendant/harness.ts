// e2e harness for the attendant console: the real boot() (config, composition), plus a router that carries
// the demo attendant data source and an audit hook, served by its own kiosk/host on a free loopback port —
// the composition root will pass the same two options to createRouter. Reuses the shell harness' Chromium,
// renderer build and screenshot helpers.
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import type { KioskConfigInput } from '../../../config/schema.ts';
import { startHost } from '../../../kiosk/host/server.ts';
import type { Host } from '../../../kiosk/host/server.ts';
import { demoAttendantData } from '../../../kiosk/main/attendant-data.ts';
import type { AttendantAction } from '../../../kiosk/main/attendant-data.ts';
import { boot } from '../../../kiosk/main/boot.ts';
import type { Booted } from '../../../kiosk/main/boot.ts';
import { createRouter } from '../../../kiosk/main/router.ts';
import { renderer } from '../shell/harness.ts';

export interface ConsoleKiosk {
  readonly booted: Booted;
  readonly host: Host;
  readonly page: Page;
  readonly panel: Page;
  readonly errors: string[];
  readonly actions: AttendantAction[];
  relayPulses(): number;
  close(): Promise<void>;
}

export async function startConsoleKiosk(
  browser: Browser,
  opts: { profile?: string; overrides?: KioskConfigInput; initScript?: () => void } = {},
): Promise<ConsoleKiosk> {
  const rendererDir = await renderer();
  const booted = await boot({
    demo: true,
    rendererDir,
    ...(opts.profile ? { profile: opts.profile } : {}),
    overrides: { venueName: 'Demo Internet Café', ...opts.overrides },
    demoOptions: { faceStepMs: 150 },
    log: pino({ level: 'silent' }),
  });
  const { composition, config } = booted;
  let pulses = 0;
  const source = demoAttendantData({
    venue: config.venue,
    engine: composition.engine,
    pulseRelay: () => {
      pulses++;
      return composition.fakes?.devices.isPresent('relay') ?? false;
    },
  });
  const actions: AttendantAction[] = [];
  const router = createRouter({
    engine: composition.engine,
    demo: composition.demo,
    defaultLanguage: config.ui.defaultLanguage,
    previewUrl: '/camera/preview',
    attendant: source,
    onAttendantAction: (a) => actions.push(a),
  });
  const host = await startHost({ router, demo: true, rendererDir, port: 0 });
  const errors: string[] = [];
  const open = async (path: string) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    if (opts.initScript) await page.addInitScript(opts.initScript);
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${path}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    await page.goto(host.url + path);
    return page;
  };
  const page = await open('/');
  const panel = await open('/demo');
  await page.waitForSelector('main[data-screen="welcome"]');
  await panel.waitForSelector('[data-demo="card-zhang"]');
  return {
    booted,
    host,
    page,
    panel,
    errors,
    actions,
    relayPulses: () => pulses,
    async close() {
      await page.close();
      await panel.close();
      await host.close();
      router.close();
      source.close();
      await booted.stop();
    },
  };
}

export async function typePin(page: Page, pin: string): Promise<void> {
  for (const d of pin) await page.click(`[data-action="digit-${d}"]`);
  await page.click('[data-action="enter"]');
}
