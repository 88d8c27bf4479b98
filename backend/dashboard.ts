// The server-rendered dashboard: per venue check-ins over the last 24 h and decisions, the review queue
// (approve/deny with a reason), terminals online and their sync lag, and (admin) the backend's audit log.
// No script; plain forms. Everything interpolated is escaped.
import type { Actor } from './auth.ts';
import type { ReviewRow, Stats } from './storage/store.ts';

export function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
.bars{display:flex;align-items:flex-end;gap:2px;height:80px;border-bottom:1px solid #999}
.bar{width:12px;background:#3b7}
.on{color:#070}.off{color:#a00}.muted{color:#777}
form.inline{display:inline}
</style></head><body>${body}</body></html>`;

export function renderLogin(error?: string): string {
  return page(
    'eid-kiosk backend — sign in',
    `<h1>eid-kiosk backend</h1>${error ? `<p class="off">${esc(error)}</p>` : ''}
<form method="post" action="/dashboard/login"><label>Access token <input type="password" name="token" autocomplete="off"></label>
<button type="submit">Sign in</button></form>`,
  );
}

function ago(now: number, t: number | null): string {
  if (t === null) return 'never';
  const s = Math.round((now - t) / 1000);
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

export function renderDashboard(d: {
  now: number;
  actor: Actor;
  stats: Stats;
  pending: readonly ReviewRow[];
  log: readonly { time: number; actor: string; action: string; target: string; detail: string }[];
}): string {
  const hourNow = Math.floor(d.now / 3_600_000);
  const venues = d.stats.venues
    .map((v) => {
      const counts = new Map(v.checkinsByHour.map((h) => [h.hour / 3_600_000, h.count]));
      const series = Array.from({ length: 24 }, (_, i) => counts.get(hourNow - 23 + i) ?? 0);
      const max = Math.max(1, ...series);
      const total = series.reduce((a, b) => a + b, 0);
      const bars = series
        .map(
          (n, i) =>
            `<div class="bar" title="${esc(`${23 - i} h ago: ${n}`)}" style="height:${Math.round((n / max) * 100)}%"></div>`,
        )
        .join('');
      const dec = Object.entries(v.decisions)
        .map(([k, n]) => `<td>${esc(k)}</td><td>${n}</td>`)
        .join('</tr><tr>');
      return `<section class="venue" data-venue="${esc(v.venueId)}"><h2>Venue ${esc(v.venueId)}</h2>
<p>Check-ins, last 24 h: <b class="checkins-24h">${total}</b> · pending reviews: <b>${v.pendingReviews}</b></p>
<div class="bars" aria-label="check-ins per hour, last 24 hours">${bars}</div>
<table><tr><th>decision</th><th>count (24 h)</th></tr><tr>${dec || '<td colspan="2" class="muted">none</td>'}</tr></table></section>`;
    })
    .join('');
  const canReview = d.actor.roles.has('review');
  const queue = d.pending.length
    ? `<table class="reviews"><tr><th>when</th><th>venue</th><th>terminal</th><th>reason</th><th>name</th><th>number</th><th>face score</th>${canReview ? '<th>decide</th>' : ''}</tr>${d.pending
        .map(
          (
            r,
          ) => `<tr data-review="${esc(r.id)}"><td>${esc(ago(d.now, r.eventTime))}</td><td>${esc(r.venueId)}</td><td>${esc(r.terminalId)}</td>
<td>${esc(r.reason)}</td><td>${esc(r.maskedName)}</td><td>${esc(r.maskedNumber)}</td><td>${esc(r.faceScore)}</td>${
            canReview
              ? `<td><form class="inline" method="post" action="/dashboard/reviews/${encodeURIComponent(r.id)}">
<input name="reason" required maxlength="500" placeholder="reason">
<button name="decision" value="approve">Approve</button><button name="decision" value="deny">Deny</button></form></td>`
              : ''
          }</tr>`,
        )
        .join('')}</table>`
    : '<p class="muted">No check-in waits for review.</p>';
  const terms = d.stats.terminals
    .map(
      (
        t,
      ) => `<tr data-terminal="${esc(t.id)}"><td>${esc(t.id)}</td><td>${esc(t.label)}</td><td>${esc(t.venueId)}</td>
<td class="${t.online ? 'on' : 'off'}">${t.revoked ? 'revoked' : t.online ? 'online' : 'offline'}</td><td>${t.headSeq}</td>
<td>${esc(ago(d.now, t.lastIngest))}</td><td>${t.lagMs === null ? '—' : `${Math.round(t.lagMs / 1000)} s`}</td></tr>`,
    )
    .join('');
  const log = d.log.length
    ? `<h2>Backend audit log</h2><table><tr><th>when</th><th>who</th><th>action</th><th>target</th><th>detail</th></tr>${d.log
        .map(
          (l) =>
            `<tr><td>${esc(new Date(l.time).toISOString())}</td><td>${esc(l.actor)}</td><td>${esc(l.action)}</td><td>${esc(l.target)}</td><td>${esc(l.detail)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  return page(
    'eid-kiosk backend',
    `<h1>eid-kiosk backend</h1><p class="muted">Signed in as ${esc(d.actor.name)} · ${esc(new Date(d.now).toISOString())}</p>
${venues || '<p class="muted">No venue yet.</p>'}
<h2>Review queue</h2>${queue}
<h2>Terminals</h2><table class="terminals"><tr><th>terminal</th><th>label</th><th>venue</th><th>status</th><th>last seq</th><th>last sync</th><th>sync lag</th></tr>${terms}</table>
${log}`,
  );
}
