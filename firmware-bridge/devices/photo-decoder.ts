// Card photo decoding, pluggable:
//   passthroughPhotoDecoder — readers/SDKs that already deliver BMP, JPEG or PNG.
//   createWltFfiDecoder     — the reader vendor's WLT library (libwlt2bmp.so, libzkwltdecode.so, hxgc_Wlt2Bmp …)
//                             loaded through koffi in a CHILD PROCESS (wlt-worker.ts): a crash or hang in vendor
//                             code fails one decode, never the kiosk; the child is restarted for the next one.
// Results are values, not exceptions: { ok: true, portrait } | { ok: false, code, message }.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { PhotoConfig } from '../../config/schema/devices.ts';
import type { Portrait } from '../../kiosk/core/types.ts';

export type PhotoErrorCode =
  'E_PHOTO_UNSUPPORTED' | 'E_PHOTO_DECODER_CRASHED' | 'E_PHOTO_DECODER_TIMEOUT' | 'E_PHOTO_DECODER_FAILED';
export type PhotoResult =
  { ok: true; portrait: Portrait } | { ok: false; code: PhotoErrorCode; message: string };

export interface PhotoDecoder {
  decode(raw: Uint8Array): Promise<PhotoResult>;
  close(): Promise<void>;
}

/** Recognise BMP / JPEG / PNG bytes and read their size. undefined = not an image we know. */
export function sniffImage(b: Uint8Array): Portrait | undefined {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 54 && b[0] === 0x42 && b[1] === 0x4d) {
    return { format: 'bmp', bytes: b, width: dv.getInt32(18, true), height: Math.abs(dv.getInt32(22, true)) };
  }
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    return { format: 'png', bytes: b, width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    // Walk the markers to the first SOFn for the size.
    let o = 2;
    while (o + 9 < b.length && b[o] === 0xff) {
      const m = b[o + 1]!;
      const len = dv.getUint16(o + 2);
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
        return { format: 'jpeg', bytes: b, height: dv.getUint16(o + 5), width: dv.getUint16(o + 7) };
      }
      o += 2 + len;
    }
    return { format: 'jpeg', bytes: b };
  }
  return undefined;
}

export function passthroughPhotoDecoder(): PhotoDecoder {
  return {
    decode: (raw) => {
      const p = sniffImage(raw);
      return Promise.resolve(
        p
          ? { ok: true, portrait: p }
          : {
              ok: false,
              code: 'E_PHOTO_UNSUPPORTED',
              message: `photo of ${raw.length} bytes is not BMP/JPEG/PNG (WLT needs a vendor library)`,
            },
      );
    },
    close: () => Promise.resolve(),
  };
}

const WORKER = fileURLToPath(new URL('./wlt-worker.ts', import.meta.url));

export interface WltDecoderDeps {
  readonly log?: Logger | undefined;
  /**
   * The Node binary for the child (default process.execPath). Under Electron pass a plain `node` or set
   * ELECTRON_RUN_AS_NODE=1 in `env`, so the child is Node and not a second Electron app.
   */
  readonly execPath?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function createWltFfiDecoder(cfg: PhotoConfig, deps: WltDecoderDeps = {}): PhotoDecoder {
  const log = deps.log?.child({ component: 'wlt-decoder' });
  let child: ChildProcess | undefined;
  let initialised: Promise<string | undefined> | undefined;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const start = (): Promise<string | undefined> => {
    const c = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      ...(deps.execPath !== undefined ? { execPath: deps.execPath } : {}),
      ...(deps.env !== undefined ? { env: deps.env } : {}),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    c.stderr?.resume();
    child = c;
    return new Promise((resolve) => {
      c.once('message', (m: { op: string; ok: boolean; error?: string }) =>
        resolve(m.ok ? undefined : (m.error ?? 'init failed')),
      );
      c.once('exit', () => resolve('worker exited during init'));
      c.send({ op: 'init', library: cfg.library, prototype: cfg.prototype });
    });
  };

  const kill = (): void => {
    child?.kill('SIGKILL');
    child = undefined;
    initialised = undefined;
  };

  const decodeOnce = async (raw: Uint8Array): Promise<PhotoResult> => {
    if (closed) return { ok: false, code: 'E_PHOTO_DECODER_FAILED', message: 'decoder closed' };
    initialised ??= start();
    const initError = await initialised;
    if (initError !== undefined) {
      kill();
      return {
        ok: false,
        code: 'E_PHOTO_DECODER_FAILED',
        message: `cannot load ${cfg.library}: ${initError}`,
      };
    }
    const c = child!;
    const id = nextId++;
    return new Promise<PhotoResult>((resolve) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        c.off('message', onMessage);
        c.off('exit', onExit);
      };
      const timer = setTimeout(() => {
        cleanup();
        log?.warn({ code: 'E_PHOTO_DECODER_TIMEOUT' }, 'WLT decoder timed out; killing it');
        kill();
        resolve({
          ok: false,
          code: 'E_PHOTO_DECODER_TIMEOUT',
          message: `no answer within ${cfg.timeoutMs} ms`,
        });
      }, cfg.timeoutMs);
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        cleanup();
        child = undefined;
        initialised = undefined;
        log?.error({ code: 'E_PHOTO_DECODER_CRASHED', exit: code, signal }, 'WLT decoder process died');
        resolve({
          ok: false,
          code: 'E_PHOTO_DECODER_CRASHED',
          message: `vendor library crashed (${signal ?? `exit ${code}`})`,
        });
      };
      const onMessage = (m: {
        op: string;
        id: number;
        ret: number;
        out?: Uint8Array;
        error?: string;
      }): void => {
        if (m.op !== 'decode' || m.id !== id) return;
        cleanup();
        if (m.ret !== cfg.successReturn || !m.out) {
          resolve({
            ok: false,
            code: 'E_PHOTO_DECODER_FAILED',
            message: m.error ?? `vendor library returned ${m.ret}`,
          });
          return;
        }
        const out = new Uint8Array(m.out);
        const img = sniffImage(out);
        if (img) resolve({ ok: true, portrait: img });
        else if (out.length === 102 * 126 * 3)
          resolve({ ok: true, portrait: { format: 'raw-bgr', bytes: out, width: 102, height: 126 } });
        else
          resolve({
            ok: false,
            code: 'E_PHOTO_DECODER_FAILED',
            message: 'vendor library output is neither BMP nor 102x126 BGR',
          });
      };
      c.on('message', onMessage);
      c.once('exit', onExit);
      c.send({ op: 'decode', id, wlt: raw, outputBytes: cfg.outputBytes, extraArgs: cfg.extraArgs });
    });
  };

  return {
    // One decode at a time: vendor libraries are rarely re-entrant.
    decode: (raw) => {
      const r = queue.then(() => decodeOnce(raw));
      queue = r.catch(() => undefined);
      return r;
    },
    close: async () => {
      closed = true;
      await queue;
      const c = child;
      child = undefined;
      if (c && c.exitCode === null) {
        await new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.disconnect();
          setTimeout(() => c.kill('SIGKILL'), 1000).unref();
        });
      }
    },
  };
}

export function createPhotoDecoder(cfg: PhotoConfig, deps: WltDecoderDeps = {}): PhotoDecoder | undefined {
  if (cfg.decoder === 'none') return undefined;
  if (cfg.decoder === 'wlt-ffi') return createWltFfiDecoder(cfg, deps);
  return passthroughPhotoDecoder();
}
