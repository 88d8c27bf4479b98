// The attendant console: a PIN pad (with the lockout countdown), then the pending review and device status.
import type { ScreenContext } from '../context.ts';
import { button, countdown } from '../context.ts';
import { h } from '../dom.ts';
import { icons } from '../icons.ts';
import { DEVICE_NAMES, REVIEW_NOTES, TESTABLE_DEVICES } from '../../shared/contract.ts';
import type {
  DecisionRowView,
  DeviceHealthView,
  DeviceTestResult,
  ProfileSummary,
  ReviewNote,
  TestableDevice,
} from '../../shared/contract.ts';
import { retentionLines } from './welcome.ts';

type Tab = 'decisions' | 'devices' | 'profile';
type Loaded<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; code: string };
/** The console's data, fetched through the typed contract when a tab is shown; forgotten on leaving. */
let tab: Tab = 'decisions';
let decisions: Loaded<readonly DecisionRowView[]> | undefined;
let health: Loaded<DeviceHealthView> | undefined;
let profile: Loaded<ProfileSummary> | undefined;
const tests = new Map<TestableDevice, Loaded<DeviceTestResult>>();
let note: ReviewNote | undefined;

let pin = '';
const MAX_PIN = 12;
/** While a PIN is being checked (the machine ignores another one meanwhile): the console state it was sent in. */
let checking: { key: string; since: number } | undefined;

/** Forget a half-typed PIN (called whenever the console is left). */
export function resetPin(): void {
  pin = '';
  checking = undefined;
  tab = 'decisions';
  decisions = health = profile = undefined;
  tests.clear();
  note = undefined;
}

function pinPad(ctx: ScreenContext, rerender: () => void): HTMLElement {
  const a = ctx.view.attendant ?? { authenticated: false, attemptsLeft: 0 };
  const key = JSON.stringify(a);
  // The answer is a new console state; give up waiting after 5 s in case the PIN was dropped.
  if (checking && (checking.key !== key || Date.now() - checking.since > 5000)) checking = undefined;
  const lockedOut = a.lockedUntil !== undefined && a.lockedUntil > Date.now();
  const locked = lockedOut || checking !== undefined;
  const press = (d: string) => {
    if (pin.length < MAX_PIN) pin += d;
    rerender();
  };
  const digit = (d: string) =>
    button(d, () => press(d), { cls: 'key', action: `digit-${d}`, disabled: locked });
  const submit = () => {
    if (pin.length < 4) return;
    const entered = pin;
    pin = '';
    checking = { key, since: Date.now() };
    setTimeout(rerender, 5100);
    ctx.send({ type: 'attendant.pin', pin: entered });
    rerender();
  };
  return h(
    'div',
    { class: 'pin' },
    h('p', { class: 'lead' }, icons.lock(), ctx.tr('ui.attendant.pin')),
    h(
      'output',
      { class: 'pin-dots', 'data-testid': 'pin-dots', 'aria-label': String(pin.length) },
      '●'.repeat(pin.length) || '–',
    ),
    lockedOut
      ? h('p', { class: 'warning', role: 'alert' }, countdown(ctx, a.lockedUntil ?? 0, 'ui.attendant.locked'))
      : h('p', { class: 'attempts' }, ctx.tr('ui.attendant.attempts', { n: a.attemptsLeft })),
    h(
      'div',
      { class: 'keypad' },
      ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(digit),
      button(
        ctx.tr('ui.attendant.delete'),
        () => {
          pin = pin.slice(0, -1);
          rerender();
        },
        { cls: 'key key-fn', action: 'delete', disabled: locked },
      ),
      digit('0'),
      button(ctx.tr('ui.attendant.enter'), submit, {
        cls: 'key key-fn key-enter',
        action: 'enter',
        disabled: locked,
      }),
    ),
  );
}

/** The pending review with approve / deny (on the review screen once the attendant is logged in). */
export function reviewCard(ctx: ScreenContext): HTMLElement | null {
  const r = ctx.view.review;
  if (!r) return null;
  const decide = (outcome: 'pass' | 'deny') => {
    const chosen = note ?? (outcome === 'pass' ? 'document-checked' : 'refused-other');
    note = undefined;
    if (ctx.bridge)
      void ctx.bridge.invoke('attendant.review', { outcome, note: chosen }).then((r) => {
        if (!r.ok) console.warn(`attendant.review refused: ${r.code}`);
      });
    else
      ctx.send({
        type: 'attendant.decide',
        outcome,
        reason: outcome === 'pass' ? 'attendant-approved' : 'attendant-denied',
        note: chosen,
      });
  };
  return h(
    'div',
    { class: 'review-card', 'data-testid': 'review-card' },
    h('h2', {}, ctx.tr('ui.attendant.review')),
    h('p', { class: 'lead reason' }, ctx.tr(`reason.${r.reason}`)),
    facts(ctx, r.maskedName, r.maskedNumber, r.faceScore),
    h(
      'fieldset',
      { class: 'notes' },
      h('legend', {}, ctx.tr('ui.review.reasonPick')),
      REVIEW_NOTES.map((n) =>
        h(
          'button',
          {
            type: 'button',
            class: note === n ? 'note chosen' : 'note',
            'aria-pressed': note === n ? 'true' : 'false',
            'data-note': n,
            onclick: (ev: Event) => {
              note = n;
              const set = (ev.currentTarget as HTMLElement).parentElement;
              for (const b of set?.querySelectorAll<HTMLElement>('.note') ?? []) {
                const on = b.dataset['note'] === n;
                b.classList.toggle('chosen', on);
                b.setAttribute('aria-pressed', on ? 'true' : 'false');
                b.querySelector('.mark')!.textContent = on ? '✓ ' : '';
              }
            },
          },
          h('span', { class: 'mark', 'aria-hidden': 'true' }, note === n ? '✓ ' : ''),
          ctx.tr(`ui.note.${n}`),
        ),
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      button(ctx.tr('ui.attendant.approve'), () => decide('pass'), {
        cls: 'btn-pass',
        action: 'approve',
        icon: icons.pass(''),
      }),
      button(ctx.tr('ui.attendant.deny'), () => decide('deny'), {
        cls: 'btn-deny',
        action: 'deny',
        icon: icons.deny(''),
      }),
    ),
  );
}

function facts(ctx: ScreenContext, name?: string, number?: string, score?: number): HTMLElement {
  const row = (k: string, v: string | undefined) =>
    v === undefined ? null : h('div', { class: 'fact' }, h('dt', {}, ctx.tr(k)), h('dd', {}, v));
  return h(
    'dl',
    { class: 'facts' },
    row('ui.result.name', name),
    row('ui.result.number', number),
    row('ui.attendant.score', score?.toFixed(3)),
  );
}

/** The last result, shown in the console (the person's result screen waits while the console is open). */
function lastResult(ctx: ScreenContext): HTMLElement | null {
  const r = ctx.view.result;
  if (!r) return null;
  const title = ctx.tr(`outcome.${r.outcome}`);
  return h(
    'div',
    {
      class: `review-card outcome-${r.outcome}`,
      'data-testid': 'console-result',
      'data-outcome': r.outcome,
      'data-reason': r.reason,
    },
    h(
      'div',
      { class: 'outcome-banner' },
      r.outcome === 'pass' ? icons.pass(title) : icons.deny(title),
      h('h2', {}, title),
    ),
    h('p', { class: 'lead reason' }, ctx.tr(`reason.${r.reason}`)),
    facts(ctx, r.maskedName, r.maskedNumber),
  );
}

export function closeButton(ctx: ScreenContext): HTMLElement {
  return button(
    ctx.tr('ui.attendant.close'),
    () => {
      resetPin();
      ctx.send({ type: 'attendant.close' });
    },
    { cls: 'btn-secondary', action: 'close' },
  );
}

export function deviceStatus(ctx: ScreenContext): HTMLElement {
  return h(
    'div',
    { class: 'device-status' },
    h('h2', {}, ctx.tr('ui.attendant.devices')),
    h(
      'ul',
      {},
      DEVICE_NAMES.filter((d) => ctx.view.devices[d] !== undefined).map((d) => {
        const s = ctx.view.devices[d] ?? 'absent';
        return h(
          'li',
          { class: `status status-${s}`, 'data-device': d },
          h(
            'span',
            { class: 'status-mark', 'aria-hidden': 'true' },
            s === 'ready' ? '✓' : s === 'lost' ? '✗' : '–',
          ),
          `${ctx.tr(`device.${d}`)}: ${ctx.tr(`status.${s}`)}`,
        );
      }),
    ),
  );
}

function load<T>(
  ctx: ScreenContext,
  rerender: () => void,
  call: () => Promise<{ ok: true; value: T } | { ok: false; code: string }>,
  set: (l: Loaded<T>) => void,
): void {
  set({ state: 'loading' });
  void call().then((r) => {
    set(r.ok ? { state: 'ok', value: r.value } : { state: 'error', code: r.code });
    rerender();
  });
}

function pending<T>(ctx: ScreenContext, l: Loaded<T> | undefined): HTMLElement | null {
  if (!l || l.state === 'loading') return h('p', { class: 'lead', role: 'status' }, ctx.tr('ui.loading'));
  if (l.state === 'error')
    return h(
      'p',
      { class: 'lead warning', role: 'alert' },
      icons.warning(''),
      ctx.tr('ui.error', { code: l.code }),
    );
  return null;
}

const time = (at: number) =>
  new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function decisionsTab(ctx: ScreenContext, rerender: () => void): HTMLElement {
  const b = ctx.bridge;
  if (!decisions && b)
    load(
      ctx,
      rerender,
      () => b.invoke('attendant.decisions', null),
      (l) => (decisions = l),
    );
  const wait = pending(ctx, decisions);
  if (wait || decisions?.state !== 'ok') return h('div', { class: 'tab-body' }, wait);
  const rows = decisions.value;
  if (rows.length === 0)
    return h('div', { class: 'tab-body' }, h('p', { class: 'lead' }, ctx.tr('ui.decisions.none')));
  return h(
    'div',
    { class: 'tab-body' },
    h(
      'table',
      { class: 'decisions', 'data-testid': 'decisions' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            'ui.decisions.time',
            'ui.decisions.outcome',
            'ui.decisions.reason',
            'ui.result.name',
            'ui.result.number',
          ].map((k) => h('th', { scope: 'col' }, ctx.tr(k))),
        ),
      ),
      h(
        'tbody',
        {},
        rows.slice(0, 200).map((r) => {
          const title = ctx.tr(`outcome.${r.outcome}`);
          return h(
            'tr',
            { class: `outcome-${r.outcome}`, 'data-outcome': r.outcome },
            h('td', {}, time(r.at)),
            h(
              'td',
              { class: 'outcome-cell' },
              r.outcome === 'pass'
                ? icons.pass('')
                : r.outcome === 'deny'
                  ? icons.deny('')
                  : icons.review(''),
              title,
            ),
            h('td', {}, ctx.tr(`reason.${r.reason}`)),
            h('td', {}, r.maskedName),
            h('td', {}, r.maskedNumber),
          );
        }),
      ),
    ),
  );
}

function devicesTab(ctx: ScreenContext, rerender: () => void): HTMLElement {
  const b = ctx.bridge;
  if (!health && b)
    load(
      ctx,
      rerender,
      () => b.invoke('attendant.health', null),
      (l) => (health = l),
    );
  const hv = health?.state === 'ok' ? health.value : undefined;
  const test = (d: TestableDevice) => {
    if (!b) return;
    load(
      ctx,
      rerender,
      () => b.invoke('attendant.test', { device: d }),
      (l) => tests.set(d, l),
    );
    rerender();
  };
  const result = (d: TestableDevice) => {
    const l = tests.get(d);
    if (!l) return null;
    if (l.state === 'loading') return h('p', { class: 'test-result', role: 'status' }, ctx.tr('ui.loading'));
    if (l.state === 'error')
      return h(
        'p',
        { class: 'test-result warning', role: 'alert' },
        icons.warning(''),
        ctx.tr('ui.error', { code: l.code }),
      );
    const v = l.value;
    const name = ctx.tr(`device.${d}`);
    const read = v.maskedNumber ?? v.maskedName;
    return h(
      'p',
      {
        class: `test-result ${v.ok ? 'ok' : 'warning'}`,
        'data-test-result': d,
        'data-ok': String(v.ok),
        role: 'status',
      },
      h('span', { class: 'status-mark', 'aria-hidden': 'true' }, v.ok ? '✓' : '✗'),
      v.ok
        ? ctx.tr('ui.test.ok', { device: name, ms: v.ms })
        : ctx.tr('ui.test.fail', { device: name, detail: v.detail ?? '' }),
      read !== undefined
        ? h('span', { class: 'last-read' }, ' · ', ctx.tr('ui.test.lastRead', { value: read }))
        : null,
    );
  };
  return h(
    'div',
    { class: 'tab-body devices-tab' },
    h(
      'div',
      {},
      deviceStatus(ctx),
      pending(ctx, health),
      hv?.sync
        ? h(
            'p',
            { class: 'health-line', 'data-testid': 'sync' },
            ctx.tr('ui.health.sync', { backlog: hv.sync.backlog, lag: Math.round(hv.sync.lagSeconds) }),
          )
        : null,
      hv?.diskAlarm !== undefined
        ? h(
            'p',
            { class: `health-line ${hv.diskAlarm ? 'warning' : ''}`.trim(), 'data-testid': 'disk' },
            h('span', { class: 'status-mark', 'aria-hidden': 'true' }, hv.diskAlarm ? '✗' : '✓'),
            ctx.tr(hv.diskAlarm ? 'ui.health.diskAlarm' : 'ui.health.diskOk'),
          )
        : null,
      hv?.throughputPerMinute !== undefined
        ? h(
            'p',
            { class: 'health-line' },
            ctx.tr('ui.health.throughput', { n: hv.throughputPerMinute.toFixed(1) }),
          )
        : null,
    ),
    h(
      'div',
      { class: 'tests', 'data-testid': 'test-mode' },
      h('h2', {}, icons.test(), ctx.tr('ui.test.heading')),
      h('p', { class: 'test-hint' }, ctx.tr('ui.test.present')),
      h(
        'ul',
        { class: 'test-list' },
        TESTABLE_DEVICES.map((d) =>
          h(
            'li',
            {},
            button(ctx.tr('ui.test.run', { device: ctx.tr(`device.${d}`) }), () => test(d), {
              cls: 'btn-small btn-secondary',
              action: `test-${d}`,
            }),
            result(d),
          ),
        ),
      ),
    ),
  );
}

function profileTab(ctx: ScreenContext, rerender: () => void): HTMLElement {
  const b = ctx.bridge;
  if (!profile && b)
    load(
      ctx,
      rerender,
      () => b.invoke('attendant.profile', null),
      (l) => (profile = l),
    );
  const wait = pending(ctx, profile);
  if (wait || profile?.state !== 'ok') return h('div', { class: 'tab-body' }, wait);
  const p = profile.value;
  const row = (k: string, v: string) => h('div', { class: 'fact' }, h('dt', {}, ctx.tr(k)), h('dd', {}, v));
  return h(
    'div',
    { class: 'tab-body', 'data-testid': 'profile' },
    h(
      'dl',
      { class: 'facts' },
      row('ui.profile.name', p.name),
      row('ui.profile.profile', p.profile),
      row('ui.profile.timeZone', p.timeZone),
    ),
    h('h2', {}, ctx.tr('ui.profile.retention')),
    h('ul', { class: 'retention' }, retentionLines(ctx, p.retention)),
  );
}

function tabs(ctx: ScreenContext, rerender: () => void): HTMLElement {
  const tabButton = (id: Tab, key: string, icon: Node) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        class: tab === id ? 'tab current' : 'tab',
        'aria-selected': tab === id ? 'true' : 'false',
        'data-tab': id,
        onclick: () => {
          tab = id;
          // a tab shown again is fetched again (fresh decisions, fresh health)
          if (id === 'decisions') decisions = undefined;
          if (id === 'devices') health = undefined;
          if (id === 'profile') profile = undefined;
          rerender();
        },
      },
      icon,
      h('span', {}, ctx.tr(key)),
    );
  return h(
    'div',
    { class: 'tabs', role: 'tablist' },
    tabButton('decisions', 'ui.tab.decisions', icons.list()),
    tabButton('devices', 'ui.tab.devices', icons.test()),
    tabButton('profile', 'ui.tab.profile', icons.info()),
  );
}

function console_(ctx: ScreenContext, rerender: () => void): HTMLElement {
  const body =
    tab === 'decisions'
      ? decisionsTab(ctx, rerender)
      : tab === 'devices'
        ? devicesTab(ctx, rerender)
        : profileTab(ctx, rerender);
  return h(
    'div',
    { class: 'console-tabs', 'data-tab': tab },
    summary(ctx),
    tabs(ctx, rerender),
    h('div', { role: 'tabpanel' }, body),
  );
}

/** The last result or the fault, above the tabs. */
function summary(ctx: ScreenContext): HTMLElement {
  const fault = ctx.view.fault?.devices ?? [];
  return h(
    'div',
    { class: 'console' },
    h(
      'div',
      {},
      lastResult(ctx) ??
        (fault.length > 0
          ? h('p', { class: 'lead warning' }, ctx.tr('ui.fault.heading'))
          : h('p', { class: 'lead' }, ctx.tr('ui.attendant.noReview'))),
    ),
  );
}

export function attendantScreen(ctx: ScreenContext, rerender: () => void): HTMLElement {
  const a = ctx.view.attendant;
  return h(
    'section',
    { class: 'screen screen-attendant' },
    h(
      'div',
      { class: 'attendant-head' },
      h('h1', {}, icons.staff(), ctx.tr('ui.attendant.heading')),
      button(
        ctx.tr('ui.attendant.close'),
        () => {
          resetPin();
          ctx.send({ type: 'attendant.close' });
        },
        { cls: 'btn-secondary', action: 'close' },
      ),
    ),
    a?.authenticated ? console_(ctx, rerender) : pinPad(ctx, rerender),
  );
}
