// The backend over real HTTP on 127.0.0.1, the same suite against SQLite and PostgreSQL (its own schema per
// run): enrolment, ingest rules (replay, gap, fork, forged signature), bad input to every endpoint, review
// flow over the kiosk channel, unsealing, retention, concurrent instances on one database.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../../kiosk/audit/store.ts';
import type { AuditStore } from '../../../kiosk/audit/store.ts';
import type { StoredEvent } from '../../../kiosk/audit/event.ts';
import { loadOrCreateTerminalIdentity } from '../../../kiosk/audit/identity.ts';
import { b64u } from '../../../kiosk/audit/crypto.ts';
import { signEvent } from '../../../kiosk/audit/chain.ts';
import { createBackendClient } from '../../../kiosk/sync/client.ts';
import { createSyncer } from '../../../kiosk/sync/syncer.ts';
import { connectKioskChannel } from '../../../kiosk/sync/channel.ts';
import { enrolTerminal } from '../../../kiosk/sync/enrol.ts';
import { enrolSigningInput } from '../../../kiosk/sync/request-signing.ts';
import {
  ADMIN_TOKEN,
  STORAGES,
  UNSEAL_TOKEN,
  VIEW_TOKEN,
  decision,
  enrolledKiosk,
  enrolmentCode,
  review,
  startBackend,
  tempDir,
  waitFor,
} from './harness.ts';
import type { Rig } from './harness.ts';

async function api(rig: Rig, method: string, path: string, token?: string, body?: unknown, raw?: string) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(rig.url + path, {
    method,
    headers,
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    redirect: 'manual',
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, body: json, text };
}

async function eventCount(rig: Rig): Promise<number> {
  const r = await rig.app.backend.storage.driver.query<{ n: number }>('SELECT COUNT(*) AS n FROM events');
  return Number(r[0]?.n ?? 0);
}

function ingest(store: AuditStore, rig: Rig, events: readonly StoredEvent[], terminalId = store.terminalId) {
  const c = createBackendClient({ backendUrl: rig.url, identity: store.identity });
  return c.request<Record<string, unknown>>('POST', '/v1/ingest', { terminalId, events });
}

describe.each(STORAGES)('backend on %s', (kind) => {
  let rig: Rig;
  const cleanup: (() => void | Promise<void>)[] = [];
  beforeAll(async () => {
    rig = await startBackend(kind, { bodyLimit: 256 * 1024, maxBatchEvents: 100 });
  });
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
    await rig.close();
  });
  async function kiosk(o: Parameters<typeof enrolledKiosk>[1] = {}, venue = 'venue-a') {
    const k = await enrolledKiosk(rig.url, o, venue);
    cleanup.push(() => {
      k.store.close();
      rmSync(k.dir, { recursive: true, force: true });
    });
    return k;
  }

  it('enrols with a one-time code, proof of key possession required', async () => {
    const dir = tempDir();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const id = loadOrCreateTerminalIdentity(join(dir, 'k'));
    const code = await enrolmentCode(rig.url, 'venue-e');
    // a signature by another key does not count
    const other = loadOrCreateTerminalIdentity(join(dir, 'k2'));
    const forged = await api(rig, 'POST', '/v1/enrol', undefined, {
      code,
      publicKey: id.publicKey,
      sig: b64u(other.sign(enrolSigningInput(code.replace('-', ''), id.publicKey))),
    });
    expect(forged.status).toBe(401);
    const e = await enrolTerminal({ backendUrl: rig.url, identity: id, code: code.toLowerCase() });
    expect(e).toMatchObject({
      terminalId: id.terminalId,
      venueId: 'venue-e',
      sealPublicKey: rig.app.backend.sealPublicKey,
    });
    // the code is spent
    await expect(enrolTerminal({ backendUrl: rig.url, identity: other, code })).rejects.toThrow(
      /403 E_BACKEND_CODE_INVALID/,
    );
    // the same key twice
    await expect(
      enrolTerminal({ backendUrl: rig.url, identity: id, code: await enrolmentCode(rig.url, 'venue-e') }),
    ).rejects.toThrow(/409 E_BACKEND_CONFLICT/);
    // codes need the enrol role
    expect((await api(rig, 'POST', '/v1/admin/enrolment-codes', VIEW_TOKEN, { venueId: 'x' })).status).toBe(
      403,
    );
    expect((await api(rig, 'POST', '/v1/admin/enrolment-codes', undefined, { venueId: 'x' })).status).toBe(
      401,
    );
  });

  it('acknowledges a replayed batch with the same ack and stores it once', async () => {
    const k = await kiosk();
    for (let i = 0; i < 5; i++) k.store.append(decision());
    const evs = k.store.events();
    const before = await eventCount(rig);
    const a = await ingest(k.store, rig, evs);
    const b = await ingest(k.store, rig, evs);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body).toMatchObject({ ackedSeq: 5, ackedHash: evs[4]!.hash, stored: 5, duplicate: false });
    expect(b.body).toMatchObject({ ackedSeq: 5, ackedHash: evs[4]!.hash, stored: 0, duplicate: true });
    expect(b.body.batchId).toBe(a.body.batchId);
    // an overlapping batch stores only the new part
    k.store.append(decision());
    const c = await ingest(k.store, rig, k.store.events(4));
    expect(c.body).toMatchObject({ ackedSeq: 6, stored: 1, duplicate: false });
    expect((await eventCount(rig)) - before).toBe(6);
  });

  it('answers a gap, a fork, a forged signature and a broken batch with distinct codes, storing nothing', async () => {
    const k = await kiosk();
    for (let i = 0; i < 6; i++) k.store.append(decision());
    const evs = k.store.events();
    const before = await eventCount(rig);

    const gap = await ingest(k.store, rig, evs.slice(2, 4));
    expect(gap.status).toBe(409);
    expect(gap.body).toMatchObject({ code: 'E_INGEST_GAP', expectedSeq: 1 });

    // forged: content changed after signing
    const tampered = evs
      .slice(0, 2)
      .map((e, i) =>
        i === 1 ? { ...e, body: { ...e.body, decision: { outcome: 'deny', reason: 'banned' } } } : e,
      ) as StoredEvent[];
    const forged = await ingest(k.store, rig, tampered);
    expect(forged.status).toBe(422);
    expect(forged.body).toMatchObject({ code: 'E_INGEST_BAD_SIGNATURE', seq: 2, fault: 'bad-hash' });
    // forged: re-hashed and signed by another key
    const thief = loadOrCreateTerminalIdentity(join(k.dir, 'thief'));
    const resigned = [signEvent({ ...evs[0]!, body: { ...evs[0]!.body, note: 'x' } }, thief.sign)];
    const forged2 = await ingest(k.store, rig, resigned);
    expect(forged2.body).toMatchObject({ code: 'E_INGEST_BAD_SIGNATURE', fault: 'bad-signature' });

    const broken = await ingest(k.store, rig, [evs[0]!, evs[2]!]);
    expect(broken.status).toBe(422);
    expect(broken.body.code).toBe('E_INGEST_NOT_CONTIGUOUS');
    expect(await eventCount(rig)).toBe(before);

    expect((await ingest(k.store, rig, evs.slice(0, 6))).status).toBe(200);
    // a fork: a twin store with the same key and the same six events (a cloned disk), then each writes its
    // own seq 7; the twin's reaches the backend first, so the original's seq 7 conflicts
    const forkDir = tempDir();
    cleanup.push(() => rmSync(forkDir, { recursive: true, force: true }));
    k.store.close();
    cpSync(k.dir, forkDir, { recursive: true });
    const open = (dir: string) =>
      openAuditStore({
        path: join(dir, 'audit.sqlite'),
        keyDir: join(dir, 'keys'),
        venueSecret: 'venue-secret-for-tests-0001',
      });
    const twin = open(forkDir);
    const original = open(k.dir);
    cleanup.push(() => twin.close());
    cleanup.push(() => original.close());
    const twin7 = twin.append({ type: 'device.ready', device: 'camera' });
    const orig7 = original.append({ type: 'device.lost', device: 'camera', required: true, at: Date.now() });
    expect(twin7.seq).toBe(7);
    expect(orig7.seq).toBe(7);
    expect((await ingest(twin, rig, [twin7])).status).toBe(200);
    const fork = await ingest(original, rig, [orig7]);
    expect(fork.status).toBe(409);
    expect(fork.body).toMatchObject({ code: 'E_INGEST_FORK', seq: 7 });
    // replaying the original 4..7 over the stored chain is a fork at 7 as well
    const fork2 = await ingest(original, rig, original.events(4));
    expect(fork2.body).toMatchObject({ code: 'E_INGEST_FORK', seq: 7 });
    // and a batch whose first event links to another hash than the stored head is a fork
    const orig8 = original.append({ type: 'device.ready', device: 'camera' });
    const fork3 = await ingest(original, rig, [orig8]);
    expect(fork3.body).toMatchObject({ code: 'E_INGEST_FORK', seq: 8 });
    expect(await eventCount(rig)).toBe(before + 7);
  });

  it('answers bad input to every endpoint with a clear 4xx and stores nothing', async () => {
    const k = await kiosk();
    k.store.append(decision());
    const evs = k.store.events();
    const before = await eventCount(rig);
    const c = createBackendClient({ backendUrl: rig.url, identity: k.store.identity });
    // ingest
    expect(
      (await c.request('POST', '/v1/ingest', { terminalId: k.store.terminalId, events: 'no' })).status,
    ).toBe(400);
    expect(
      (await c.request('POST', '/v1/ingest', { terminalId: k.store.terminalId, events: [] })).status,
    ).toBe(400);
    const wrongType = await c.request('POST', '/v1/ingest', {
      terminalId: k.store.terminalId,
      events: [{ ...evs[0]!, seq: '1' }],
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.code).toBe('E_BACKEND_BAD_REQUEST');
    const extraKey = await c.request('POST', '/v1/ingest', {
      terminalId: k.store.terminalId,
      events: evs,
      x: 1,
    });
    expect(extraKey.status).toBe(400);
    const big = await c.request('POST', '/v1/ingest', {
      terminalId: k.store.terminalId,
      events: [{ ...evs[0]!, body: { pad: 'x'.repeat(300 * 1024) } }],
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('E_BACKEND_TOO_LARGE');
    const tooMany = await c.request('POST', '/v1/ingest', {
      terminalId: k.store.terminalId,
      events: Array.from({ length: 101 }, () => evs[0]!),
    });
    expect(tooMany.status).toBe(413);
    const others = await c.request('POST', '/v1/ingest', { terminalId: 't_someone_else', events: evs });
    expect(others.status).toBe(403);
    // unsigned, unknown terminal, bad signature
    expect((await api(rig, 'POST', '/v1/ingest', undefined, { terminalId: 'x', events: evs })).status).toBe(
      401,
    );
    const stranger = loadOrCreateTerminalIdentity(join(k.dir, 'stranger'));
    const u = await createBackendClient({ backendUrl: rig.url, identity: stranger }).request(
      'POST',
      '/v1/ingest',
      {
        terminalId: stranger.terminalId,
        events: evs,
      },
    );
    expect(u.status).toBe(401);
    expect(u.body.code).toBe('E_BACKEND_UNKNOWN_TERMINAL');
    const res = await fetch(rig.url + '/v1/ingest', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-eid-terminal': k.store.terminalId,
        'x-eid-time': String(Date.now()),
        'x-eid-signature': b64u(Buffer.alloc(64)),
      },
      body: JSON.stringify({ terminalId: k.store.terminalId, events: evs }),
    });
    expect(res.status).toBe(401);
    // not JSON
    expect((await api(rig, 'POST', '/v1/enrol', undefined, undefined, '{nope')).status).toBe(400);
    expect((await api(rig, 'POST', '/v1/enrol', undefined, { code: 123 })).status).toBe(400);
    expect(
      (await api(rig, 'POST', '/v1/enrol', undefined, { code: 'ABCDE-FGHJK', publicKey: 'short', sig: 'x' }))
        .status,
    ).toBe(400);
    // admin endpoints
    expect(
      (await api(rig, 'POST', '/v1/admin/enrolment-codes', ADMIN_TOKEN, { venueId: 'bad venue!' })).status,
    ).toBe(400);
    expect(
      (await api(rig, 'POST', '/v1/admin/enrolment-codes', ADMIN_TOKEN, { venueId: 'v', ttlSeconds: 'long' }))
        .status,
    ).toBe(400);
    expect(
      (
        await api(rig, 'PUT', '/v1/admin/venues', ADMIN_TOKEN, {
          id: 'v',
          name: 'V',
          eventKeepDays: -1,
          sealedKeepDays: 1,
        })
      ).status,
    ).toBe(400);
    expect((await api(rig, 'POST', '/v1/admin/terminals/nope/revoke', ADMIN_TOKEN)).status).toBe(404);
    expect((await api(rig, 'POST', '/v1/admin/terminals/nope/revoke', VIEW_TOKEN)).status).toBe(403);
    // queries
    expect((await api(rig, 'GET', '/v1/events?limit=abc', VIEW_TOKEN)).status).toBe(400);
    expect((await api(rig, 'GET', '/v1/events?limit=5000', VIEW_TOKEN)).status).toBe(400);
    expect((await api(rig, 'GET', '/v1/events?sneaky=1', VIEW_TOKEN)).status).toBe(400);
    expect((await api(rig, 'GET', '/v1/reviews?status=maybe', VIEW_TOKEN)).status).toBe(400);
    expect((await api(rig, 'GET', '/v1/events', 'wrong-token-0123456789abcdef')).status).toBe(401);
    expect(
      (await api(rig, 'POST', '/v1/reviews/x/decision', ADMIN_TOKEN, { approve: 'yes', reason: 'r' })).status,
    ).toBe(400);
    expect(
      (await api(rig, 'POST', '/v1/reviews/x/decision', ADMIN_TOKEN, { approve: true, reason: 'r' })).status,
    ).toBe(404);
    expect(
      (await api(rig, 'POST', '/v1/unseal', UNSEAL_TOKEN, { terminalId: 'x', seq: -1, purpose: 'p' })).status,
    ).toBe(400);
    expect(
      (await api(rig, 'POST', '/v1/unseal', ADMIN_TOKEN, { terminalId: 'x', seq: 1, purpose: 'audit' }))
        .status,
    ).toBe(403);
    expect((await api(rig, 'GET', '/v1/terminal/reviews')).status).toBe(401);
    expect((await api(rig, 'GET', '/nowhere')).status).toBe(404);
    expect((await api(rig, 'GET', '/v1/terminal/state')).status).toBe(401);
    expect((await c.request('POST', '/v1/terminal/reviews/x/decision', { approve: 1 })).status).toBe(400);
    expect(
      (await c.request('POST', '/v1/terminal/reviews/x/decision', { approve: true, reason: 'r' })).status,
    ).toBe(404);
    expect((await c.request('GET', '/v1/terminal/state')).status).toBe(200);
    const form = await fetch(rig.url + '/dashboard/reviews/x', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'decision=maybe&reason=',
    });
    expect(form.status).toBe(400);
    const xml = await fetch(rig.url + '/v1/enrol', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<a/>',
    });
    expect(xml.status).toBe(415);
    expect(await eventCount(rig)).toBe(before);
  });

  it('puts a review in the queue, pushes the decision to the kiosk over the channel, audits it', async () => {
    const k = await kiosk();
    const got: unknown[] = [];
    const ch = connectKioskChannel({
      url: rig.url,
      identity: k.store.identity,
      onMessage: (m) => got.push(m),
    });
    cleanup.push(() => ch.close());
    const r = k.store.append(review());
    k.store.append(decision());
    const s = createSyncer({
      store: k.store,
      backendUrl: rig.url,
      batchMaxAgeMs: 10,
      housekeepingMs: 60_000,
    });
    s.start();
    await s.flush();
    await s.stop();
    const list = await api(rig, 'GET', `/v1/reviews?status=pending&venueId=venue-a`, VIEW_TOKEN);
    const item = (
      list.body.reviews as { id: string; checkInId: string; maskedNumber: string; faceScore: string }[]
    ).find((x) => x.checkInId === r.body.checkInId);
    expect(item).toMatchObject({ maskedNumber: '1101**********002X', faceScore: '0.310000' });
    // the kiosk's attendant console sees it too (signed query)
    const term = await createBackendClient({ backendUrl: rig.url, identity: k.store.identity }).request<{
      reviews: { id: string }[];
    }>('GET', '/v1/terminal/reviews');
    expect(term.body.reviews.map((x) => x.id)).toContain(item!.id);
    await waitFor(() => ch.state() === 'ready', 5000, 'channel ready');
    const id = encodeURIComponent(item!.id);
    expect(
      (
        await api(rig, 'POST', `/v1/reviews/${id}/decision`, VIEW_TOKEN, {
          approve: true,
          reason: 'looks right',
        })
      ).status,
    ).toBe(403);
    const ok = await api(rig, 'POST', `/v1/reviews/${id}/decision`, ADMIN_TOKEN, {
      approve: true,
      reason: 'matches photo',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.review).toMatchObject({
      status: 'approved',
      decidedBy: 'alice-admin',
      decisionReason: 'matches photo',
    });
    await waitFor(() => got.length > 0, 5000, 'review decision on the channel');
    expect(got[0]).toMatchObject({
      type: 'review.decision',
      checkInId: r.body.checkInId,
      approved: true,
      reason: 'matches photo',
    });
    expect(
      (await api(rig, 'POST', `/v1/reviews/${id}/decision`, ADMIN_TOKEN, { approve: false, reason: 'again' }))
        .status,
    ).toBe(409);
    const log = await api(rig, 'GET', '/v1/audit-log', ADMIN_TOKEN);
    expect(log.body.entries).toContainEqual(
      expect.objectContaining({ actor: 'alice-admin', action: 'review.approve', target: item!.id }),
    );
    // the kiosk records the decision in its own chain, which syncs
    const resolved = k.store.append({
      type: 'review.resolved',
      checkInId: r.body.checkInId!,
      approved: true,
      reason: 'matches photo',
      by: 'backend',
      reviewId: item!.id,
    });
    expect((await ingest(k.store, rig, k.store.events(resolved.seq))).status).toBe(200);
  });

  it('a review decided at the kiosk closes the queue item', async () => {
    const k = await kiosk();
    const input = review();
    const r = k.store.append(input);
    const other = k.store.append(review());
    k.store.append({
      type: 'attendant.decision',
      at: Date.now(),
      seq: input.seq, // the same check-in
      outcome: 'pass',
      reason: 'attendant-approved',
      stage: 'reviewing',
      document: input.document,
    });
    expect((await ingest(k.store, rig, k.store.events())).status).toBe(200);
    const row = await rig.app.backend.storage.getReview(`${k.store.terminalId}:${r.body.checkInId}`);
    expect(row).toMatchObject({ status: 'resolved-at-kiosk', decisionReason: 'attendant-approved' });
    expect(row?.decidedBy).toMatch(/:approved$/);
    const untouched = await rig.app.backend.storage.getReview(
      `${k.store.terminalId}:${other.body.checkInId}`,
    );
    expect(untouched?.status).toBe('pending');
  });

  it('renders the dashboard behind a login and takes decisions from its form', async () => {
    const k = await kiosk({}, 'venue-dash');
    const r = k.store.append(review());
    for (let i = 0; i < 3; i++) k.store.append(decision());
    expect((await ingest(k.store, rig, k.store.events())).status).toBe(200);
    const anon = await api(rig, 'GET', '/dashboard');
    expect(anon.status).toBe(303);
    const login = await fetch(rig.url + '/dashboard/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${ADMIN_TOKEN}`,
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^eid_dash=/);
    const bad = await fetch(rig.url + '/dashboard/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=guess',
      redirect: 'manual',
    });
    expect(bad.status).toBe(401);
    const html = await (await fetch(rig.url + '/dashboard', { headers: { cookie } })).text();
    expect(html).toContain('data-venue="venue-dash"');
    expect(html).toMatch(
      /data-venue="venue-dash"><h2>[^<]*<\/h2>\s*<p>Check-ins, last 24 h: <b class="checkins-24h">3<\/b>/,
    );
    const reviewId = `${k.store.terminalId}:${r.body.checkInId}`;
    expect(html).toContain(`data-review="${reviewId}"`);
    expect(html).toContain(`data-terminal="${k.store.terminalId}"`);
    expect(html).not.toContain('11010519491231002X');
    const post = await fetch(rig.url + `/dashboard/reviews/${encodeURIComponent(reviewId)}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=deny&reason=' + encodeURIComponent('not the holder'),
      redirect: 'manual',
    });
    expect(post.status).toBe(303);
    expect(await rig.app.backend.storage.getReview(reviewId)).toMatchObject({
      status: 'denied',
      decisionReason: 'not the holder',
    });
  });

  it('unseals personal data only for the unseal role, and audits it', async () => {
    const k = await kiosk({ sealFields: ['documentNumber', 'name', 'birthDate'] });
    const e = k.store.append(decision());
    expect((await ingest(k.store, rig, [e])).status).toBe(200);
    const body = { terminalId: k.store.terminalId, seq: e.seq, purpose: 'police request 2026-117' };
    expect((await api(rig, 'POST', '/v1/unseal', ADMIN_TOKEN, body)).status).toBe(403);
    expect((await api(rig, 'POST', '/v1/unseal', VIEW_TOKEN, body)).status).toBe(403);
    const ok = await api(rig, 'POST', '/v1/unseal', UNSEAL_TOKEN, body);
    expect(ok.status).toBe(200);
    expect(ok.body.fields).toEqual({
      documentNumber: '11010519491231002X',
      name: '张三',
      birthDate: '1949-12-31',
    });
    const log = await rig.app.backend.storage.auditLog(50);
    expect(log).toContainEqual(
      expect.objectContaining({
        actor: 'uma-dpo',
        action: 'unseal',
        target: `${k.store.terminalId}:${e.seq}`,
        detail: 'police request 2026-117',
      }),
    );
    // the plaintext is nowhere in the stored event
    const stored = await api(rig, 'GET', `/v1/events?terminalId=${k.store.terminalId}`, VIEW_TOKEN);
    expect(JSON.stringify(stored.body)).not.toContain('11010519491231002X');
  });

  it('revokes a terminal: ingest refused, channel closed, syncer stops as revoked', async () => {
    const k = await kiosk();
    k.store.append(decision());
    const states: string[] = [];
    const ch = connectKioskChannel({
      url: rig.url,
      identity: k.store.identity,
      onMessage: () => undefined,
      onState: (s) => states.push(s),
    });
    cleanup.push(() => ch.close());
    await waitFor(() => ch.state() === 'ready', 5000, 'channel ready');
    expect(
      (await api(rig, 'POST', `/v1/admin/terminals/${k.store.terminalId}/revoke`, ADMIN_TOKEN)).status,
    ).toBe(200);
    await waitFor(() => states.includes('revoked'), 5000, 'channel closed as revoked');
    const r = await ingest(k.store, rig, k.store.events());
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('E_BACKEND_TERMINAL_REVOKED');
    const s = createSyncer({ store: k.store, backendUrl: rig.url, batchMaxAgeMs: 10 });
    s.start();
    await s.flush();
    await waitFor(() => s.status().state === 'revoked', 5000, 'syncer revoked');
    expect(s.status()).toMatchObject({ state: 'revoked', backlog: 1, lastError: { code: 'E_SYNC_REVOKED' } });
    expect(s.status().alarms).toContain('revoked');
    await s.stop();
  });

  it('refuses a channel whose challenge is signed by another key', async () => {
    const k = await kiosk();
    const ws = new WebSocket(rig.url.replace('http', 'ws') + '/v1/channel');
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string; nonce: string };
      if (m.type === 'challenge') {
        const thief = loadOrCreateTerminalIdentity(join(k.dir, 'thief2'));
        ws.send(
          JSON.stringify({
            type: 'auth',
            terminalId: k.store.terminalId,
            sig: b64u(thief.sign(Buffer.from(m.nonce))),
          }),
        );
      }
    });
    expect(await closed).toBe(4401);
  });

  it('lets a plugin authenticate terminals and push to them (how the wallet verifier is mounted)', async () => {
    const own = await startBackend(kind, {
      register: async (app) => {
        // like the verifier: its own form parser in an encapsulated scope must not clash with the dashboard's
        await app.register(async (scope) => {
          scope.addContentTypeParser(
            'application/x-www-form-urlencoded',
            { parseAs: 'string' },
            (_r, b, done) => done(null, { form: b }),
          );
          scope.post('/plugin/form', async (req) => req.body);
        });
        app.post('/plugin/hello', async (req, reply) => {
          const terminalId = await app.backend.authenticateTerminal(req);
          if (!terminalId) return reply.code(401).send({ error: 'unauthorized' });
          await app.kioskChannel.send(terminalId, { type: 'wallet.result', body: req.body });
          return { terminalId };
        });
      },
    });
    cleanup.push(() => own.close());
    const k = await enrolledKiosk(own.url);
    cleanup.push(() => k.store.close());
    const got: unknown[] = [];
    const ch = connectKioskChannel({
      url: own.url,
      identity: k.store.identity,
      onMessage: (m) => got.push(m),
    });
    cleanup.push(() => ch.close());
    await waitFor(() => ch.state() === 'ready', 5000, 'ready');
    const c = createBackendClient({ backendUrl: own.url, identity: k.store.identity });
    const r = await c.request('POST', '/plugin/hello', { ok: 1 });
    expect(r).toMatchObject({ status: 200, body: { terminalId: k.store.terminalId } });
    await waitFor(() => got.length === 1, 5000, 'pushed');
    expect(got[0]).toEqual({ type: 'wallet.result', body: { ok: 1 } });
    expect((await api(own, 'POST', '/plugin/hello', undefined, { ok: 1 })).status).toBe(401);
    const form = await fetch(own.url + '/plugin/form', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'vp_token=x',
    });
    expect(await form.json()).toEqual({ form: 'vp_token=x' });
  });

  it('survives randomly mutated ingest bodies: never a 5xx, never a stored forgery', async () => {
    const k = await kiosk();
    for (let i = 0; i < 4; i++) k.store.append(decision());
    const good = JSON.stringify({ terminalId: k.store.terminalId, events: k.store.events() });
    const c = createBackendClient({ backendUrl: rig.url, identity: k.store.identity });
    const before = await eventCount(rig);
    let seed = 20261123;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const statuses = new Map<number, number>();
    for (let i = 0; i < 150; i++) {
      const chars = [...good];
      for (let m = 0; m <= rnd(4); m++) chars[rnd(chars.length)] = '{}[]",:0aZ-_. 9'[rnd(15)]!;
      const text = chars.join('');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const r =
        body === undefined
          ? await fetch(rig.url + '/v1/ingest', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: text,
            })
          : await c.request('POST', '/v1/ingest', body).then((x) => ({ status: x.status }));
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect(r.status, text.slice(0, 200)).toBeLessThan(500);
      if (r.status === 200) {
        // only an unchanged batch (or a change outside the signed content) can be accepted
        const stored = await rig.app.backend.storage.events({ terminalId: k.store.terminalId, limit: 10 });
        expect(stored.map((e) => e.hash)).toEqual(
          k.store
            .events()
            .slice(0, stored.length)
            .map((e) => e.hash),
        );
      }
    }
    expect((await eventCount(rig)) - before).toBeLessThanOrEqual(4);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  });

  it('closes a channel that does not authenticate in time or sends garbage', async () => {
    const own = await startBackend(kind, { channelAuthTimeoutMs: 200 });
    cleanup.push(() => own.close());
    const silent = new WebSocket(own.url.replace('http', 'ws') + '/v1/channel');
    const code1 = await new Promise<number>((resolve) => silent.on('close', (c) => resolve(c)));
    expect(code1).toBe(4401);
    const rude = new WebSocket(own.url.replace('http', 'ws') + '/v1/channel');
    rude.on('open', () => rude.send('not json'));
    const code2 = await new Promise<number>((resolve) => rude.on('close', (c) => resolve(c)));
    expect(code2).toBe(4400);
    expect(own.app.kioskChannel.connectedHere()).toEqual([]);
  });

  it('purges sealed personal data when the venue keep time is up; the chain still verifies', async () => {
    let now = Date.now();
    const own = await startBackend(kind, { now: () => now });
    cleanup.push(() => own.close());
    await api(own, 'PUT', '/v1/admin/venues', ADMIN_TOKEN, {
      id: 'hotel',
      name: 'Hotel',
      eventKeepDays: 30,
      sealedKeepDays: 2,
    });
    const k = await enrolledKiosk(own.url, { sealFields: ['documentNumber'] }, 'hotel');
    cleanup.push(() => k.store.close());
    const e = k.store.append(decision('pass', now));
    expect((await ingest(k.store, own, [e])).status).toBe(200);
    const body = { terminalId: k.store.terminalId, seq: e.seq, purpose: 'guest registry' };
    expect((await api(own, 'POST', '/v1/unseal', UNSEAL_TOKEN, body)).status).toBe(200);
    now += 1 * 86_400_000;
    expect(await own.app.backend.purge()).toEqual({ sealed: 0, events: 0 });
    now += 2 * 86_400_000;
    expect(await own.app.backend.purge()).toEqual({ sealed: 1, events: 0 });
    expect((await api(own, 'POST', '/v1/unseal', UNSEAL_TOKEN, body)).status).toBe(404);
    now += 30 * 86_400_000;
    const p = await own.app.backend.purge();
    expect(p.events).toBe(1);
    const t = await own.app.backend.storage.getTerminal(k.store.terminalId);
    expect(t?.headSeq).toBe(1);
  });

  it('stores each event once when two instances on one database get the same batches at once', async () => {
    const second = await startBackend(kind, {}, { dir: rig.dir, opts: rig.backendOpts, schema: rig.schema });
    cleanup.push(() => second.close());
    const k = await kiosk();
    for (let i = 0; i < 60; i++) k.store.append(decision());
    const evs = k.store.events();
    const before = await eventCount(rig);
    const batches = [
      evs.slice(0, 20),
      evs.slice(0, 40),
      evs.slice(20, 40),
      evs.slice(0, 60),
      evs.slice(40, 60),
    ];
    const results = await Promise.all(
      batches.flatMap((b) => [ingest(k.store, rig, b), ingest(k.store, second, b), ingest(k.store, rig, b)]),
    );
    // every answer is an ack or a gap (a later batch before an earlier one), never an error or a fork
    for (const r of results) expect([200, 409]).toContain(r.status);
    for (const r of results) if (r.status === 409) expect(r.body.code).toBe('E_INGEST_GAP');
    expect((await ingest(k.store, second, evs)).body).toMatchObject({
      ackedSeq: 60,
      ackedHash: evs[59]!.hash,
    });
    expect((await eventCount(rig)) - before).toBe(60);
    const stored = await rig.app.backend.storage.events({ terminalId: k.store.terminalId, limit: 1000 });
    expect(stored.map((e) => e.seq)).toEqual(evs.map((e) => e.seq));
  });

  it('delivers a channel message to a kiosk connected to another instance (PG NOTIFY) or the same one (SQLite)', async () => {
    const second = await startBackend(kind, {}, { dir: rig.dir, opts: rig.backendOpts, schema: rig.schema });
    cleanup.push(() => second.close());
    const k = await kiosk();
    const got: unknown[] = [];
    const ch = connectKioskChannel({
      url: second.url,
      identity: k.store.identity,
      onMessage: (m) => got.push(m),
    });
    cleanup.push(() => ch.close());
    await waitFor(() => ch.state() === 'ready', 5000, 'channel ready');
    const sender = kind === 'pg' ? rig : second;
    await sender.app.kioskChannel.send(k.store.terminalId, {
      type: 'wallet.result',
      ok: true,
      claims: { age_over_18: true },
    });
    await waitFor(() => got.length === 1, 5000, 'message delivered');
    expect(got[0]).toEqual({ type: 'wallet.result', ok: true, claims: { age_over_18: true } });
    // larger than a NOTIFY can carry (a wallet result with a portrait): parked, encrypted, on PostgreSQL
    await sender.app.kioskChannel.send(k.store.terminalId, { pad: 'x'.repeat(80_000) });
    await waitFor(() => got.length === 2, 5000, 'large message delivered');
    expect(got[1]).toEqual({ pad: 'x'.repeat(80_000) });
    await expect(
      sender.app.kioskChannel.send(k.store.terminalId, { pad: 'x'.repeat(1_100_000) }),
    ).rejects.toThrow(/under 1048576 bytes/);
  });
});
