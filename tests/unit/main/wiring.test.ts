// The thin adapters from the other areas' parts: hub fan-out and identity-QR routing, face without portrait,
// audit append, MJPEG preview frames, wallet QR and results.
import { describe, expect, it } from 'vitest';
import type { DeviceHub } from '../../../firmware-bridge/devices/hub.ts';
import type { DeviceEvent } from '../../../kiosk/main/adapters.ts';
import { DEMO_PEOPLE } from '../../../kiosk/main/demo/people.ts';
import {
  auditAdapterFromStore,
  deviceAdapterFromHub,
  faceAdapterFromEngine,
  mjpegPreview,
  walletAdapterFrom,
} from '../../../kiosk/main/wiring.ts';
import type { Camera, FaceEngine } from '../../../kiosk/face/index.ts';
import type { WalletQrRotation } from '../../../kiosk/wallet/qr-rotation.ts';

const doc = DEMO_PEOPLE[0]!.document;

function fakeHub(events: unknown[]): DeviceHub {
  return {
    events: (async function* () {
      for (const e of events) {
        await new Promise((r) => setTimeout(r, 5));
        yield e as never;
      }
    })(),
    relay: undefined,
    close: async () => undefined,
  };
}

const tick = (ms = 60) => new Promise((r) => setTimeout(r, ms));

describe('wiring', () => {
  it('fans the hub out, routes scanner codes through the identity-QR reader, replays device states', async () => {
    const hub = fakeHub([
      { type: 'device.ready', device: 'reader' },
      { type: 'document.read', document: doc },
      { type: 'scanner.code', text: 'NOT-AN-ID', symbology: 'qr' },
      { type: 'scanner.code', text: 'ID:forged', symbology: 'qr' },
      { type: 'device.lost', device: 'scanner' },
    ]);
    const reader = {
      readText: (t: string) =>
        t.startsWith('ID:')
          ? ({
              type: 'document.rejected',
              code: 'E_IDQR_SIGNATURE',
              reason: 'credential-untrusted',
              source: 'identity-qr',
            } as const)
          : undefined,
    };
    const a = deviceAdapterFromHub(hub, reader as never);
    const first: DeviceEvent[] = [];
    a.subscribe((e) => first.push(e));
    await tick(150);
    expect(first.map((e) => e.type)).toEqual([
      'device.ready',
      'document.read',
      'document.rejected',
      'device.lost',
    ]);
    const late: DeviceEvent[] = [];
    a.subscribe((e) => late.push(e));
    expect(late).toEqual([
      { type: 'device.ready', device: 'reader' },
      { type: 'device.lost', device: 'scanner' },
    ]);
  });

  it('answers no-reference without touching the camera when the credential has no portrait', async () => {
    let ran = false;
    const engine = {
      runCheck: async () => ((ran = true), { outcome: 'match' as const }),
    } as unknown as FaceEngine;
    const camera = { previewJpeg: () => undefined } as unknown as Camera;
    const f = faceAdapterFromEngine(engine, camera);
    const r = await f.check(
      { document: doc, challengeLength: 2 },
      () => undefined,
      new AbortController().signal,
    );
    expect(r.outcome).toBe('no-reference');
    expect(ran).toBe(false);
    const withPhoto = { ...doc, portrait: { format: 'jpeg' as const, bytes: new Uint8Array([1]) } };
    const hints: string[] = [];
    const engine2 = {
      runCheck: async (o: { onHint: (h: string, i?: object) => void; challengeLength: number }) => {
        o.onHint('turn-left', { challenge: ['turn-left'], step: 0 });
        return { outcome: 'match' as const, score: 0.7 };
      },
    } as unknown as FaceEngine;
    const r2 = await faceAdapterFromEngine(engine2, camera).check(
      { document: withPhoto, challengeLength: 1 },
      (h) => hints.push(`${h.hint}:${h.step}`),
      new AbortController().signal,
    );
    expect(r2).toEqual({ outcome: 'match', score: 0.7 });
    expect(hints).toEqual(['turn-left:0']);
  });

  it('appends audit events to the store', () => {
    const got: unknown[] = [];
    auditAdapterFromStore({ append: (e) => (got.push(e), {} as never) }).record(
      { type: 'attendant.login' } as never,
      1,
    );
    expect(got).toEqual([{ type: 'attendant.login' }]);
  });

  it('streams new preview JPEGs as MJPEG parts and stops when destroyed', async () => {
    let n = 0;
    const frames = [new Uint8Array([0xff, 0xd8, 1]), new Uint8Array([0xff, 0xd8, 2])];
    const src = mjpegPreview(() => frames[Math.min(n++, 1)], 50)();
    expect(src.contentType).toContain('multipart/x-mixed-replace');
    const chunks: Buffer[] = [];
    const body = src.body as NodeJS.ReadableStream & { destroy(): void };
    body.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    await tick(200);
    body.destroy();
    const all = Buffer.concat(chunks).toString('latin1');
    expect(all.match(/--frame/g)?.length).toBe(2); // the same frame is not sent twice
    expect(all).toContain('Content-Type: image/jpeg');
  });

  it('turns rotation QRs and matching backend results into machine events', () => {
    let onQr: ((q: { uri: string; expiresAt: number } | null) => void) | undefined;
    let stopped = false;
    let push: ((m: never) => void) | undefined;
    const rotation = {
      stop: () => void (stopped = true),
      rotateNow: () => undefined,
      currentTransactionId: 't1',
      handleResult: (m: { id: string }) => (m.id === 't1' ? { type: 'document.read', document: doc } : null),
    } as unknown as WalletQrRotation;
    const w = walletAdapterFrom(
      (cb) => ((onQr = cb), rotation),
      (l) => ((push = l as never), () => undefined),
    );
    const got: DeviceEvent[] = [];
    const off = w.subscribe((e) => got.push(e));
    onQr!({ uri: 'openid4vp://x', expiresAt: 5 });
    onQr!(null);
    push!({ id: 'other' } as never);
    push!({ id: 't1' } as never);
    off();
    expect(got.map((e) => e.type)).toEqual(['wallet.qr', 'wallet.qr', 'document.read']);
    expect(got[1]).toEqual({ type: 'wallet.qr', uri: '', expiresAt: 0 });
    expect(stopped).toBe(true);
  });
});
