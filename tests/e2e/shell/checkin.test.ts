// The real screens in Debian's Chromium against the real composition (XState machine, router, host) with the
// demo fakes: a full check-in to pass, a deny, a timeout, an attendant override with PIN, a device fault.
import { statSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCredential, localDate } from '../../../kiosk/core/credential-checks.ts';
import { DEMO_PIN } from '../../../kiosk/main/boot.ts';
import { DEMO_PEOPLE } from '../../../kiosk/main/demo/people.ts';
import type { Kiosk } from './harness.ts';
import { launch, screen, shot, startKiosk } from './harness.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const zhang = DEMO_PEOPLE.find((p) => p.person.id === 'zhang')!.document;

/** A verifier that takes a moment, so the reading screen is seen (and photographed). */
const slowVenue = {
  async verifyCredential(input: { document: typeof zhang; now: number }) {
    await new Promise((r) => setTimeout(r, 1200));
    return checkCredential(input.document, localDate(input.now, 480));
  },
  async act() {
    return { ok: true, displayCode: 'A-101' };
  },
};

describe('check-in in Chromium', () => {
  let k: Kiosk;
  beforeAll(async () => {
    k = await startKiosk(browser, { timeouts: { resultMs: 4000 } }, { venue: slowVenue });
  });
  afterAll(async () => {
    await k?.close();
  });

  it('shows the welcome screen with a wallet QR and the three ways in', async () => {
    const { page } = k;
    await page.waitForSelector('[data-testid="wallet-qr"] svg.qr');
    expect(await page.locator('.way-list .way').count()).toBe(3);
    expect(await page.textContent('h1')).toBe('欢迎，请办理登记');
    expect(statSync(await shot(page, 'welcome')).size).toBeGreaterThan(5000);
  });

  it('offers the demo panel on /demo and as a drawer on the kiosk page in demo mode', async () => {
    const { page, panel } = k;
    expect(await panel.locator('[data-person]').count()).toBeGreaterThanOrEqual(4);
    await shot(panel, 'demo-panel');
    await page.click('[data-action="demo-toggle"]');
    await page.waitForSelector('aside.demo-panel [data-demo="card-zhang"]');
    await page.click('[data-action="demo-toggle"]');
    await page.waitForSelector('aside.demo-panel', { state: 'detached' });
  });

  it('switches among the four languages on screen', async () => {
    const { page } = k;
    const headings: Record<string, string> = {};
    for (const lang of ['zh-Hant', 'en', 'es', 'zh-Hans']) {
      await page.click(`button[data-lang="${lang}"]`);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      headings[lang] = (await page.textContent('h1')) ?? '';
      if (lang !== 'zh-Hans') await shot(page, `welcome-${lang}`);
    }
    expect(headings).toEqual({
      'zh-Hant': '歡迎，請辦理登記',
      en: 'Welcome. Please check in',
      es: 'Bienvenido. Regístrese, por favor',
      'zh-Hans': '欢迎，请办理登记',
    });
  });

  it('checks a person in from idle to pass, showing masked data only', async () => {
    const { page, panel } = k;
    await panel.click('[data-demo="card-zhang"]');
    await screen(page, 'reading');
    expect(await page.textContent('h1')).toBe('正在读取身份证');
    await shot(page, 'reading');
    await page.waitForSelector('main[data-screen="face"] li.step.current');
    expect(await page.locator('.hint').textContent()).toMatch(/转头|眨眼/);
    await shot(page, 'face');
    await page.waitForSelector('main .screen-result[data-outcome="pass"]');
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain('登记成功');
    expect(text).toContain('张*');
    expect(text).toContain('1101**********');
    expect(text).toContain('A-101');
    const html = await page.content();
    expect(html).not.toContain(zhang.documentNumber);
    expect(html).not.toContain('张伟');
    await shot(page, 'result');
    await screen(page, 'welcome', 8000);
  });

  it('denies when the face does not match, and says why', async () => {
    const { page, panel } = k;
    await panel.click('[data-demo="face-no-match"]');
    await panel.click('[data-demo="scan-zhang"]');
    await page.waitForSelector('main .screen-result[data-outcome="deny"]', { timeout: 15_000 });
    expect(await page.getAttribute('main .screen-result', 'data-reason')).toBe('face-no-match');
    expect(await page.textContent('.reason')).toBe('人脸与证件照片不一致，请联系工作人员。');
    await shot(page, 'result-deny');
    await screen(page, 'welcome', 8000);
  });

  it('lets an attendant approve a review after a wrong and a right PIN', async () => {
    const { page, panel } = k;
    await panel.click('[data-demo="face-no-face"]');
    await panel.click('[data-demo="wallet-garcia"]');
    await screen(page, 'review', 15_000);
    await shot(page, 'review');
    await page.click('[data-action="staff"]');
    await screen(page, 'attendant');
    const typePin = async (pin: string) => {
      for (const d of pin) await page.click(`[data-action="digit-${d}"]`);
      await page.click('[data-action="enter"]');
    };
    const before = await page.textContent('.attempts');
    await typePin('1111');
    await page.waitForFunction((b) => document.querySelector('.attempts')?.textContent !== b, before);
    expect(await page.textContent('.attempts')).toBe('还可尝试 4 次');
    await shot(page, 'attendant');
    await typePin(DEMO_PIN);
    await page.waitForSelector('[data-testid="review-card"]');
    expect(await page.textContent('[data-testid="review-card"]')).toContain('G***** L**** M****');
    await shot(page, 'attendant-console');
    await page.click('[data-action="approve"]');
    // The console stays open and shows the outcome; closing it hands the screen back to the person.
    await page.waitForSelector('[data-testid="console-result"][data-outcome="pass"]');
    expect(await page.getAttribute('[data-testid="console-result"]', 'data-reason')).toBe(
      'attendant-approved',
    );
    await page.click('[data-action="close"]');
    await page.waitForSelector('main[data-screen="result"], main[data-screen="welcome"]');
    await screen(page, 'welcome', 8000);
  });

  it('shows the device fault screen while the camera is unplugged', async () => {
    const { page, panel } = k;
    await panel.click('[data-demo="unplug-camera"]');
    await screen(page, 'fault');
    expect(await page.textContent('.fault-item')).toContain('摄像头');
    await shot(page, 'fault');
    await panel.click('[data-demo="replug-camera"]');
    await screen(page, 'welcome');
  });

  it('refuses a forged identity code with a notice, staying on welcome', async () => {
    const { page, panel } = k;
    await panel.click('[data-demo="scan-forged"]');
    await page.waitForSelector('.notice');
    expect(await page.textContent('.notice')).toBe('此码的签发方不受信任，请使用其他证件。');
    expect(await page.getAttribute('main', 'data-screen')).toBe('welcome');
  });

  it('logged no console errors on either page', () => {
    expect(k.errors).toEqual([]);
  });
});

describe('timeouts in Chromium', () => {
  it('ends a face check that takes too long as a timeout', async () => {
    // faceMs 1 s against a demo face check of 6 steps × 400 ms.
    const k = await startKiosk(browser, { timeouts: { faceMs: 1000, resultMs: 3000 } }, {}, 400);
    try {
      await k.panel.click('[data-demo="card-zhang"]');
      await k.page.waitForSelector('main .screen-result[data-reason="timeout"]', { timeout: 10_000 });
      expect(await k.page.textContent('.reason')).toBe('已超时，请重新开始。');
      await k.page.click('button[data-lang="en"]');
      await k.page.waitForFunction(
        () => document.querySelector('.reason')?.textContent === 'The time ran out. Please start again.',
      );
      await shot(k.page, 'result-timeout');
      await screen(k.page, 'welcome', 8000);
      expect(k.errors).toEqual([]);
    } finally {
      await k.close();
    }
  });
});

describe('attendant lockout and cancel in Chromium', () => {
  it('locks the PIN pad after too many wrong PINs, with a countdown, then lets a person cancel', async () => {
    const k = await startKiosk(browser, { attendant: { maxAttempts: 2, lockoutMs: 5000 } });
    try {
      const { page, panel } = k;
      await page.click('[data-action="staff"]');
      await screen(page, 'attendant');
      const typePin = async (pin: string) => {
        for (const d of pin) await page.click(`[data-action="digit-${d}"]`);
        await page.click('[data-action="enter"]');
      };
      // Wait for each PIN's answer: the machine ignores PINs while it checks one.
      await typePin('1111');
      await page.waitForFunction(() => document.querySelector('.attempts')?.textContent === '还可尝试 1 次');
      await typePin('2222');
      await page.waitForSelector('.pin .warning');
      expect(await page.textContent('.pin .warning')).toMatch(/^密码错误次数过多，请 [1-5] 秒后再试。$/);
      expect(await page.isDisabled('[data-action="digit-1"]')).toBe(true);
      await shot(page, 'attendant-locked');
      await page.click('[data-action="close"]');
      await screen(page, 'welcome');
      // A person changes their mind while the card is read.
      await panel.click('[data-demo="card-garcia"]');
      await screen(page, 'face');
      await page.click('[data-action="cancel"]');
      // The machine goes straight back to the welcome screen on cancel.
      await screen(page, 'welcome');
      expect(k.errors).toEqual([]);
    } finally {
      await k.close();
    }
  });
});
