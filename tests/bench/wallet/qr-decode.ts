// QR decoders compared: @zxing/library 0.21.3 (zxing-js) vs zxing-wasm, on ZXing's QR black-box images
// (/work/shared/data/qr/qrcode-1 and qrcode-2, from github.com/zxing/zxing core/src/test/resources/blackbox/,
// Apache-2.0) at 0/90/180/270°, and on synthetic noisy 640×480 camera frames holding an identity code.
// Run: npx tsx tests/bench/wallet/qr-decode.ts [--frames N]
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createQrDecoder, loadImage, rotateFrame } from '../../../kiosk/wallet/qr-decode.ts';
import type { QrDecoderName, RgbaFrame } from '../../../kiosk/wallet/qr-decode.ts';
import { syntheticFrame } from '../../fixtures/wallet/synthetic-frame.ts';
import { issueSample, makeIssuer } from '../../fixtures/wallet/identity-qr-keys.ts';

const DATA = process.env.QR_DATA ?? '/work/shared/data/qr';
const framesArg = process.argv.indexOf('--frames');
const FRAMES = framesArg > 0 ? Number(process.argv[framesArg + 1]) : 100;
const ROTATIONS = [0, 90, 180, 270] as const;
// ZXing's own Java thresholds (QRCodeBlackBox1TestCase / 2TestCase): images it must decode per rotation.
const ZXING_JAVA: Record<string, number[]> = { 'qrcode-1': [17, 14, 17, 14], 'qrcode-2': [32, 30, 31, 31] };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function main() {
  console.log(
    `machine: ${cpus()[0]?.model} × ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`,
  );
  const decoders: QrDecoderName[] = ['zxing-js', 'zxing-wasm'];
  if (!existsSync(DATA)) {
    console.log(`no data at ${DATA}; skipping the black-box part`);
  } else {
    for (const set of ['qrcode-1', 'qrcode-2']) {
      const dir = join(DATA, set);
      const items: { frame: RgbaFrame; expected: string }[] = [];
      for (const f of readdirSync(dir).filter(
        (f) => f.endsWith('.png') || f.endsWith('.jpg') || f.endsWith('.gif'),
      )) {
        const txt = join(dir, f.replace(/\.(png|jpg|gif)$/, '.txt'));
        if (!existsSync(txt) || f.endsWith('.gif')) continue;
        items.push({ frame: await loadImage(join(dir, f)), expected: readFileSync(txt, 'utf8') });
      }
      for (const name of decoders) {
        const dec = await createQrDecoder(name);
        const row: string[] = [];
        const times: number[] = [];
        for (const [ri, rot] of ROTATIONS.entries()) {
          let ok = 0;
          for (const it of items) {
            const fr = rotateFrame(it.frame, rot);
            const t0 = performance.now();
            const texts = await dec.decode(fr);
            times.push(performance.now() - t0);
            if (texts.includes(it.expected)) ok++;
          }
          row.push(`${rot}°: ${ok}/${items.length} (Java ZXing ${ZXING_JAVA[set]![ri]})`);
        }
        console.log(
          `${set} ${name.padEnd(10)} ${row.join('  ')}  median ${pct(times, 50).toFixed(1)} ms  p95 ${pct(times, 95).toFixed(1)} ms`,
        );
      }
    }
  }
  // Camera frames: 640×480, noisy, with a real identity code.
  const issuer = makeIssuer('ES256');
  const frames: { frame: RgbaFrame; text: string }[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const text = issueSample(issuer, 1_795_000_000 + i);
    frames.push({ frame: syntheticFrame(text, i + 1), text });
  }
  for (const name of decoders) {
    const dec = await createQrDecoder(name);
    await dec.decode(frames[0]!.frame); // warm-up
    const times: number[] = [];
    let ok = 0;
    const t0 = performance.now();
    for (const f of frames) {
      const s = performance.now();
      const texts = await dec.decode(f.frame);
      times.push(performance.now() - s);
      if (texts.includes(f.text)) ok++;
    }
    const total = performance.now() - t0;
    console.log(
      `640×480 camera frames (${FRAMES}, synthetic noisy identity code, ${frames[0]!.text.length} chars) ${name.padEnd(10)} decoded ${ok}/${FRAMES}  median ${pct(times, 50).toFixed(1)} ms  p95 ${pct(times, 95).toFixed(1)} ms  ${((FRAMES / total) * 1000).toFixed(0)} frames/s`,
    );
  }
}

await main();
