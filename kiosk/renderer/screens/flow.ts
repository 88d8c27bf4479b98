// Reading, face check, result, person-facing review and device fault screens.
import type { ScreenContext } from '../context.ts';
import { button, countdown } from '../context.ts';
import { h } from '../dom.ts';
import { icons } from '../icons.ts';
import { closeButton, deviceStatus, reviewCard } from './attendant.ts';
import type { ChallengeStep } from '../../core/types.ts';

const sourceIcon = {
  'id-card': icons.card,
  mrz: icons.passport,
  wallet: icons.wallet,
  'identity-qr': icons.phoneCode,
} as const;

function cancelButton(ctx: ScreenContext): HTMLElement {
  return button(ctx.tr('ui.cancel'), () => ctx.send({ type: 'person.cancel' }), {
    cls: 'btn-secondary',
    action: 'cancel',
  });
}

function deadline(ctx: ScreenContext): HTMLElement | null {
  const d = ctx.view.deadline;
  return d === undefined ? null : h('p', { class: 'deadline' }, countdown(ctx, ctx.receivedAt + d * 1000));
}

export function readingScreen(ctx: ScreenContext): HTMLElement {
  const source = ctx.view.reading?.source ?? 'id-card';
  return h(
    'section',
    { class: 'screen screen-reading' },
    h('div', { class: 'big-icon' }, sourceIcon[source](), icons.hourglass()),
    h('h1', {}, ctx.tr(`source.${source}`)),
    h('p', { class: 'lead' }, ctx.tr('ui.reading.body')),
    deadline(ctx),
    h('div', { class: 'actions' }, cancelButton(ctx)),
  );
}

const stepIcon: Record<ChallengeStep, () => SVGSVGElement> = {
  'turn-left': icons.arrowLeft,
  'turn-right': icons.arrowRight,
  blink: icons.eye,
};

let previewImg: HTMLImageElement | null = null;

function preview(ctx: ScreenContext): HTMLElement {
  // One element kept across renders so a running MJPEG stream is not restarted on every hint.
  if (!previewImg || previewImg.dataset['src'] !== ctx.previewUrl) {
    previewImg = h('img', { class: 'preview', src: ctx.previewUrl, 'data-src': ctx.previewUrl, alt: '' });
  }
  previewImg.alt = ctx.tr('ui.face.preview');
  return h('div', { class: 'preview-frame' }, previewImg);
}

export function faceScreen(ctx: ScreenContext): HTMLElement {
  const face = ctx.view.face ?? { hint: 'look-at-camera' as const };
  const steps = face.challenge ?? [];
  const current = face.step ?? 0;
  return h(
    'section',
    { class: 'screen screen-face' },
    h(
      'div',
      { class: 'face-grid' },
      preview(ctx),
      h(
        'div',
        { class: 'face-side' },
        h('h1', {}, ctx.tr('ui.face.heading')),
        h(
          'p',
          { class: 'hint', 'data-hint': face.hint, 'aria-live': 'assertive' },
          ctx.tr(`hint.${face.hint}`),
        ),
        steps.length > 0
          ? h(
              'div',
              { class: 'challenge' },
              h(
                'p',
                { class: 'step-count' },
                ctx.tr('ui.face.step', { n: Math.min(current + 1, steps.length), m: steps.length }),
              ),
              h(
                'ol',
                { class: 'steps' },
                steps.map((s, i) =>
                  h(
                    'li',
                    {
                      class: i === current ? 'step current' : i < current ? 'step done' : 'step',
                      'aria-current': i === current ? 'step' : undefined,
                    },
                    stepIcon[s](),
                    h('span', {}, ctx.tr(`hint.${s}`)),
                  ),
                ),
              ),
            )
          : null,
        deadline(ctx),
        h('div', { class: 'actions' }, cancelButton(ctx)),
      ),
    ),
  );
}

export function resultScreen(ctx: ScreenContext): HTMLElement {
  const r = ctx.view.result ?? { outcome: 'deny' as const, reason: 'credential-invalid' as const };
  const title = ctx.tr(`outcome.${r.outcome}`);
  const icon =
    r.outcome === 'pass' ? icons.pass(title) : r.outcome === 'deny' ? icons.deny(title) : icons.review(title);
  const row = (k: string, v: string | undefined, cls = '') =>
    v === undefined
      ? null
      : h('div', { class: `fact ${cls}`.trim() }, h('dt', {}, ctx.tr(k)), h('dd', {}, v));
  return h(
    'section',
    {
      class: `screen screen-result outcome-${r.outcome}`,
      'data-outcome': r.outcome,
      'data-reason': r.reason,
    },
    h('div', { class: 'outcome-banner' }, icon, h('h1', {}, title)),
    h('p', { class: 'lead reason' }, ctx.tr(`reason.${r.reason}`)),
    h(
      'dl',
      { class: 'facts' },
      row('ui.result.name', r.maskedName),
      row('ui.result.number', r.maskedNumber),
      row('ui.result.code', r.displayCode, 'display-code'),
    ),
    h('p', { class: 'next' }, ctx.tr(`ui.result.${r.outcome}.next`)),
    deadline(ctx),
  );
}

export function reviewScreen(ctx: ScreenContext): HTMLElement {
  if (ctx.view.attendant?.authenticated) {
    // The attendant is logged in: the same screen becomes the decision.
    return h(
      'section',
      { class: 'screen screen-attendant screen-review-console' },
      h(
        'div',
        { class: 'attendant-head' },
        h('h1', {}, icons.staff(), ctx.tr('ui.attendant.heading')),
        closeButton(ctx),
      ),
      h('div', { class: 'console' }, reviewCard(ctx), deviceStatus(ctx)),
    );
  }
  const title = ctx.tr('ui.review.heading');
  return h(
    'section',
    { class: 'screen screen-review' },
    h('div', { class: 'outcome-banner outcome-review' }, icons.review(title), h('h1', {}, title)),
    ctx.view.review ? h('p', { class: 'lead reason' }, ctx.tr(`reason.${ctx.view.review.reason}`)) : null,
    h('p', { class: 'next' }, ctx.tr('ui.review.body')),
    deadline(ctx),
  );
}

export function faultScreen(ctx: ScreenContext): HTMLElement {
  const title = ctx.tr('ui.fault.heading');
  const devices = ctx.view.fault?.devices ?? [];
  return h(
    'section',
    { class: 'screen screen-fault' },
    h('div', { class: 'outcome-banner outcome-fault' }, icons.warning(title), h('h1', {}, title)),
    h('p', { class: 'lead' }, ctx.tr('ui.fault.body')),
    h(
      'ul',
      { class: 'fault-list' },
      devices.map((d) =>
        h(
          'li',
          { class: 'fault-item', 'data-device': d },
          icons.plug(),
          h(
            'div',
            {},
            h('strong', {}, `${ctx.tr(`device.${d}`)}: ${ctx.tr(`status.${ctx.view.devices[d] ?? 'lost'}`)}`),
            h('p', {}, ctx.tr(`deviceFix.${d}`)),
          ),
        ),
      ),
    ),
  );
}
