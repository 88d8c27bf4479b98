// Demo mode on the real adapters in Debian's Chromium: the demo panel's "present card" drives the simulator
// rig (socat ptys, real SAM bytes); the real face engine runs on the looping demo video; the venue decides.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNTHETIC_CARDS } from '../../../firmware-bridge/simulators/cards.ts';
import { bootReal } from '../../../kiosk/main/real/boot-real.ts';
import type { BootedReal } from '../../../kiosk/main/real/boot-real.ts';
import { syntheticDocument } from '../../../kiosk/main/real-adapters.ts';
import { launch, renderer, shot } from '../shell/harness.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'eid-real-e2e-'));
let browser: Browser;
let booted: BootedReal;
let page: Page;
let panel: Page;
const errors: string[] = [];

async function open(path: string): Promise<Page> {
  const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  p.setDefaultTimeout(15_000);
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${path}: ${m.text()}`);
  });
  p.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
  await p.goto(booted.host.url + path);
  return p;
}

beforeAll(async () => {
  const [b, rendererDir] = await Promise.all([launch(), renderer()]);
  browser = b;
  booted = await bootReal({
    demo: true,
    dataDir,
    profile: 'stadium-gate',
    overrides: { timeouts: { resultMs: 2_000 } },
    rendererDir,
    log: pino({ level: 'silent' }),
  });
  page = await open('/');
  panel = await open('/demo');
  await page.waitForSelector('main[data-screen="welcome"]');
  await panel.waitForSelector('[data-demo="card-card-0"]');
}, 90_000);

afterAll(async () => {
  await page?.close();
  await panel?.close();
  await booted?.stop();
  await browser?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('real adapters in Chromium', () => {
  it('present card 0 on the panel → face screen with the live preview → pass', async () => {
    await panel.click('[data-demo="card-card-0"]');
    await page.waitForSelector('main[data-screen="face"]', { timeout: 20_000 });
    // The preview is the camera's MJPEG stream: the face screen's <img> loads real frames.
    const abort = new AbortController();
    const preview = await fetch(`${booted.host.url}/camera/preview`, { signal: abort.signal });
    expect(preview.headers.get('content-type')).toContain('multipart/x-mixed-replace');
    const reader = preview.body!.getReader();
    const first = await reader.read();
    abort.abort(); // the stream never ends by itself: drop the connection
    expect(Buffer.from(first.value ?? []).toString('latin1')).toContain('image/jpeg');
    await shot(page, 'real-face');
    await page.waitForSelector('main .screen-result[data-outcome="pass"]', { timeout: 40_000 });
    const html = await page.content();
    const doc = syntheticDocument(SYNTHETIC_CARDS[0]!);
    expect(html).not.toContain(doc.documentNumber);
    expect(await page.textContent('main')).toContain('*');
    await shot(page, 'real-result');
    await page.waitForSelector('main[data-screen="welcome"]', { timeout: 10_000 });
  }, 80_000);

  it('present card 4 (someone else) → deny face-no-match', async () => {
    await panel.click('[data-demo="card-card-4"]');
    await page.waitForSelector('main .screen-result[data-outcome="deny"]', { timeout: 40_000 });
    expect(await page.getAttribute('main .screen-result', 'data-reason')).toBe('face-no-match');
    await page.waitForSelector('main[data-screen="welcome"]', { timeout: 10_000 });
  }, 60_000);

  it('unplug / replug the reader on the panel → fault → welcome; no console errors', async () => {
    await panel.click('[data-demo="unplug-reader"]');
    await page.waitForSelector('main[data-screen="fault"]', { timeout: 10_000 });
    await panel.click('[data-demo="replug-reader"]');
    await page.waitForSelector('main[data-screen="welcome"]', { timeout: 10_000 });
    expect(errors).toEqual([]);
  }, 40_000);

  it('the consent notice comes from the real venue (stadium retention rules)', async () => {
    const r = await booted.router.invoke('consent.notice', { language: 'en' });
    expect(r.ok).toBe(true);
    const records = (r as { value: { retention: { record: string }[] } }).value.retention.map(
      (x) => x.record,
    );
    expect(records).toContain('entries');
  });
});
