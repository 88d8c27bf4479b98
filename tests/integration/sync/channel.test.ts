// The kiosk end of the kiosk channel: authenticates, reconnects with backoff after the backend restarts,
// and delivers pushed messages again.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBackend } from '../../../backend/app.ts';
import { connectKioskChannel, channelUrl } from '../../../kiosk/sync/channel.ts';
import type { ChannelState } from '../../../kiosk/sync/channel.ts';
import { TOKENS, enrolledKiosk, tempDir, waitFor } from '../backend/harness.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('kiosk channel (kiosk side)', () => {
  it('turns http URLs into the channel URL', () => {
    expect(channelUrl('http://h:1')).toBe('ws://h:1/v1/channel');
    expect(channelUrl('https://h/')).toBe('wss://h/v1/channel');
    expect(channelUrl('ws://h/v1/channel')).toBe('ws://h/v1/channel');
  });

  it('reconnects with backoff when the backend goes away and comes back, then receives again', async () => {
    const dir = tempDir();
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const opts = { sqlitePath: join(dir, 'b.sqlite'), tokens: TOKENS, purgeIntervalMs: 0 };
    let app = await buildBackend(opts);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const url = `http://127.0.0.1:${port}`;
    const k = await enrolledKiosk(url);
    cleanup.push(() => k.store.close());
    const got: unknown[] = [];
    const states: ChannelState[] = [];
    const ch = connectKioskChannel({
      url,
      identity: k.store.identity,
      onMessage: (m) => got.push(m),
      onState: (s) => states.push(s),
      retryBaseMs: 50,
      retryMaxMs: 300,
      pingMs: 100,
    });
    cleanup.push(() => ch.close());
    await waitFor(() => ch.state() === 'ready', 5000, 'ready');
    await app.kioskChannel.send(k.store.terminalId, { n: 1 });
    await waitFor(() => got.length === 1, 5000, 'first message');
    // pings keep the terminal online
    await waitFor(
      async () => ((await app.backend.storage.getTerminal(k.store.terminalId))?.lastSeen ?? 0) > 0,
      5000,
      'seen',
    );

    await app.close();
    await waitFor(() => ch.state() !== 'ready', 5000, 'noticed the loss');
    await new Promise((r) => setTimeout(r, 400)); // a few failed attempts
    const attemptsWhileDown = states.filter((s) => s === 'connecting').length;
    expect(attemptsWhileDown).toBeGreaterThan(1);

    app = await buildBackend(opts);
    await app.listen({ host: '127.0.0.1', port });
    cleanup.push(() => app.close());
    await waitFor(() => ch.state() === 'ready', 5000, 'ready again');
    await app.kioskChannel.send(k.store.terminalId, { n: 2 });
    await waitFor(() => got.length === 2, 5000, 'second message');
    expect(got).toEqual([{ n: 1 }, { n: 2 }]);
    expect(app.kioskChannel.connectedHere()).toEqual([k.store.terminalId]);
    ch.close();
    await waitFor(() => app.kioskChannel.connectedHere().length === 0, 5000, 'socket gone');
  });
});
