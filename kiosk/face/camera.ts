// The camera, read in the main process with OpenCV VideoCapture: a V4L2 device (/dev/videoN) or a video file
// (demo mode, tests). Frames go to the face engine in memory only; the renderer gets a small JPEG preview.
// A device that stops delivering is reported 'lost' and reopened until it comes back ('open' again).
//
// Two ways of reading: realtime (devices, and files when `realtime`) — a pump reads continuously, paces files
// at their frame rate, keeps only the newest frame and drops stale ones; and pull (files when !realtime) —
// every frame is delivered in order as fast as the consumer takes it, timestamped from the file's frame
// rate, so tests are deterministic however slow the machine is.
import type { FaceCameraConfig } from '../../config/schema/face.ts';
import { KioskError } from '../shared/errors.ts';
import type { BgrImage, Mat } from './cv.ts';
import { cv, wipe } from './cv.ts';

export interface Frame extends BgrImage {
  readonly seq: number;
  /** Milliseconds: wall clock (performance.now) for realtime sources, frame index / fps for pulled files. */
  readonly at: number;
}

export type CameraStatus = 'open' | 'lost' | 'ended' | 'closed';

export interface Camera {
  readonly state: CameraStatus;
  /** The frames, each a fresh buffer the consumer owns (and zeroes). Ends when the camera is lost, ends or closes. */
  frames(signal?: AbortSignal): AsyncIterable<Frame>;
  /** The latest preview JPEG (previewWidth wide), for the renderer's <img>; undefined before the first frame. */
  previewJpeg(): Uint8Array | undefined;
  /** 'lost' / 'open' (recovered) / 'ended' / 'closed'. Returns an unsubscribe function. */
  onStatus(fn: (s: CameraStatus) => void): () => void;
  close(): void;
}

/** What we need of cv.VideoCapture (tests wrap the real one to simulate an unplugged camera). */
export interface Capture {
  readAsync(): Promise<Mat>;
  get(prop: number): number;
  set(prop: number, value: number): boolean;
  release(): void;
}

export interface CameraDeps {
  readonly open?: (source: string | number) => Capture;
  readonly now?: () => number;
}

const isDevice = (source: string): boolean => /^\/dev\/video\d+$/.test(source) || /^\d+$/.test(source);

function defaultOpen(source: string | number): Capture {
  const c = cv();
  return new c.VideoCapture(source as string) as unknown as Capture;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export function openCamera(config: FaceCameraConfig, deps: CameraDeps = {}): Camera {
  return new OpenCvCamera(config, deps);
}

class OpenCvCamera implements Camera {
  state: CameraStatus = 'open';
  private cap: Capture | undefined;
  private readonly device: boolean;
  private readonly realtime: boolean;
  private readonly open: (source: string | number) => Capture;
  private readonly now: () => number;
  private readonly listeners = new Set<(s: CameraStatus) => void>();
  private readonly stop = new AbortController();
  private fps = 15;
  private seq = 0;
  private latest: Frame | undefined;
  private waiters: (() => void)[] = [];
  private preview: Uint8Array | undefined;
  private lastPreviewAt = -Infinity;
  private lastGoodAt: number;

  constructor(
    private readonly cfg: FaceCameraConfig,
    deps: CameraDeps,
  ) {
    this.device = isDevice(cfg.source);
    this.realtime = this.device || cfg.realtime;
    this.open = deps.open ?? defaultOpen;
    this.now = deps.now ?? (() => performance.now());
    this.lastGoodAt = this.now();
    if (!this.connect() && !this.device)
      throw new KioskError('E_FACE_CAMERA_OPEN', `cannot open video file ${cfg.source}`);
    if (!this.cap) this.setState('lost');
    if (this.realtime) void this.pump();
  }

  private connect(): boolean {
    try {
      const src = /^\d+$/.test(this.cfg.source) ? Number(this.cfg.source) : this.cfg.source;
      const cap = this.open(src);
      const c = cv();
      if (this.device) {
        cap.set(c.CAP_PROP_FRAME_WIDTH, this.cfg.width);
        cap.set(c.CAP_PROP_FRAME_HEIGHT, this.cfg.height);
        if (this.cfg.fps > 0) cap.set(c.CAP_PROP_FPS, this.cfg.fps);
        cap.set(c.CAP_PROP_BUFFERSIZE, 1);
      }
      const fileFps = cap.get(c.CAP_PROP_FPS);
      this.fps = this.cfg.fps > 0 ? this.cfg.fps : fileFps > 0 && fileFps < 241 ? fileFps : 15;
      this.cap = cap;
      return true;
    } catch {
      this.cap = undefined;
      return false;
    }
  }

  private setState(s: CameraStatus): void {
    if (this.state === s || this.state === 'closed') return;
    this.state = s;
    for (const fn of this.listeners) fn(s);
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  onStatus(fn: (s: CameraStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  previewJpeg(): Uint8Array | undefined {
    return this.preview;
  }

  /** One frame from the capture: a BGR Mat, or undefined (end of file, unplugged, read error). */
  private async readMat(): Promise<Mat | undefined> {
    if (!this.cap) return undefined;
    try {
      let m = await this.cap.readAsync();
      if ((m.empty || m.rows === 0) && !this.device && this.cfg.loop) {
        this.cap.set(cv().CAP_PROP_POS_FRAMES, 0);
        m = await this.cap.readAsync();
      }
      if (m.empty || m.rows === 0) return undefined;
      if (m.channels !== 3) {
        const bgr = m.cvtColor(m.channels === 1 ? cv().COLOR_GRAY2BGR : cv().COLOR_BGRA2BGR);
        wipe(m);
        return bgr;
      }
      return m;
    } catch {
      return undefined;
    }
  }

  private toFrame(m: Mat, at: number): Frame {
    const c = cv();
    if (at - this.lastPreviewAt >= 1000 / this.cfg.previewFps) {
      this.lastPreviewAt = at;
      const w = this.cfg.previewWidth;
      const small = m.cols > w ? m.resize(Math.round((m.rows * w) / m.cols), w, 0, 0, c.INTER_AREA) : m;
      this.preview = new Uint8Array(
        c.imencode('.jpg', small, [c.IMWRITE_JPEG_QUALITY, this.cfg.previewQuality]),
      );
      if (small !== m) wipe(small);
    }
    return { data: new Uint8Array(m.getData()), width: m.cols, height: m.rows, seq: ++this.seq, at };
  }

  /** Realtime: read continuously, keep the newest frame, detect loss and reconnect. */
  private async pump(): Promise<void> {
    const signal = this.stop.signal;
    while (!signal.aborted) {
      if (!this.cap) {
        await sleep(this.cfg.reconnectMs, signal);
        if (signal.aborted) break;
        if (this.connect()) this.lastGoodAt = this.now();
        continue;
      }
      const started = this.now();
      const m = await this.readMat();
      if (signal.aborted) {
        wipe(m);
        break;
      }
      if (!m) {
        if (!this.device && !this.cfg.loop) {
          this.setState('ended');
          break;
        }
        if (this.now() - this.lastGoodAt > this.cfg.lostAfterMs) {
          this.setState('lost');
          this.cap.release();
          this.cap = undefined;
        } else await sleep(20, signal);
        continue;
      }
      this.lastGoodAt = this.now();
      if (this.state === 'lost') this.setState('open');
      const f = this.toFrame(m, this.lastGoodAt);
      wipe(m);
      this.latest?.data.fill(0);
      this.latest = f;
      this.wake();
      if (!this.device) await sleep(Math.max(0, 1000 / this.fps - (this.now() - started)), signal);
    }
  }

  async *frames(signal?: AbortSignal): AsyncIterable<Frame> {
    if (!this.realtime) {
      while (this.state !== 'closed' && !signal?.aborted) {
        const m = await this.readMat();
        if (!m) {
          this.setState('ended');
          return;
        }
        const f = this.toFrame(m, (this.seq * 1000) / this.fps);
        wipe(m);
        yield f;
      }
      return;
    }
    let delivered = 0;
    while (this.state === 'open' && !signal?.aborted) {
      const f = this.latest;
      if (f && f.seq > delivered) {
        delivered = f.seq;
        // A copy: the consumer zeroes its frame, the pump zeroes the one it replaces.
        yield { ...f, data: f.data.slice() };
        continue;
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  close(): void {
    if (this.state === 'closed') return;
    this.setState('closed');
    this.stop.abort();
    this.cap?.release();
    this.cap = undefined;
    this.latest?.data.fill(0);
    this.latest = undefined;
    this.preview = undefined;
    this.wake();
  }
}
