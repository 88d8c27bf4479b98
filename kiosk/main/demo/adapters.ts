// In-process demo fakes for every adapter compose() takes: a reader/MRZ/scanner that present the demo people,
// a face check that shows hints and a chosen result, a wallet QR that rotates, venue actions that hand out a
// display code, an audit sink that keeps event types in memory. Replaced by the real adapters at integration.
import type { ActionResult, DeviceName, FaceOutcome, FaceResult } from '../../core/types.ts';
import type { DemoAction } from '../../shared/contract.ts';
import type { DemoControls } from '../engine.ts';
import type {
  AuditAdapter,
  DeviceAdapter,
  DeviceEvent,
  FaceAdapter,
  VenueAdapter,
  WalletAdapter,
} from '../adapters.ts';
import { DEMO_PEOPLE, demoDocument } from './people.ts';

type Emit = (e: DeviceEvent) => void;

class Emitter {
  private readonly listeners = new Set<Emit>();
  emit(e: DeviceEvent): void {
    for (const l of this.listeners) l(e);
  }
  add(l: Emit): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

/** Demo reader, MRZ reader, scanner, camera presence, gate relay and backend link. */
export class DemoDevices implements DeviceAdapter {
  private readonly out = new Emitter();
  private readonly present = new Map<DeviceName, boolean>([
    ['reader', true],
    ['mrz', true],
    ['scanner', true],
    ['camera', true],
    ['relay', true],
    ['backend', true],
  ]);

  subscribe(emit: Emit): () => void {
    const off = this.out.add(emit);
    for (const [device, up] of this.present)
      emit(up ? { type: 'device.ready', device } : { type: 'device.lost', device });
    return off;
  }

  isPresent(device: DeviceName): boolean {
    return this.present.get(device) ?? false;
  }

  setPresent(device: DeviceName, up: boolean): void {
    if (this.present.get(device) === up) return;
    this.present.set(device, up);
    this.out.emit(up ? { type: 'device.ready', device } : { type: 'device.lost', device });
  }

  /** A demo person's card on the reader (or passport on the MRZ reader). False when that device is unplugged. */
  presentDocument(person: string): boolean {
    const doc = demoDocument(person);
    if (!doc) return false;
    if (!this.isPresent(doc.source === 'mrz' ? 'mrz' : 'reader')) return false;
    this.out.emit({ type: 'document.read', document: doc });
    return true;
  }

  /** The scanner reads text. `DEMO-ID:<person>` is a valid demo identity code; anything else is refused. */
  scan(text: string): boolean {
    if (!this.isPresent('scanner')) return false;
    const m = /^DEMO-ID:([a-z]+)$/.exec(text);
    const doc = m?.[1] ? demoDocument(m[1], 'identity-qr') : undefined;
    this.out.emit(
      doc
        ? { type: 'document.read', document: doc }
        : {
            type: 'document.rejected',
            code: 'demo.untrusted-code',
            reason: 'credential-untrusted',
            source: 'identity-qr',
          },
    );
    return true;
  }
}

/** Rotating wallet request QR (the real one comes from the OpenID4VP verifier) and pushed wallet results. */
export class DemoWallet implements WalletAdapter {
  private readonly out = new Emitter();
  private timer: ReturnType<typeof setInterval> | undefined;
  constructor(private readonly rotateMs = 60_000) {}

  private qr(): DeviceEvent {
    const nonce = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('');
    return {
      type: 'wallet.qr',
      uri: `openid4vp://?client_id=demo-kiosk&request_uri=${encodeURIComponent(`https://verifier.example/request/${nonce}`)}`,
      expiresAt: Date.now() + this.rotateMs,
    };
  }

  subscribe(emit: Emit): () => void {
    const off = this.out.add(emit);
    emit(this.qr());
    this.timer ??= setInterval(() => this.out.emit(this.qr()), this.rotateMs);
    this.timer.unref?.();
    return () => {
      off();
      clearInterval(this.timer);
      this.timer = undefined;
    };
  }

  /** The backend pushes a verified presentation for this demo person. */
  deliver(person: string): boolean {
    const doc = demoDocument(person, 'wallet');
    if (!doc) return false;
    this.out.emit({ type: 'document.read', document: doc });
    return true;
  }
}

export interface DemoFaceOptions {
  /** Time per hint; short in tests. */
  readonly stepMs?: number;
  readonly isCameraPresent?: () => boolean;
}

/** A face check that walks through hints and the challenge, then answers the outcome chosen on the panel. */
export class DemoFace implements FaceAdapter {
  next: FaceOutcome = 'match';
  constructor(private readonly opts: DemoFaceOptions = {}) {}

  async check(
    input: { challengeLength: number },
    onHint: Parameters<FaceAdapter['check']>[1],
    signal: AbortSignal,
  ): Promise<FaceResult> {
    const stepMs = this.opts.stepMs ?? 900;
    const wait = () =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, stepMs);
        signal.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), {
          once: true,
        });
      });
    const all = ['turn-left', 'turn-right', 'blink'] as const;
    const challenge = Array.from({ length: input.challengeLength }, (_, i) => all[i % 3] ?? 'blink');
    onHint({ hint: 'look-at-camera' });
    await wait();
    if (this.opts.isCameraPresent && !this.opts.isCameraPresent()) return { outcome: 'camera-lost' };
    onHint({ hint: 'hold-still' });
    await wait();
    for (let i = 0; i < challenge.length; i++) {
      onHint({ hint: challenge[i] ?? 'blink', challenge, step: i });
      await wait();
    }
    onHint({ hint: 'matching', ...(challenge.length ? { challenge, step: challenge.length } : {}) });
    await wait();
    const outcome = this.next;
    this.next = 'match';
    const scores: Record<FaceOutcome, number> = {
      match: 0.62,
      'no-match': 0.12,
      spoof: 0.55,
      'challenge-failed': 0.6,
      'no-face': 0,
      quality: 0,
      'no-reference': 0,
      'camera-lost': 0,
      skipped: 0,
    };
    // Only a comparison that happened has a score.
    const compared = scores[outcome] > 0;
    return {
      outcome,
      ...(compared ? { score: scores[outcome], threshold: 0.36, fmr: 5e-4 } : {}),
      liveness: outcome === 'spoof' ? 0.08 : 0.97,
      challenge,
    };
  }
}

/** Venue actions: always succeed and hand out a seat/session code. */
export class DemoVenue implements VenueAdapter {
  private n = 0;
  async act(): Promise<ActionResult> {
    this.n++;
    return { ok: true, displayCode: `A-${String(100 + this.n).padStart(3, '0')}` };
  }
}

/** Keeps the type and sequence of each audit event (no personal data) for the demo and the tests. */
export class MemoryAudit implements AuditAdapter {
  readonly events: { type: string; seq?: number }[] = [];
  record(e: { type: string; seq?: number }): void {
    this.events.push(e.seq === undefined ? { type: e.type } : { type: e.type, seq: e.seq });
    if (this.events.length > 1000) this.events.shift();
  }
}

export interface DemoSet {
  readonly devices: DemoDevices;
  readonly wallet: DemoWallet;
  readonly face: DemoFace;
  readonly venue: DemoVenue;
  readonly audit: MemoryAudit;
  readonly controls: DemoControls;
}

export function demoAdapters(opts: { faceStepMs?: number; walletRotateMs?: number } = {}): DemoSet {
  const devices = new DemoDevices();
  const wallet = new DemoWallet(opts.walletRotateMs);
  const face = new DemoFace({
    ...(opts.faceStepMs !== undefined ? { stepMs: opts.faceStepMs } : {}),
    isCameraPresent: () => devices.isPresent('camera'),
  });
  const controls: DemoControls = {
    people: () => DEMO_PEOPLE.map((p) => p.person),
    act(a: DemoAction) {
      switch (a.type) {
        case 'card':
          devices.presentDocument(a.person);
          return;
        case 'scan':
          devices.scan(a.text);
          return;
        case 'wallet':
          wallet.deliver(a.person);
          return;
        case 'device':
          devices.setPresent(a.device, a.present);
          return;
        case 'face':
          face.next = a.outcome;
          return;
      }
    },
  };
  return { devices, wallet, face, venue: new DemoVenue(), audit: new MemoryAudit(), controls };
}
