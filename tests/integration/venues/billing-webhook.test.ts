// The internet café's billing webhook against a real HTTP server on 127.0.0.1.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVenue, type VenueHandle } from '../../../kiosk/venues/index.ts';
import { config, deps, doc, fakeClock, MATCH, testPseudonym } from '../../fixtures/venues/helpers.ts';

const BILLING_SECRET = 'billing-shared-secret-0123456789';
const NOON = Date.UTC(2026, 10, 23, 4);

interface Delivery {
  key: string;
  body: Record<string, unknown>;
  signatureOk: boolean;
  timestamp: number;
}

/** A billing system: verifies the documented signature, dedupes by Idempotency-Key. */
function billing(behaviour: (n: number, res: ServerResponse, reply: () => void) => void) {
  const deliveries: Delivery[] = [];
  const sessions = new Map<string, { sessionId: string; displayCode: string }>();
  let n = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['x-eid-timestamp']);
      const want = 'v1=' + createHmac('sha256', BILLING_SECRET).update(`${ts}.${raw}`).digest('hex');
      const key = String(req.headers['idempotency-key']);
      deliveries.push({
        key,
        body: JSON.parse(raw) as Record<string, unknown>,
        signatureOk: req.headers['x-eid-signature'] === want,
        timestamp: Number(ts),
      });
      n += 1;
      const reply = (): void => {
        let s = sessions.get(key);
        if (!s) {
          s = { sessionId: `S${sessions.size + 1}`, displayCode: `PC-${String(sessions.size + 17)}` };
          sessions.set(key, s);
        }
        if (!res.destroyed) res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(s));
      };
      behaviour(n, res, reply);
    });
  });
  return {
    deliveries,
    sessions,
    start: () =>
      new Promise<string>((r) =>
        server.listen(0, '127.0.0.1', () =>
          r(`http://127.0.0.1:${(server.address() as AddressInfo).port}/sessions`),
        ),
      ),
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('billing webhook', () => {
  let venue: VenueHandle | undefined;
  let sleeps: number[];
  beforeEach(() => {
    sleeps = [];
  });
  afterEach(() => venue?.close());

  const makeVenue = (url: string, billingOver: Record<string, unknown> = {}) => {
    const clock = fakeClock(NOON);
    venue = createVenue(
      config({
        profile: 'internet-cafe',
        internetCafe: { billing: { url, timeoutMs: 400, maxAttempts: 3, backoffMs: 100, ...billingOver } },
      }),
      deps({
        clock: clock.now,
        billingSecret: BILLING_SECRET,
        kioskId: 'kiosk-7',
        sleep: async (ms) => void sleeps.push(ms),
      }),
    );
    return { venue, clock };
  };

  const checkIn = async (v: VenueHandle, now: number, document = doc()) => {
    const decision = await v.decide({ document, face: MATCH, now });
    expect(decision.outcome).toBe('pass');
    return v.act({ decision, document });
  };

  it('registers the session with a signed body, pseudonym and masked fields only, and shows the seat code', async () => {
    const b = billing((_n, _res, reply) => reply());
    const url = await b.start();
    try {
      const { venue: v } = makeVenue(url);
      const r = await checkIn(v, NOON);
      expect(r).toEqual({ ok: true, displayCode: 'PC-17' });
      expect(b.deliveries).toHaveLength(1);
      const d = b.deliveries[0]!;
      expect(d.signatureOk).toBe(true);
      expect(d.body).toMatchObject({
        type: 'session.start',
        id: d.key,
        kioskId: 'kiosk-7',
        person: {
          pseudonym: testPseudonym('11010519491231002X'),
          maskedNumber: '1101**********002X',
          maskedName: '张*',
          documentType: 'cn-resident-id',
          ageVerified: true,
        },
      });
      const raw = JSON.stringify(d.body);
      expect(raw).not.toContain('11010519491231002X');
      expect(raw).not.toContain('张三');
      expect(raw).not.toContain('1990-05-17');
      // the session is now active on the kiosk too
      expect((await v.decide({ document: doc(), face: MATCH, now: NOON + 1000 })).reason).toBe(
        'already-active-session',
      );
    } finally {
      await b.stop();
    }
  });

  it("sends the real name and document number only when the profile says 'real-name'", async () => {
    const b = billing((_n, _res, reply) => reply());
    const url = await b.start();
    try {
      const { venue: v } = makeVenue(url, { identity: 'real-name' });
      expect((await checkIn(v, NOON)).ok).toBe(true);
      expect(b.deliveries[0]!.body['person']).toMatchObject({
        name: '张三',
        documentNumber: '11010519491231002X',
        birthDate: '1990-05-17',
      });
    } finally {
      await b.stop();
    }
  });

  it('retries 500s with back-off and the same idempotency key', async () => {
    const b = billing((n, res, reply) => (n < 3 ? res.writeHead(500).end('busy') : reply()));
    const url = await b.start();
    try {
      const { venue: v } = makeVenue(url);
      const r = await checkIn(v, NOON);
      expect(r).toEqual({ ok: true, displayCode: 'PC-17' });
      expect(b.deliveries).toHaveLength(3);
      expect(new Set(b.deliveries.map((d) => d.key)).size).toBe(1);
      expect(b.deliveries.every((d) => d.signatureOk)).toBe(true);
      expect(sleeps).toHaveLength(2);
      expect(sleeps[0]).toBeGreaterThanOrEqual(80);
      expect(sleeps[0]).toBeLessThanOrEqual(120);
      expect(sleeps[1]).toBeGreaterThanOrEqual(160);
      expect(sleeps[1]).toBeLessThanOrEqual(240);
    } finally {
      await b.stop();
    }
  });

  it('a slow answer times out, the retry is a duplicate delivery, and the billing system dedupes it', async () => {
    // First delivery: processed but answered after the kiosk gave up; second: answered at once.
    const b = billing((n, _res, reply) => (n === 1 ? setTimeout(reply, 700) : reply()));
    const url = await b.start();
    try {
      const { venue: v } = makeVenue(url);
      const r = await checkIn(v, NOON);
      expect(r).toEqual({ ok: true, displayCode: 'PC-17' });
      expect(b.deliveries).toHaveLength(2);
      expect(b.deliveries[0]!.key).toBe(b.deliveries[1]!.key);
      expect(b.sessions.size).toBe(1);
      await new Promise((r2) => setTimeout(r2, 400)); // let the late reply go out before stop()
    } finally {
      await b.stop();
    }
  });

  it("says 'venue-system-down' when the billing system stays down, and no session is opened", async () => {
    const b = billing((_n, res) => res.writeHead(503).end());
    const url = await b.start();
    try {
      const { venue: v } = makeVenue(url);
      const r = await checkIn(v, NOON);
      expect(r.ok).toBe(false);
      expect(r.reason).toBe('venue-system-down');
      expect(r.detail).toContain('after 3 attempts');
      expect(b.deliveries).toHaveLength(3);
      // nothing was registered: the person may try again
      expect((await v.decide({ document: doc(), face: MATCH, now: NOON + 1 })).outcome).toBe('pass');
    } finally {
      await b.stop();
    }
  });

  it("says 'venue-system-down' when nothing listens at the URL", async () => {
    const b = billing((_n, _res, reply) => reply());
    const url = await b.start();
    await b.stop(); // the port is now closed
    const { venue: v } = makeVenue(url);
    const r = await checkIn(v, NOON);
    expect(r).toMatchObject({ ok: false, reason: 'venue-system-down' });
    expect(r.detail).toMatch(/network/);
  });

  it('does not retry a refusal; a 409 means the billing system already has an active session', async () => {
    const refuse = billing((_n, res) => res.writeHead(400).end('{"error":"bad"}'));
    const url = await refuse.start();
    try {
      const { venue: v } = makeVenue(url);
      const r = await checkIn(v, NOON);
      expect(r).toMatchObject({ ok: false, reason: 'venue-system-down' });
      expect(refuse.deliveries).toHaveLength(1);
      venue?.close();
    } finally {
      await refuse.stop();
    }
    const conflict = billing((_n, res) => res.writeHead(409).end());
    const url2 = await conflict.start();
    try {
      const { venue: v } = makeVenue(url2);
      expect(await checkIn(v, NOON)).toMatchObject({ ok: false, reason: 'already-active-session' });
    } finally {
      await conflict.stop();
    }
  });

  it('ends the session on a signed callback and refuses forged or stale ones', async () => {
    const b = billing((_n, _res, reply) => reply());
    const url = await b.start();
    const { venue: v, clock } = makeVenue(url);
    const listener = await v.internetCafe!.listen(0);
    try {
      expect((await checkIn(v, NOON)).ok).toBe(true);
      const post = async (body: string, ts: number, secret = BILLING_SECRET) => {
        const sig = 'v1=' + createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
        const res = await fetch(`http://127.0.0.1:${listener.port}/callback`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-eid-timestamp': String(ts),
            'x-eid-signature': sig,
          },
          body,
        });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };
      const body = JSON.stringify({ type: 'session.end', sessionId: 'S1' });
      const nowS = Math.floor(clock.now() / 1000);
      expect((await post(body, nowS, 'wrong secret wrong secret')).status).toBe(401);
      expect((await post(body, nowS - 3600)).status).toBe(401);
      expect(v.internetCafe!.activeSessions()).toBe(1);
      expect(await post(body, nowS)).toEqual({ status: 200, json: { ok: true, ended: true } });
      expect(await post(body, nowS)).toEqual({ status: 200, json: { ok: true, ended: false } }); // idempotent
      expect(v.internetCafe!.activeSessions()).toBe(0);
      expect((await v.decide({ document: doc(), face: MATCH, now: NOON + 5000 })).outcome).toBe('pass');
    } finally {
      await listener.close();
      await b.stop();
    }
  });
});
