// The vendor-WLT path: a C library with a vendor-like signature, compiled here with gcc, loaded through koffi
// in a child process. A SIGSEGV or a hang in it must fail one decode and never the test process.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoSection } from '../../../config/schema/devices.ts';
import {
  createWltFfiDecoder,
  passthroughPhotoDecoder,
  sniffImage,
} from '../../../firmware-bridge/devices/photo-decoder.ts';
import type { PhotoDecoder } from '../../../firmware-bridge/devices/photo-decoder.ts';
import { fakeWlt } from '../../../firmware-bridge/simulators/cards.ts';

const SRC = fileURLToPath(new URL('../../fixtures/firmware/fake-wlt.c', import.meta.url));
let dir: string;
let lib: string;
let dec: PhotoDecoder;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eid-wlt-'));
  lib = join(dir, 'libfakewlt.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-o', lib, SRC]);
  dec = createWltFfiDecoder(photoSection.parse({ decoder: 'wlt-ffi', library: lib, timeoutMs: 1500 }));
});
afterAll(async () => {
  await dec?.close();
  rmSync(dir, { recursive: true, force: true });
});

const crashing = (): Uint8Array => Uint8Array.from([0xde, 0xad, ...fakeWlt(9).subarray(2)]);
const hanging = (): Uint8Array => Uint8Array.from([0xbe, 0xef, ...fakeWlt(9).subarray(2)]);

describe('vendor WLT library in a child process', () => {
  it('decodes to a real 102×126 24-bit BMP built from the input bytes', async () => {
    const wlt = fakeWlt(3);
    const r = await dec.decode(wlt);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.portrait).toMatchObject({ format: 'bmp', width: 102, height: 126 });
    expect(r.portrait.bytes.length).toBe(38862);
    // pixel (x=5, y=2): blue = wlt[(2*102+5) % 1024]
    expect(r.portrait.bytes[54 + 2 * 308 + 5 * 3]).toBe(wlt[(2 * 102 + 5) % 1024]);
  });

  it('a SIGSEGV in vendor code fails one decode; the next decode works in a fresh child', async () => {
    const r = await dec.decode(crashing());
    expect(r).toMatchObject({ ok: false, code: 'E_PHOTO_DECODER_CRASHED' });
    expect(!r.ok && r.message).toContain('SIGSEGV');
    const again = await dec.decode(fakeWlt(4));
    expect(again.ok).toBe(true);
  });

  it('a hang is cut off by the timeout; the decoder recovers', async () => {
    const t0 = Date.now();
    const r = await dec.decode(hanging());
    expect(r).toMatchObject({ ok: false, code: 'E_PHOTO_DECODER_TIMEOUT' });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect((await dec.decode(fakeWlt(5))).ok).toBe(true);
  });

  it('a vendor error code and a missing library are typed failures', async () => {
    const bad = createWltFfiDecoder(photoSection.parse({ decoder: 'wlt-ffi', library: lib, extraArgs: [2] }));
    expect(await bad.decode(fakeWlt(1))).toMatchObject({ ok: false, code: 'E_PHOTO_DECODER_FAILED' });
    await bad.close();
    const missing = createWltFfiDecoder(
      photoSection.parse({ decoder: 'wlt-ffi', library: join(dir, 'nope.so') }),
    );
    expect(await missing.decode(fakeWlt(1))).toMatchObject({ ok: false, code: 'E_PHOTO_DECODER_FAILED' });
    await missing.close();
  });
});

describe('passthrough decoder', () => {
  it('accepts BMP/PNG/JPEG with their sizes and refuses WLT', async () => {
    const p = passthroughPhotoDecoder();
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 102, 0, 0,
      0, 126,
    ]);
    expect(await p.decode(png)).toMatchObject({
      ok: true,
      portrait: { format: 'png', width: 102, height: 126 },
    });
    const jpeg = Uint8Array.from([
      0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 126, 0, 102, 3, 0, 0, 0,
    ]);
    expect(sniffImage(jpeg)).toMatchObject({ format: 'jpeg', width: 102, height: 126 });
    expect(await p.decode(fakeWlt(1))).toMatchObject({ ok: false, code: 'E_PHOTO_UNSUPPORTED' });
  });
});
