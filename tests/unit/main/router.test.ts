// The router between the screens and the machine: contract parsing, refusals, demo gating, language pushes,
// against the real composition (XState machine + demo fakes).
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { compose } from '../../../kiosk/main/compose.ts';
import type { Composition } from '../../../kiosk/main/compose.ts';
import { createRouter } from '../../../kiosk/main/router.ts';
import { parseView } from '../../../kiosk/shared/contract.ts';
import type { Router } from '../../../kiosk/main/router.ts';
import type { KioskView } from '../../../kiosk/shared/view.ts';

let c: Composition | undefined;
let r: Router | undefined;
afterEach(() => {
  r?.close();
  c?.stop();
});

function setup(demo: boolean, overrides = {}) {
  const config = loadConfig({ overrides: { venueName: 'Test Café', ...overrides } });
  c = compose(config, {}, { demo, demoOptions: { faceStepMs: 20 }, checkPin: async (p) => p === '4321' });
  const refused: string[] = [];
  r = createRouter({
    engine: c.engine,
    demo: c.demo,
    defaultLanguage: 'zh-Hans',
    previewUrl: '/camera/preview',
    onRefused: (ch, code) => refused.push(`${ch}:${code}`),
  });
  const pushes: { channel: string; payload: unknown }[] = [];
  r.onPush((channel, payload) => pushes.push({ channel, payload }));
  return { c, r, refused, pushes };
}

const until = async (pred: () => boolean, ms = 5000) => {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((res) => setTimeout(res, 10));
  }
};

describe('router', () => {
  it('answers hello with the view, language and demo flag', async () => {
    const { r } = setup(false);
    const h = await r.invoke('kiosk.hello', null);
    expect(h.ok).toBe(true);
    if (!h.ok) return;
    const v = h.value as { view: KioskView; language: string; demo: boolean };
    expect(v.view.screen).toBe('welcome');
    expect(v.view.venue.name).toBe('Test Café');
    expect(v.language).toBe('zh-Hans');
    expect(v.demo).toBe(false);
  });

  it('refuses unknown channels, events outside the whitelist and malformed payloads', async () => {
    const { r, refused } = setup(true);
    expect(await r.invoke('kiosk.eval', 'x')).toMatchObject({ ok: false, code: 'E_IPC_UNKNOWN_CHANNEL' });
    expect(await r.invoke('__proto__', null)).toMatchObject({ ok: false, code: 'E_IPC_UNKNOWN_CHANNEL' });
    // A renderer must not be able to fake a card read or a face result.
    const fakeRead = { type: 'document.read', document: { documentNumber: '1' } };
    expect(await r.invoke('kiosk.send', fakeRead)).toMatchObject({
      ok: false,
      code: 'E_IPC_INVALID_PAYLOAD',
    });
    expect(await r.invoke('kiosk.send', { type: 'face.done', result: { outcome: 'match' } })).toMatchObject({
      ok: false,
    });
    expect(await r.invoke('kiosk.send', { type: 'attendant.pin', pin: '12a4' })).toMatchObject({ ok: false });
    expect(await r.invoke('kiosk.send', { type: 'person.cancel', extra: 1 })).toMatchObject({ ok: false });
    expect(await r.invoke('kiosk.hello', { x: 1 })).toMatchObject({ ok: false });
    expect(refused.length).toBe(7);
  });

  it('refuses demo channels outside demo mode', async () => {
    const { r } = setup(false);
    expect(await r.invoke('demo.people', null)).toMatchObject({ ok: false, code: 'E_DEMO_DISABLED' });
    expect(await r.invoke('demo.act', { type: 'card', person: 'zhang' })).toMatchObject({
      ok: false,
      code: 'E_DEMO_DISABLED',
    });
  });

  it('drives a check-in through demo actions and pushes masked views only', async () => {
    const { r, pushes } = setup(true, { timeouts: { resultMs: 1000 } });
    const people = await r.invoke('demo.people', null);
    expect(people.ok && (people.value as { id: string }[]).map((p) => p.id)).toContain('zhang');
    expect(await r.invoke('demo.act', { type: 'card', person: 'zhang' })).toEqual({ ok: true, value: null });
    const views = () => pushes.filter((p) => p.channel === 'view').map((p) => p.payload as KioskView);
    await until(() => views().some((v) => v.screen === 'result'));
    const screens = views().map((v) => v.screen);
    expect(screens.indexOf('reading')).toBeLessThan(screens.indexOf('face'));
    const result = views().find((v) => v.screen === 'result')!;
    expect(result.result).toMatchObject({ outcome: 'pass', reason: 'ok', maskedName: '张*' });
    expect(JSON.stringify(pushes)).not.toMatch(/11010519900307\d{3}[\dX]/);
  });

  it('changes the language for every screen and resets it after a check-in', async () => {
    const { r, pushes } = setup(true, { timeouts: { resultMs: 1000 } });
    await r.invoke('kiosk.send', { type: 'ui.language', language: 'es' });
    expect(r.language()).toBe('es');
    expect(pushes).toContainEqual({ channel: 'language', payload: { language: 'es' } });
    await r.invoke('demo.act', { type: 'card', person: 'zhang' });
    await until(() => r.language() === 'zh-Hans', 8000);
    expect(pushes.at(-1)?.channel).toBe('view');
    expect((pushes.at(-1)?.payload as KioskView).screen).toBe('welcome');
  });

  it('passes attendant events through to the machine (PIN checked by the provided checker)', async () => {
    const { r, c } = setup(true);
    await r.invoke('kiosk.send', { type: 'attendant.open' });
    await until(() => c.engine.view().screen === 'attendant');
    await r.invoke('kiosk.send', { type: 'attendant.pin', pin: '0000' });
    await until(() => c.engine.view().attendant?.attemptsLeft === 4);
    await r.invoke('kiosk.send', { type: 'attendant.pin', pin: '4321' });
    await until(() => c.engine.view().attendant?.authenticated === true);
    await r.invoke('kiosk.send', { type: 'attendant.close' });
    await until(() => c.engine.view().screen === 'welcome');
    expect(c.fakes?.audit.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['attendant.login-failed', 'attendant.login']),
    );
  });

  it('never lets an unmasked name or number out in a view', () => {
    const base = { screen: 'result', state: 'result', venue: { profile: 'p', name: 'n' }, devices: {} };
    const ok = parseView({
      ...base,
      result: { outcome: 'pass', reason: 'ok', maskedName: '张*', maskedNumber: '1101**********0316' },
    });
    expect(ok.ok).toBe(true);
    const leak = parseView({
      ...base,
      result: { outcome: 'pass', reason: 'ok', maskedNumber: '110105199003070316' },
    });
    expect(leak).toMatchObject({ ok: false, code: 'E_IPC_INVALID_PAYLOAD' });
    expect(parseView({ ...base, screen: 'admin' }).ok).toBe(false);
    expect(parseView({ ...base, extra: 1 }).ok).toBe(false);
  });
});
