// The consent notice and the attendant console through the router: the typed channels, the login gate, the
// "not wired" answer, output parsing (nothing unmasked leaves), and the audit hook, against the real
// composition (XState machine + demo fakes) and the demo attendant data source.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { DEMO_PEOPLE } from '../../../kiosk/main/demo/people.ts';
import { demoAttendantData } from '../../../kiosk/main/attendant-data.ts';
import type { AttendantAction, AttendantDataSource } from '../../../kiosk/main/attendant-data.ts';
import { compose } from '../../../kiosk/main/compose.ts';
import type { Composition } from '../../../kiosk/main/compose.ts';
import { createRouter } from '../../../kiosk/main/router.ts';
import type { Router } from '../../../kiosk/main/router.ts';
import {
  consentNoticeSchema,
  decisionRowSchema,
  deviceTestResultSchema,
  invokeChannels,
} from '../../../kiosk/shared/contract.ts';
import type { ConsentNoticeView, DecisionRowView } from '../../../kiosk/shared/contract.ts';

let c: Composition | undefined;
let r: Router | undefined;
let closeSrc: (() => void) | undefined;
afterEach(() => {
  r?.close();
  closeSrc?.();
  c?.stop();
  r = c = closeSrc = undefined;
});

const until = async (pred: () => boolean, ms = 8000) => {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((res) => setTimeout(res, 10));
  }
};

function setup(opts: { profile?: string; withSource?: boolean; source?: AttendantDataSource } = {}) {
  const config = loadConfig({
    ...(opts.profile ? { profile: opts.profile } : {}),
    overrides: { venueName: 'Test Café', timeouts: { resultMs: 60_000 } },
  });
  c = compose(
    config,
    {},
    { demo: true, demoOptions: { faceStepMs: 20 }, checkPin: async (p) => p === '4321' },
  );
  const comp = c;
  let pulses = 0;
  const demoSrc = demoAttendantData({
    venue: config.venue,
    engine: comp.engine,
    pulseRelay: () => {
      pulses++;
      return comp.fakes?.devices.isPresent('relay') ?? false;
    },
  });
  closeSrc = demoSrc.close;
  const actions: AttendantAction[] = [];
  const refused: string[] = [];
  r = createRouter({
    engine: comp.engine,
    demo: comp.demo,
    defaultLanguage: 'zh-Hans',
    previewUrl: '/camera/preview',
    onRefused: (ch, code) => refused.push(`${ch}:${code}`),
    ...(opts.withSource === false ? {} : { attendant: opts.source ?? demoSrc }),
    onAttendantAction: (a) => actions.push(a),
  });
  return { c: comp, r, actions, refused, pulses: () => pulses, config };
}

async function login(r: Router, c: Composition) {
  await r.invoke('kiosk.send', { type: 'attendant.open' });
  await r.invoke('kiosk.send', { type: 'attendant.pin', pin: '4321' });
  await until(() => c.engine.view().attendant?.authenticated === true);
}

describe('consent notice', () => {
  it.each([
    ['internet-cafe', 60],
    ['stadium-gate', 30],
    ['hotel-front-desk', 365],
  ])('%s: the notice in each language carries the retention rule (%i days)', async (profile, days) => {
    const { r } = setup({ profile });
    for (const language of ['zh-Hans', 'zh-Hant', 'en', 'es'] as const) {
      const res = await r.invoke('consent.notice', { language });
      expect(res.ok).toBe(true);
      if (!res.ok) return;
      const n = res.value as ConsentNoticeView;
      expect(n.language).toBe(language);
      expect(n.text.length).toBeGreaterThan(40);
      expect(n.retention.map((x) => x.days)).toContain(days);
    }
    const en = (await r.invoke('consent.notice', { language: 'en' })) as {
      ok: true;
      value: ConsentNoticeView;
    };
    expect(en.value.text).toContain(`${days} days`);
  });

  it('uses the venue’s own text when the config sets one', async () => {
    const config = loadConfig({ overrides: { venue: { consent: { es: 'Texto propio del local.' } } } });
    c = compose(config, {}, { demo: true });
    const src = demoAttendantData({ venue: config.venue, engine: c.engine });
    closeSrc = src.close;
    r = createRouter({ engine: c.engine, defaultLanguage: 'es', previewUrl: '/p', attendant: src });
    const res = await r.invoke('consent.notice', { language: 'es' });
    expect(res).toMatchObject({ ok: true, value: { text: 'Texto propio del local.' } });
    const en = await r.invoke('consent.notice', { language: 'en' });
    expect(en.ok && (en.value as ConsentNoticeView).text).not.toBe('Texto propio del local.');
  });

  it('answers a clear error when no data source is wired, and refuses a bad language', async () => {
    const { r, refused } = setup({ withSource: false });
    const res = await r.invoke('consent.notice', { language: 'en' });
    expect(res).toMatchObject({ ok: false, code: 'E_SHELL_INTERNAL' });
    expect(!res.ok && res.message).toMatch(/not wired/);
    expect(await r.invoke('consent.notice', { language: 'fr' })).toMatchObject({
      ok: false,
      code: 'E_IPC_INVALID_PAYLOAD',
    });
    expect(refused).toContain('consent.notice:E_SHELL_INTERNAL');
  });
});

describe('attendant console channels', () => {
  it('refuses every console call before the PIN, and audits nothing', async () => {
    const { r, actions } = setup();
    for (const [ch, p] of [
      ['attendant.decisions', null],
      ['attendant.health', null],
      ['attendant.profile', null],
      ['attendant.test', { device: 'relay' }],
    ] as const) {
      expect(await r.invoke(ch, p)).toMatchObject({ ok: false, code: 'E_IPC_FORBIDDEN' });
    }
    expect(await r.invoke('attendant.review', { outcome: 'pass', note: 'face-checked' })).toMatchObject({
      ok: false,
      code: 'E_IPC_FORBIDDEN',
    });
    expect(actions).toEqual([]);
  });

  it('after the PIN: decisions (masked), health, profile, device tests — each audited', async () => {
    const { r, c, actions, pulses } = setup({ profile: 'internet-cafe' });
    const zhang = DEMO_PEOPLE.find((p) => p.person.id === 'zhang')!.document;
    await r.invoke('demo.act', { type: 'card', person: 'zhang' });
    await until(() => c.engine.view().screen === 'result');
    await login(r, c);

    const d = await r.invoke('attendant.decisions', null);
    expect(d.ok).toBe(true);
    const rows = (d as { ok: true; value: DecisionRowView[] }).value;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'pass', reason: 'ok' });
    expect(rows[0]!.maskedNumber).toContain('*');
    expect(JSON.stringify(rows)).not.toContain(zhang.documentNumber);

    const hl = await r.invoke('attendant.health', null);
    expect(hl).toMatchObject({ ok: true, value: { devices: { relay: 'ready' }, sync: { backlog: 0 } } });

    const p = await r.invoke('attendant.profile', null);
    expect(p).toMatchObject({ ok: true, value: { profile: 'internet-cafe' } });
    expect(
      (p as { ok: true; value: { retention: { days: number }[] } }).value.retention.map((x) => x.days),
    ).toContain(60);

    expect(await r.invoke('attendant.test', { device: 'relay' })).toMatchObject({
      ok: true,
      value: { device: 'relay', ok: true },
    });
    expect(pulses()).toBe(1);
    await r.invoke('demo.act', { type: 'device', device: 'relay', present: false });
    expect(await r.invoke('attendant.test', { device: 'relay' })).toMatchObject({
      ok: true,
      value: { device: 'relay', ok: false },
    });
    const reader = await r.invoke('attendant.test', { device: 'reader' });
    expect(reader).toMatchObject({ ok: true, value: { device: 'reader', ok: true } });
    expect((reader as { ok: true; value: { maskedNumber?: string } }).value.maskedNumber).toMatch(/\*/);
    expect(await r.invoke('attendant.test', { device: 'printer' })).toMatchObject({
      ok: false,
      code: 'E_IPC_INVALID_PAYLOAD',
    });

    expect(actions).toEqual([
      { type: 'view', section: 'decisions' },
      { type: 'view', section: 'health' },
      { type: 'view', section: 'profile' },
      { type: 'test', device: 'relay', ok: true, detail: 'pulse 800 ms sent' },
      { type: 'test', device: 'relay', ok: false, detail: 'relay not connected' },
      { type: 'test', device: 'reader', ok: true, detail: 'ready' },
    ]);
  });

  it('decides the current review with a preset reason, audited; refuses without a review or with a free note', async () => {
    const { r, c, actions } = setup();
    await login(r, c);
    expect(await r.invoke('attendant.review', { outcome: 'pass', note: 'face-checked' })).toMatchObject({
      ok: false,
      code: 'E_IPC_FORBIDDEN',
    });
    await r.invoke('kiosk.send', { type: 'attendant.close' });
    await r.invoke('demo.act', { type: 'face', outcome: 'no-face' });
    await r.invoke('demo.act', { type: 'wallet', person: 'garcia' });
    await until(() => c.engine.view().screen === 'review');
    await login(r, c);
    expect(
      await r.invoke('attendant.review', { outcome: 'pass', note: 'looked fine <script>' }),
    ).toMatchObject({ ok: false, code: 'E_IPC_INVALID_PAYLOAD' });
    expect(await r.invoke('attendant.review', { outcome: 'pass', note: 'face-checked' })).toEqual({
      ok: true,
      value: null,
    });
    await until(() => c.engine.view().result?.reason === 'attendant-approved');
    expect(actions).toEqual([{ type: 'review', outcome: 'pass', note: 'face-checked' }]);
  });

  it('never hands a screen an unmasked number: a leaking source is refused', async () => {
    const leaky: AttendantDataSource = {
      todaysDecisions: () => [
        {
          at: 1,
          outcome: 'pass',
          reason: 'ok',
          maskedName: 'Zhang Wei',
          maskedNumber: '110101199003071234',
          documentType: 'id-card',
        },
      ],
      deviceHealth: () => ({}),
      testDevice: (device) => ({ device, ok: true, ms: 0 }),
      profileSummary: () => ({ profile: 'none', name: 'x', timeZone: 'UTC', retention: [], settings: {} }),
      consent: (language) => ({ language, text: 'notice text', retention: [] }),
    };
    const { r, c } = setup({ source: leaky });
    await login(r, c);
    const res = await r.invoke('attendant.decisions', null);
    expect(res).toMatchObject({ ok: false, code: 'E_IPC_INVALID_PAYLOAD' });
    expect(JSON.stringify(res)).not.toContain('110101199003071234');
  });

  it('a throwing audit hook does not break the console', async () => {
    const config = loadConfig({});
    c = compose(config, {}, { demo: true, checkPin: async (p) => p === '4321' });
    const src = demoAttendantData({ venue: config.venue, engine: c.engine });
    closeSrc = src.close;
    r = createRouter({
      engine: c.engine,
      defaultLanguage: 'en',
      previewUrl: '/p',
      attendant: src,
      onAttendantAction: () => {
        throw new Error('audit down');
      },
    });
    await login(r, c);
    expect(await r.invoke('attendant.profile', null)).toMatchObject({ ok: true });
  });
});

describe('contract schemas for the console', () => {
  it('lists the new channels, and the row/test schemas refuse unmasked values', () => {
    for (const ch of [
      'consent.notice',
      'attendant.decisions',
      'attendant.health',
      'attendant.test',
      'attendant.profile',
      'attendant.review',
    ])
      expect(Object.hasOwn(invokeChannels, ch)).toBe(true);
    const row = {
      at: 1,
      outcome: 'pass',
      reason: 'ok',
      maskedName: '张*',
      maskedNumber: '1101**********34',
      documentType: 'id-card',
    };
    expect(decisionRowSchema.safeParse(row).success).toBe(true);
    expect(decisionRowSchema.safeParse({ ...row, maskedNumber: '110101199003071234' }).success).toBe(false);
    expect(decisionRowSchema.safeParse({ ...row, extra: 1 }).success).toBe(false);
    expect(
      deviceTestResultSchema.safeParse({ device: 'relay', ok: true, ms: 3, maskedNumber: 'E1234567' })
        .success,
    ).toBe(false);
    expect(consentNoticeSchema.safeParse({ language: 'en', text: '', retention: [] }).success).toBe(false);
    expect(
      consentNoticeSchema.safeParse({
        language: 'en',
        text: 'x',
        retention: [{ record: 'a', where: 'moon', days: 1 }],
      }).success,
    ).toBe(false);
  });
});
