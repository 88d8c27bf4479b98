// The consent notice, the attendant console and the accessibility modes in Debian's Chromium, against the
// real composition (XState machine, demo fakes) with the demo attendant data source wired into the router.
import { statSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PIN } from '../../../kiosk/main/boot.ts';
import { DEMO_PEOPLE } from '../../../kiosk/main/demo/people.ts';
import { launch, screen, shot } from '../shell/harness.ts';
import type { ConsoleKiosk } from './harness.ts';
import { startConsoleKiosk, typePin } from './harness.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const zhang = DEMO_PEOPLE.find((p) => p.person.id === 'zhang')!.document;

/** Replaces speechSynthesis with a recorder (headless Chromium has no voices). */
function stubSpeech() {
  const spoken: { text: string; lang: string }[] = [];
  (window as unknown as { __spoken: typeof spoken }).__spoken = spoken;
  const fake = {
    speak: (u: SpeechSynthesisUtterance) => spoken.push({ text: u.text, lang: u.lang }),
    cancel: () => undefined,
    getVoices: () => [],
  };
  Object.defineProperty(window, 'speechSynthesis', { value: fake, configurable: true });
}

const spoken = (page: Page) =>
  page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken);

/** WCAG contrast of each element's text colour against its first opaque background. */
function contrasts(page: Page, selectors: readonly string[]) {
  return page.evaluate((sels) => {
    const rgb = (s: string) => (s.match(/[\d.]+/g) ?? []).map(Number);
    const lum = (c: number[]) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const out: Record<string, number> = {};
    for (const sel of sels) {
      const el = document.querySelector(sel);
      if (!el) {
        out[sel] = -1;
        continue;
      }
      const fg = rgb(getComputedStyle(el).color);
      let bg: number[] = [255, 255, 255];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) {
          bg = c;
          break;
        }
      }
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      out[sel] = Math.round(((a! + 0.05) / (b! + 0.05)) * 100) / 100;
    }
    return out;
  }, selectors);
}

describe('consent notice before reading, per profile', () => {
  for (const [profile, days] of [
    ['internet-cafe', 60],
    ['stadium-gate', 30],
    ['hotel-front-desk', 365],
  ] as const) {
    it(`${profile}: the welcome screen shows what is read, why, and "kept ${days} days"`, async () => {
      const k = await startConsoleKiosk(browser, { profile });
      try {
        const { page } = k;
        await page.waitForSelector('[data-testid="consent"]');
        expect(await page.textContent('[data-testid="consent"] h2')).toBe('读取前请知悉');
        expect(await page.locator(`[data-testid="consent"] li[data-days="${days}"]`).count()).toBeGreaterThan(
          0,
        );
        await page.click('button[data-lang="en"]');
        await page.waitForFunction(
          () => document.querySelector('[data-testid="consent"]')?.getAttribute('lang') === 'en',
        );
        const text = (await page.textContent('[data-testid="consent"]')) ?? '';
        expect(text).toContain('Before we read anything');
        expect(text).toMatch(/reads your document/);
        expect(text).toContain(`kept ${days} days`);
        await page.click('button[data-lang="es"]');
        await page.waitForFunction(
          () => document.querySelector('[data-testid="consent"]')?.getAttribute('lang') === 'es',
        );
        expect(await page.textContent('[data-testid="consent"]')).toContain(`se conserva ${days} días`);
        if (profile === 'internet-cafe') {
          await page.click('button[data-lang="en"]');
          await page.waitForFunction(
            () => document.querySelector('[data-testid="consent"]')?.getAttribute('lang') === 'en',
          );
          expect(statSync(await shot(page, 'consent')).size).toBeGreaterThan(5000);
        }
        expect(k.errors).toEqual([]);
      } finally {
        await k.close();
      }
    });
  }
});

describe('attendant console in Chromium', () => {
  let k: ConsoleKiosk;
  beforeAll(async () => {
    k = await startConsoleKiosk(browser, {
      profile: 'internet-cafe',
      overrides: { timeouts: { resultMs: 2500 } },
      initScript: stubSpeech,
    });
  });
  afterAll(async () => {
    await k?.close();
  });

  it('lists the check-in just made among today’s decisions, masked only', async () => {
    const { page, panel } = k;
    await panel.click('[data-demo="card-zhang"]');
    await page.waitForSelector('main .screen-result[data-outcome="pass"]', { timeout: 15_000 });
    await screen(page, 'welcome', 10_000);
    await page.click('[data-action="staff"]');
    await screen(page, 'attendant');
    await typePin(page, DEMO_PIN);
    await page.waitForSelector('[data-testid="decisions"] tbody tr');
    const rows = page.locator('[data-testid="decisions"] tbody tr');
    expect(await rows.count()).toBe(1);
    const row = (await rows.first().textContent()) ?? '';
    expect(row).toContain('张*');
    expect(row).toContain('1101**********');
    expect(await rows.first().getAttribute('data-outcome')).toBe('pass');
    const html = await page.content();
    expect(html).not.toContain(zhang.documentNumber);
    expect(html).not.toContain('张伟');
    expect(statSync(await shot(page, 'attendant-decisions')).size).toBeGreaterThan(5000);
    expect(k.actions).toContainEqual({ type: 'view', section: 'decisions' });
  });

  it('shows device health and runs the relay and reader tests in test mode', async () => {
    const { page } = k;
    await page.click('[data-tab="devices"]');
    await page.waitForSelector('[data-testid="sync"]');
    expect(await page.locator('.device-status li[data-device="relay"]').textContent()).toContain('✓');
    await page.click('[data-action="test-relay"]');
    await page.waitForSelector('[data-test-result="relay"][data-ok="true"]');
    expect(k.relayPulses()).toBe(1);
    await page.click('[data-action="test-reader"]');
    await page.waitForSelector('[data-test-result="reader"]');
    expect(await page.textContent('[data-test-result="reader"]')).toContain('1101**********');
    expect(await page.content()).not.toContain(zhang.documentNumber);
    expect(statSync(await shot(page, 'attendant-devices')).size).toBeGreaterThan(5000);
    // an unplugged relay answers "not working" in words and a mark, not only in colour
    await k.panel.click('[data-demo="unplug-relay"]');
    await page.click('[data-action="test-relay"]');
    await page.waitForSelector('[data-test-result="relay"][data-ok="false"]');
    expect(await page.textContent('[data-test-result="relay"]')).toMatch(/✗/);
    await k.panel.click('[data-demo="replug-relay"]');
    expect(
      k.actions.filter((a) => a.type === 'test').map((a) => a.type === 'test' && [a.device, a.ok]),
    ).toEqual([
      ['relay', true],
      ['reader', true],
      ['relay', false],
    ]);
    await page.click('[data-tab="profile"]');
    await page.waitForSelector('[data-testid="profile"] li[data-days="60"]');
    await page.click('[data-action="close"]');
    await screen(page, 'welcome');
  });

  it('approves a review with a reason', async () => {
    const { page, panel } = k;
    await panel.click('[data-demo="face-no-face"]');
    await panel.click('[data-demo="wallet-garcia"]');
    await screen(page, 'review', 15_000);
    await page.click('[data-action="staff"]');
    await screen(page, 'attendant');
    await typePin(page, DEMO_PIN);
    await page.waitForSelector('[data-testid="review-card"]');
    await page.click('[data-note="face-checked"]');
    expect(await page.getAttribute('[data-note="face-checked"]', 'aria-pressed')).toBe('true');
    await page.click('[data-action="approve"]');
    await page.waitForSelector('[data-testid="console-result"][data-outcome="pass"]');
    expect(await page.getAttribute('[data-testid="console-result"]', 'data-reason')).toBe(
      'attendant-approved',
    );
    expect(k.actions).toContainEqual({ type: 'review', outcome: 'pass', note: 'face-checked' });
    await page.click('[data-action="close"]');
  });

  it('speaks each screen in its language when speech is on', async () => {
    const { page } = k;
    await screen(page, 'welcome', 10_000);
    expect(await spoken(page)).toEqual([]);
    await page.click('[data-a11y="speech"]');
    await page.waitForFunction(() => (window as unknown as { __spoken: unknown[] }).__spoken.length > 0);
    expect((await spoken(page)).at(-1)).toEqual({ text: '欢迎，请办理登记', lang: 'zh-Hans' });
    await page.click('button[data-lang="es"]');
    await page.waitForFunction(() => (window as unknown as { __spoken: unknown[] }).__spoken.length > 1);
    expect((await spoken(page)).at(-1)).toEqual({ text: 'Bienvenido. Regístrese, por favor', lang: 'es' });
    // a face hint is spoken too
    await k.panel.click('[data-demo="face-match"]');
    await k.panel.click('[data-demo="scan-zhang"]');
    await page.waitForSelector('main[data-screen="face"] .hint');
    await page.waitForFunction(() =>
      (window as unknown as { __spoken: { text: string }[] }).__spoken.some((s) =>
        s.text.startsWith('Mire a la cámara.'),
      ),
    );
    await screen(page, 'welcome', 15_000);
    await page.click('[data-a11y="speech"]');
    await page.click('button[data-lang="zh-Hans"]');
  });

  it('high contrast and large text change the computed styles, reach 7:1, and last the session', async () => {
    const { page } = k;
    await screen(page, 'welcome');
    const sels = [
      'h1',
      '.consent-text',
      '.retention li',
      '.way-text',
      '.app-title',
      '[data-a11y="contrast"] span',
    ];
    const before = await contrasts(page, sels);
    const fontBefore = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    await page.click('[data-a11y="contrast"]');
    await page.waitForFunction(() => document.documentElement.classList.contains('high-contrast'));
    const after = await contrasts(page, sels);
    for (const s of sels) expect(after[s], s).toBeGreaterThanOrEqual(7);
    expect(after).not.toEqual(before);
    expect(
      await page.evaluate(() => getComputedStyle(document.querySelector('.topbar')!).backgroundColor),
    ).toBe('rgb(0, 0, 0)');
    expect(statSync(await shot(page, 'high-contrast')).size).toBeGreaterThan(5000);
    await page.click('[data-a11y="large"]');
    await page.waitForFunction(() => document.documentElement.classList.contains('large-text'));
    const fontAfter = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    expect(fontBefore).toBe('24px');
    expect(fontAfter).toBe('30px');
    const h1 = await page.evaluate(() =>
      parseFloat(getComputedStyle(document.querySelector('h1')!).fontSize),
    );
    expect(h1).toBe(60);
    await page.reload();
    await page.waitForSelector('main[data-screen="welcome"]');
    expect(await page.evaluate(() => document.documentElement.className)).toMatch(
      /high-contrast.*large-text|large-text.*high-contrast/,
    );
    expect(await page.getAttribute('[data-a11y="contrast"]', 'aria-pressed')).toBe('true');
    await page.click('[data-a11y="contrast"]');
    await page.click('[data-a11y="large"]');
    expect(await page.evaluate(() => document.documentElement.className)).toBe('');
    expect(k.errors).toEqual([]);
  });
});

describe('speech where the browser has no voices', () => {
  it('turning speech on in plain headless Chromium does not throw', async () => {
    const k = await startConsoleKiosk(browser);
    try {
      await k.page.click('[data-a11y="speech"]');
      await k.page.click('button[data-lang="en"]');
      await k.page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await k.page.getAttribute('[data-a11y="speech"]', 'aria-pressed')).toBe('true');
      expect(k.errors).toEqual([]);
    } finally {
      await k.close();
    }
  });
});
