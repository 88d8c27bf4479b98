// Thin adapters from the other areas' real parts to what compose() takes. Nothing here constructs hardware,
// models or databases (the caller opens them from config); these only translate shapes, so the lead's wiring
// in kiosk/main is a few lines: see docs/shell.md, "Wiring the real adapters".
import { Readable } from 'node:stream';
import type { AuditStore } from '../audit/index.ts';
import type { WalletResultMessage } from '../credentials/wallet/messages.ts';
import type { Camera, FaceEngine } from '../face/index.ts';
import type { PreviewSource } from '../host/server.ts';
import type { IdentityQrReader } from '../wallet/identity-qr-reader.ts';
import type { WalletQr, WalletQrRotation } from '../wallet/qr-rotation.ts';
import type { DeviceHub } from '../../firmware-bridge/devices/hub.ts';
import { subscribeHub } from '../../firmware-bridge/devices/hub.ts';
import type { DeviceName } from '../core/types.ts';
import type { AuditAdapter, DeviceAdapter, DeviceEvent, FaceAdapter, WalletAdapter } from './adapters.ts';

/**
 * The device hub (reader, MRZ, scanner, relay) as one DeviceAdapter: document and device events go to the
 * machine as they are; scanner codes go through the identity-QR reader (codes that are not identity codes
 * are ignored). The hub's stream has one consumer, so this subscribes once and fans out, replaying the last
 * known device states to late subscribers.
 */
export function deviceAdapterFromHub(
  hub: DeviceHub,
  identityQr?: Pick<IdentityQrReader, 'readText'>,
): DeviceAdapter {
  const listeners = new Set<(e: DeviceEvent) => void>();
  const states = new Map<DeviceName, DeviceEvent>();
  let started = false;
  const emit = (e: DeviceEvent) => {
    if (e.type === 'device.lost' || e.type === 'device.ready') states.set(e.device, e);
    for (const l of listeners) l(e);
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      for (const e of states.values()) listener(e);
      if (!started) {
        started = true;
        subscribeHub(hub, {
          event: (e) => emit(e),
          scan: (s) => {
            const e = identityQr?.readText(s.text);
            if (e) emit(e);
          },
        });
      }
      return () => listeners.delete(listener);
    },
  };
}

/**
 * A live preview for the face screen's <img>: an MJPEG stream (multipart/x-mixed-replace) of the camera's
 * latest preview JPEG at `fps`, stopped when the client goes away.
 */
export function mjpegPreview(latest: () => Uint8Array | undefined, fps = 8): PreviewSource {
  return () => {
    const handle: { timer?: ReturnType<typeof setInterval> } = {};
    const stream = new Readable({
      read() {
        /* pushed by the timer */
      },
      destroy(err, cb) {
        clearInterval(handle.timer);
        cb(err);
      },
    });
    let last: Uint8Array | undefined;
    handle.timer = setInterval(
      () => {
        const jpeg = latest();
        if (!jpeg || jpeg === last) return;
        last = jpeg;
        stream.push(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
        stream.push(Buffer.from(jpeg));
        stream.push('\r\n');
      },
      Math.round(1000 / fps),
    );
    return { contentType: 'multipart/x-mixed-replace; boundary=frame', body: stream };
  };
}

/** The face engine + camera as the machine's faceCheck. A credential without a portrait → 'no-reference'. */
export function faceAdapterFromEngine(
  engine: FaceEngine,
  camera: Camera,
  opts: { fps?: number } = {},
): FaceAdapter {
  return {
    async check(input, onHint, signal) {
      const reference = input.document.portrait;
      if (!reference) return { outcome: 'no-reference', detail: 'the credential carries no portrait' };
      return engine.runCheck({
        reference,
        camera,
        challengeLength: input.challengeLength,
        signal,
        onHint: (hint, info) =>
          onHint({
            hint,
            ...(info?.challenge !== undefined ? { challenge: info.challenge } : {}),
            ...(info?.step !== undefined ? { step: info.step } : {}),
          }),
      });
    },
    preview: mjpegPreview(() => camera.previewJpeg(), opts.fps),
  };
}

/** The audit store as the machine's `audit` action (append throws on disk faults; compose() reports them). */
export function auditAdapterFromStore(store: Pick<AuditStore, 'append'>): AuditAdapter {
  return { record: (event) => void store.append(event) };
}

/**
 * The rotating wallet QR and the backend's pushed results as one WalletAdapter. `start` starts the rotation
 * with the given onQr (kiosk/wallet/qr-rotation.ts startWalletQrRotation); `results` subscribes to the
 * backend's kiosk channel messages.
 */
export function walletAdapterFrom(
  start: (onQr: (qr: WalletQr | null) => void) => WalletQrRotation,
  results?: (listener: (m: WalletResultMessage) => void) => () => void,
): WalletAdapter {
  return {
    subscribe(emit) {
      const rotation = start((qr) => {
        // null = no QR can be shown now: an already-expired one makes the welcome screen say so.
        emit(
          qr
            ? { type: 'wallet.qr', uri: qr.uri, expiresAt: qr.expiresAt }
            : { type: 'wallet.qr', uri: '', expiresAt: 0 },
        );
      });
      const off = results?.((m) => {
        const e = rotation.handleResult(m);
        if (e) emit(e);
      });
      return () => {
        off?.();
        rotation.stop();
      };
    },
  };
}
