// The attendant console: a PIN pad (with the lockout countdown), then the pending review and device status.
import type { ScreenContext } from '../context.ts';
import { button, countdown } from '../context.ts';
import { h } from '../dom.ts';
import { icons } from '../icons.ts';
import { DEVICE_NAMES } from '../../shared/contract.ts';

let pin = '';
const MAX_PIN = 12;
/** While a PIN is being checked (the machine ignores another one meanwhile): the console state it was sent in. */
let checking: { key: string; since: number } | undefined;

/** Forget a half-typed PIN (called whenever the console is left). */
export function resetPin(): void {
  pin = '';
  checking = undefined;
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
  const decide = (outcome: 'pass' | 'deny') =>
    ctx.send({
      type: 'attendant.decide',
      outcome,
      reason: outcome === 'pass' ? 'attendant-approved' : 'attendant-denied',
    });
  return h(
    'div',
    { class: 'review-card', 'data-testid': 'review-card' },
    h('h2', {}, ctx.tr('ui.attendant.review')),
    h('p', { class: 'lead reason' }, ctx.tr(`reason.${r.reason}`)),
    facts(ctx, r.maskedName, r.maskedNumber, r.faceScore),
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

function console_(ctx: ScreenContext): HTMLElement {
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
    deviceStatus(ctx),
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
    a?.authenticated ? console_(ctx) : pinPad(ctx, rerender),
  );
}
