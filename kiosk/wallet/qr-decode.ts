// QR decoding of images and camera frames, with two decoders behind one interface:
//  - 'zxing-wasm' (ZXing-C++ compiled to WebAssembly; measured better on ZXing's black-box images and on noisy
//    640×480 frames — docs/identity-qr.md, Figures), the default;
//  - 'zxing-js' (@zxing/library 0.21.3, the Node-20-compatible pin of the JavaScript port).
// The wasm binary is read from node_modules (no network), once per process.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { KioskError } from '../shared/errors.ts';
import type * as ZxingWasm from 'zxing-wasm/reader';

export interface RgbaFrame {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

export type QrDecoderName = 'zxing-wasm' | 'zxing-js';

export interface QrDecoder {
  readonly name: QrDecoderName;
  /** Every QR code found in the frame (usually zero or one). Never throws for "nothing found". */
  decode(frame: RgbaFrame): Promise<string[]>;
}

type ZxingWasmReader = typeof ZxingWasm;
let wasmReady: Promise<ZxingWasmReader> | undefined;

async function loadWasm() {
  wasmReady ??= (async () => {
    const mod = await import('zxing-wasm/reader');
    const require = createRequire(import.meta.url);
    const wasm = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    await mod.prepareZXingModule({
      overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
      fireImmediately: true,
    } as never);
    return mod;
  })();
  return wasmReady;
}

export async function createQrDecoder(name: QrDecoderName = 'zxing-wasm'): Promise<QrDecoder> {
  if (name === 'zxing-wasm') {
    const mod = await loadWasm();
    const options = {
      formats: ['QRCode'],
      textMode: 'Plain',
      tryHarder: true,
      maxNumberOfSymbols: 4,
    } as const;
    return {
      name,
      async decode(frame) {
        const data =
          frame.data instanceof Uint8ClampedArray
            ? frame.data
            : new Uint8ClampedArray(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
        const image = { data, width: frame.width, height: frame.height, colorSpace: 'srgb' };
        const found = await mod.readBarcodes(image as never, options as never);
        return found.filter((b) => b.isValid).map((b) => b.text);
      },
    };
  }
  const zx = await import('@zxing/library');
  const reader = new zx.QRCodeReader();
  const hints = new Map<unknown, unknown>([[zx.DecodeHintType.TRY_HARDER, true]]);
  return {
    name,
    async decode(frame) {
      const lum = toLuminance(frame);
      const source = new zx.RGBLuminanceSource(lum, frame.width, frame.height);
      const bitmap = new zx.BinaryBitmap(new zx.HybridBinarizer(source));
      try {
        return [reader.decode(bitmap, hints as never).getText()];
      } catch (e) {
        if (
          e instanceof zx.NotFoundException ||
          e instanceof zx.ChecksumException ||
          e instanceof zx.FormatException
        )
          return [];
        throw e;
      } finally {
        reader.reset();
      }
    },
  };
}

/** ZXing's own RGB → luminance: (R + 2G + B) / 4. */
export function toLuminance(frame: RgbaFrame): Uint8ClampedArray {
  const n = frame.width * frame.height;
  const out = new Uint8ClampedArray(n);
  const d = frame.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) out[i] = (d[j]! + 2 * d[j + 1]! + d[j + 2]!) >> 2;
  return out;
}

/** A BGR frame (OpenCV Mat bytes) → RGBA. */
export function bgrToRgba(bgr: Uint8Array, width: number, height: number): RgbaFrame {
  const n = width * height;
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0, j = 0, k = 0; i < n; i++, j += 3, k += 4) {
    out[k] = bgr[j + 2]!;
    out[k + 1] = bgr[j + 1]!;
    out[k + 2] = bgr[j]!;
    out[k + 3] = 255;
  }
  return { data: out, width, height };
}

/** Rotate by 0/90/180/270 degrees clockwise. */
export function rotateFrame(frame: RgbaFrame, degrees: 0 | 90 | 180 | 270): RgbaFrame {
  if (degrees === 0) return frame;
  const { width: w, height: h, data } = frame;
  const nw = degrees === 180 ? w : h;
  const nh = degrees === 180 ? h : w;
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let nx: number, ny: number;
      if (degrees === 90) [nx, ny] = [h - 1 - y, x];
      else if (degrees === 180) [nx, ny] = [w - 1 - x, h - 1 - y];
      else [nx, ny] = [y, w - 1 - x];
      const s = (y * w + x) * 4;
      const t = (ny * nw + nx) * 4;
      out[t] = data[s]!;
      out[t + 1] = data[s + 1]!;
      out[t + 2] = data[s + 2]!;
      out[t + 3] = data[s + 3]!;
    }
  }
  return { data: out, width: nw, height: nh };
}

/** Read a PNG or JPEG file into RGBA. Other formats → E_QR_IMAGE_UNREADABLE. */
export async function loadImage(path: string, maxPixels = 40_000_000): Promise<RgbaFrame> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new KioskError('E_QR_IMAGE_UNREADABLE', `cannot read ${path}`, { cause: e });
  }
  return decodeImage(bytes, maxPixels);
}

export function decodeImage(bytes: Uint8Array, maxPixels = 40_000_000): RgbaFrame {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
      const png = PNG.sync.read(buf);
      if (png.width * png.height > maxPixels) throw new Error('image too large');
      return { data: png.data, width: png.width, height: png.height };
    }
    if (buf[0] === 0xff && buf[1] === 0xd8) {
      const img = jpeg.decode(buf, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: maxPixels / 1e6,
      });
      return { data: img.data, width: img.width, height: img.height };
    }
  } catch (e) {
    throw new KioskError('E_QR_IMAGE_UNREADABLE', `image could not be decoded: ${(e as Error).message}`, {
      cause: e,
    });
  }
  throw new KioskError('E_QR_IMAGE_UNREADABLE', 'not a PNG or JPEG image');
}
