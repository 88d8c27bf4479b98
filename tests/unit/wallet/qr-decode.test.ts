import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { createQrDecoder, decodeImage, rotateFrame, bgrToRgba } from '../../../kiosk/wallet/qr-decode.ts';
import { syntheticFrame } from '../../fixtures/wallet/synthetic-frame.ts';

const TEXT = 'EID1:6BF+70*W0$O0 E6%3V+2$6-WP0*0GSK4HK94UQO88';

describe('qr-decode', () => {
  it('reads the same code from PNG and JPEG bytes, at every rotation, with zxing-wasm', async () => {
    const frame = syntheticFrame(TEXT, 3, { noise: 6 });
    const png = new PNG({ width: frame.width, height: frame.height });
    png.data = Buffer.from(frame.data);
    const pngBytes = PNG.sync.write(png);
    const jpgBytes = jpeg.encode(
      { data: Buffer.from(frame.data), width: frame.width, height: frame.height },
      92,
    ).data;
    const dec = await createQrDecoder('zxing-wasm');
    for (const bytes of [pngBytes, jpgBytes]) {
      const img = decodeImage(bytes);
      expect([img.width, img.height]).toEqual([640, 480]);
      for (const r of [0, 90, 180, 270] as const)
        expect(await dec.decode(rotateFrame(img, r))).toEqual([TEXT]);
    }
  });

  it('rotates pixels exactly and converts BGR', () => {
    const f = {
      data: new Uint8ClampedArray([
        1, 0, 0, 255, 2, 0, 0, 255, 3, 0, 0, 255, 4, 0, 0, 255, 5, 0, 0, 255, 6, 0, 0, 255,
      ]),
      width: 3,
      height: 2,
    };
    const r90 = rotateFrame(f, 90);
    expect([r90.width, r90.height]).toEqual([2, 3]);
    expect(Array.from({ length: 6 }, (_, i) => r90.data[i * 4])).toEqual([4, 1, 5, 2, 6, 3]);
    const r180 = rotateFrame(f, 180);
    expect(Array.from({ length: 6 }, (_, i) => r180.data[i * 4])).toEqual([6, 5, 4, 3, 2, 1]);
    const r270 = rotateFrame(f, 270);
    expect(Array.from({ length: 6 }, (_, i) => r270.data[i * 4])).toEqual([3, 6, 2, 5, 1, 4]);
    expect(Array.from(bgrToRgba(new Uint8Array([10, 20, 30]), 1, 1).data)).toEqual([30, 20, 10, 255]);
  });

  it('refuses non-images with E_QR_IMAGE_UNREADABLE and finds nothing in an empty frame', async () => {
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]))).toThrow(/not a PNG or JPEG/);
    const blank = { data: new Uint8ClampedArray(64 * 64 * 4).fill(200), width: 64, height: 64 };
    expect(await (await createQrDecoder('zxing-js')).decode(blank)).toEqual([]);
    expect(await (await createQrDecoder('zxing-wasm')).decode(blank)).toEqual([]);
  });
});
