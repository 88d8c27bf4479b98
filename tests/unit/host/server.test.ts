// kiosk/host over real HTTP and WebSocket on 127.0.0.1: headers, Host and Origin checks, the typed contract
// over the socket, demo gating, loopback-only binding.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost } from '../../../kiosk/host/server.ts';
import type { Host } from '../../../kiosk/host/server.ts';
import { createRouter } from '../../../kiosk/main/router.ts';
import type { DemoControls, KioskEngine } from '../../../kiosk/main/engine.ts';
import type { DemoAction, MachineEventFromRenderer } from '../../../kiosk/shared/contract.ts';
import type { KioskView } from '../../../kiosk/shared/view.ts';

// A tiny local engine: enough to see events arrive and views leave.
function fakeEngine() {
  const listeners = new Set<(v: KioskView) => void>();
  let view: KioskView = {
    screen: 'welcome',
    state: 'idle',
    venue: { profile: 'custom', name: 'T' },
    devices: {},
  };
  const sent: MachineEventFromRenderer[] = [];
  const engine: KioskEngine = {
    view: () => view,
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    send: (e) => {
      sent.push(e);
      if (e.type === 'attendant.open') {
        view = { ...view, screen: 'attendant', attendant: { authenticated: false, attemptsLeft: 5 } };
        listeners.forEach((l) => l(view));
      }
    },
  };
  return { engine, sent };
}

const dir = mkdtempSync(join(tmpdir(), 'eid-host-'));
for (const f of ['index.html', 'app.js', 'styles.css', 'demo.html', 'demo.js'])
  writeFileSync(join(dir, f), `/* ${f} */`);

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(demo: boolean) {
  const { engine, sent } = fakeEngine();
  const acts: DemoAction[] = [];
  const controls: DemoControls = { people: () => [], act: (a) => void acts.push(a) };
  const router = createRouter({
    engine,
    demo: demo ? controls : undefined,
    defaultLanguage: 'en',
    previewUrl: '/camera/preview',
  });
  const refused: string[] = [];
  host = await startHost({ router, demo, rendererDir: dir, onRefused: (w) => refused.push(w) });
  return { host, sent, acts, refused };
}

function connect(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function client(ws: WebSocket) {
  let id = 0;
  const pushes: unknown[] = [];
  const waiting = new Map<number, (r: unknown) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { kind: string; id: number; result: unknown };
    if (m.kind === 'result') waiting.get(m.id)?.(m.result);
    else pushes.push(m);
  });
  return {
    pushes,
    invoke: (channel: string, payload: unknown) =>
      new Promise<unknown>((res) => {
        const n = ++id;
        waiting.set(n, res);
        ws.send(JSON.stringify({ kind: 'invoke', id: n, channel, payload }));
      }),
  };
}

describe('kiosk/host', () => {
  it('serves the bundle with a strict CSP and hardening headers', async () => {
    const { host } = await start(false);
    const res = await fetch(`${host.url}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect((await fetch(`${host.url}/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${host.url}/../package.json`)).status).toBe(404);
    expect((await fetch(`${host.url}/camera/preview`)).headers.get('content-type')).toMatch(/image/);
  });

  it('refuses a foreign Host header (DNS rebinding) and non-GET methods', async () => {
    const { host, refused } = await start(false);
    const http = await import('node:http');
    const status = (headers: Record<string, string>, method = 'GET') =>
      new Promise<number>((resolve) => {
        const req = http.request(
          { host: '127.0.0.1', port: host.port, path: '/', method, headers },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.end();
      });
    expect(await status({ host: `evil.example:${host.port}` })).toBe(403);
    expect(await status({ host: `127.0.0.1:${host.port}` }, 'POST')).toBe(403);
    expect(await status({ host: `localhost:${host.port}` })).toBe(200);
    expect(refused).toEqual(['host', 'method']);
  });

  it('serves /demo only in demo mode', async () => {
    const off = await start(false);
    expect((await fetch(`${off.host.url}/demo`)).status).toBe(404);
    await off.host.close();
    host = undefined;
    const on = await start(true);
    expect((await fetch(`${on.host.url}/demo`)).status).toBe(200);
  });

  it('accepts the WebSocket only from a localhost origin', async () => {
    const { host } = await start(false);
    await expect(connect(`ws://127.0.0.1:${host.port}/ws`, 'http://evil.example')).rejects.toThrow(
      'HTTP 403',
    );
    await expect(
      connect(`ws://127.0.0.1:${host.port}/ws`, `http://127.0.0.1:${host.port + 1}`),
    ).rejects.toThrow();
    const ws = await connect(`ws://127.0.0.1:${host.port}/ws`, `http://127.0.0.1:${host.port}`);
    expect(host.clients()).toBe(1);
    ws.close();
  });

  it('speaks the contract over the socket: results, refusals, pushes', async () => {
    const { host, sent, acts } = await start(false);
    const ws = await connect(`ws://127.0.0.1:${host.port}/ws`, `http://localhost:${host.port}`);
    const c = client(ws);
    const hello = (await c.invoke('kiosk.hello', null)) as {
      ok: boolean;
      value: { view: KioskView; demo: boolean };
    };
    expect(hello.ok).toBe(true);
    expect(hello.value.view.screen).toBe('welcome');
    expect(hello.value.demo).toBe(false);
    expect(await c.invoke('kiosk.send', { type: 'attendant.open' })).toEqual({ ok: true, value: null });
    expect(sent).toEqual([{ type: 'attendant.open' }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.pushes).toContainEqual(expect.objectContaining({ kind: 'push', channel: 'view' }));
    expect(await c.invoke('kiosk.send', { type: 'device.lost', device: 'camera' })).toMatchObject({
      ok: false,
      code: 'E_IPC_INVALID_PAYLOAD',
    });
    expect(await c.invoke('demo.act', { type: 'card', person: 'zhang' })).toMatchObject({
      ok: false,
      code: 'E_DEMO_DISABLED',
    });
    expect(acts).toEqual([]);
    // A malformed frame with an id gets a typed refusal; the socket stays usable.
    ws.send(JSON.stringify({ kind: 'invoke', id: 99, channel: 5 }));
    expect(await c.invoke('kiosk.hello', null)).toMatchObject({ ok: true });
    expect(sent).toHaveLength(1);
    ws.close();
  });

  it('closes a socket that sends more than the payload limit', async () => {
    const { host } = await start(true);
    const ws = await connect(`ws://127.0.0.1:${host.port}/ws`, `http://127.0.0.1:${host.port}`);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('x'.repeat(70 * 1024));
    expect(await closed).toBe(1009);
  });

  it('binds to loopback only', async () => {
    const { engine } = fakeEngine();
    const router = createRouter({ engine, defaultLanguage: 'en', previewUrl: '/p' });
    await expect(startHost({ router, demo: false, rendererDir: dir, host: '0.0.0.0' })).rejects.toThrow(
      /loopback/,
    );
  });
});
