// `eid-kiosk qr decode IMAGE... [--decoder zxing-wasm|zxing-js]`: one JSON line per image,
// {"file": …, "texts": […], "ms": …}; an unreadable image gives {"file": …, "error": "E_QR_IMAGE_UNREADABLE: …"}.
import { parseArgs } from 'node:util';
import { createQrDecoder, loadImage } from '../../wallet/qr-decode.ts';
import type { QrDecoderName } from '../../wallet/qr-decode.ts';
import { isKioskError } from '../../shared/errors.ts';
import type { CliIo } from '../io.ts';

const USAGE = 'usage: eid-kiosk qr decode IMAGE... [--decoder zxing-wasm|zxing-js]';

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'decode') {
    io.err(`E_CLI_USAGE: ${sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`}`);
    io.err(USAGE);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: { decoder: { type: 'string', default: 'zxing-wasm' } },
    });
  } catch (e) {
    io.err(`E_CLI_USAGE: ${(e as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  const name = parsed.values.decoder as QrDecoderName;
  if (name !== 'zxing-wasm' && name !== 'zxing-js') {
    io.err(`E_CLI_USAGE: unknown decoder '${String(name)}'`);
    return 2;
  }
  if (parsed.positionals.length === 0) {
    io.err('E_CLI_USAGE: no image given');
    io.err(USAGE);
    return 2;
  }
  const decoder = await createQrDecoder(name);
  let failed = 0;
  for (const file of parsed.positionals) {
    try {
      const frame = await loadImage(file);
      const t0 = performance.now();
      const texts = await decoder.decode(frame);
      const ms = Math.round((performance.now() - t0) * 100) / 100;
      io.out(JSON.stringify({ file, texts, ms }));
    } catch (e) {
      failed++;
      io.out(JSON.stringify({ file, error: isKioskError(e) ? `${e.code}: ${e.message}` : String(e) }));
    }
  }
  return failed > 0 ? 1 : 0;
}
