// The OpenCV binding, loaded lazily (importing kiosk/face touches no native module until an engine or a
// camera is made). Also the small helpers every stage shares: decode, wipe, BGR buffer ↔ Mat.
import { createRequire } from 'node:module';
import type { Mat, cv as CvNamespace } from '@u4/opencv4nodejs';
import { KioskError } from '../shared/errors.ts';

export type Cv = typeof CvNamespace;
export type { Mat };

let loaded: Cv | undefined;

export function cv(): Cv {
  if (loaded) return loaded;
  try {
    const require = createRequire(import.meta.url);
    // The loader builds an OpenCVBuilder on require, which prints its environment to stdout; silence it so
    // `--json` output stays one object. @u4/opencv-build is the binding's own dependency.
    try {
      const fromBinding = createRequire(require.resolve('@u4/opencv4nodejs'));
      (fromBinding('@u4/opencv-build') as { Log: { silence: boolean } }).Log.silence = true;
    } catch {
      // an older layout without the builder: nothing to silence
    }
    loaded = require('@u4/opencv4nodejs') as Cv;
    return loaded;
  } catch (e) {
    throw new KioskError(
      'E_FACE_OPENCV_UNAVAILABLE',
      'the OpenCV binding @u4/opencv4nodejs does not load; run scripts/setup.d/10-opencv.sh',
      { cause: e },
    );
  }
}

/** Overwrite a Mat's pixels and free it: images of faces do not linger in freed memory we control. */
export function wipe(...mats: (Mat | undefined)[]): void {
  for (const m of mats) {
    if (!m || m.empty) continue;
    try {
      m.setTo(0);
    } catch {
      // non-contiguous views cannot always be set; release anyway
    }
    m.release();
  }
}

/** An 8-bit BGR image held in a plain buffer (what a camera frame and a decoded portrait become). */
export interface BgrImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export function matFromBgr(img: BgrImage): Mat {
  const c = cv();
  return new c.Mat(
    Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength),
    img.height,
    img.width,
    c.CV_8UC3,
  );
}

/** Copies a Mat's pixels out as BGR (converting grey / BGRA), then frees nothing: the caller owns the Mat. */
export function bgrFromMat(mat: Mat): BgrImage {
  const c = cv();
  let m = mat;
  let tmp: Mat | undefined;
  if (mat.channels === 1) tmp = m = mat.cvtColor(c.COLOR_GRAY2BGR);
  else if (mat.channels === 4) tmp = m = mat.cvtColor(c.COLOR_BGRA2BGR);
  const data = new Uint8Array(m.getData());
  const out = { data, width: m.cols, height: m.rows };
  wipe(tmp);
  return out;
}

/** Decodes JPEG / PNG / BMP bytes to BGR; undefined when the bytes are not an image OpenCV can read. */
export function decodeImage(bytes: Uint8Array): Mat | undefined {
  const c = cv();
  if (bytes.byteLength === 0) return undefined;
  let m: Mat;
  try {
    m = c.imdecode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), c.IMREAD_COLOR);
  } catch {
    return undefined;
  }
  if (m.empty || m.rows === 0 || m.cols === 0) return undefined;
  return m;
}
