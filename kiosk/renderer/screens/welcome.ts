// Welcome: the rotating wallet QR and the three other ways in, each with a pictogram and a sentence.
import QRCode from 'qrcode';
import type { ScreenContext } from '../context.ts';
import { countdown } from '../context.ts';
import { h, svgFromString } from '../dom.ts';
import { icons } from '../icons.ts';
import { hasKey } from '../../shared/i18n/index.ts';

const qrCache = new Map<string, string>();

function qrBox(ctx: ScreenContext): HTMLElement {
  const qr = ctx.view.walletQr;
  const box = h('div', { class: 'qr-box', 'data-testid': 'wallet-qr' });
  // No QR, or the wallet side says it cannot show one now (empty uri / already expired).
  if (!qr || qr.uri === '' || qr.expiresAt <= Date.now()) {
    box.append(h('p', { class: 'qr-missing' }, ctx.tr('ui.qr.unavailable')));
    return box;
  }
  const label = ctx.tr('ui.way.wallet');
  const place = (markup: string) => box.prepend(svgFromString(markup, 'qr', label));
  const cached = qrCache.get(qr.uri);
  if (cached) place(cached);
  else
    void QRCode.toString(qr.uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then((markup) => {
      qrCache.clear();
      qrCache.set(qr.uri, markup);
      if (box.isConnected) place(markup);
    });
  box.append(h('p', { class: 'qr-refresh' }, ctx.tr('ui.qr.refresh'), ' · ', countdown(ctx, qr.expiresAt)));
  return box;
}

/** "decisions (on this kiosk): kept 60 days" for each retention rule. */
export function retentionLines(
  ctx: ScreenContext,
  rules: NonNullable<ScreenContext['consent']>['retention'],
) {
  return rules.map((r) =>
    h(
      'li',
      { 'data-record': r.record, 'data-days': r.days },
      ctx.tr(r.days === 0 ? 'ui.consent.keptZero' : 'ui.consent.kept', {
        record: hasKey('en', `ui.record.${r.record}`) ? ctx.tr(`ui.record.${r.record}`) : r.record,
        where: ctx.tr(`ui.where.${r.where}`),
        n: r.days,
      }),
    ),
  );
}

/** What is read, why and how long it is kept: shown before anything is read. */
function consentPanel(ctx: ScreenContext): HTMLElement | null {
  const c = ctx.consent;
  if (!c) return null;
  return h(
    'section',
    { class: 'consent', 'data-testid': 'consent', lang: c.language, 'aria-labelledby': 'consent-heading' },
    h('h2', { id: 'consent-heading' }, icons.info(), ctx.tr('ui.consent.heading')),
    h('p', { class: 'consent-text' }, c.text),
    c.retention.length > 0 ? h('ul', { class: 'retention' }, retentionLines(ctx, c.retention)) : null,
  );
}

export function welcomeScreen(ctx: ScreenContext): HTMLElement {
  const way = (icon: Node, key: string, id: string) =>
    h('li', { class: 'way', 'data-way': id }, icon, h('span', { class: 'way-text' }, ctx.tr(key)));
  return h(
    'section',
    { class: ctx.consent ? 'screen screen-welcome with-consent' : 'screen screen-welcome' },
    h('h1', {}, ctx.tr('ui.welcome.heading')),
    h(
      'div',
      { class: 'welcome-grid' },
      h(
        'div',
        { class: 'ways' },
        h('p', { class: 'lead' }, ctx.tr('ui.welcome.sub')),
        h(
          'ol',
          { class: 'way-list' },
          way(icons.card(), 'ui.way.card', 'id-card'),
          way(icons.passport(), 'ui.way.passport', 'mrz'),
          way(icons.phoneCode(), 'ui.way.code', 'identity-qr'),
        ),
      ),
      h(
        'div',
        { class: 'wallet' },
        h(
          'p',
          { class: 'way wallet-title' },
          icons.wallet(),
          h('span', { class: 'way-text' }, ctx.tr('ui.way.wallet')),
        ),
        qrBox(ctx),
      ),
    ),
    consentPanel(ctx),
  );
}
