// The CLI groups `qr` and `identity-qr` end to end: keygen → issue (+PNG) → decode the PNG → verify → replay.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { main } from '../../../kiosk/cli/main.ts';
import { memoryIo } from '../../../kiosk/cli/io.ts';

describe('eid-kiosk identity-qr and qr', () => {
  it('issues a code, renders it, reads it back from the PNG and verifies it once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idqr-cli-'));
    try {
      const key = join(dir, 'key.json');
      const trust = join(dir, 'trust.json');
      const claims = join(dir, 'claims.json');
      const png = join(dir, 'code.png');
      const db = join(dir, 'replay.sqlite');
      let io = memoryIo();
      expect(
        await main(
          [
            'identity-qr',
            'keygen',
            '--kid',
            'cli-1',
            '--iss',
            'https://id.example',
            '--out',
            key,
            '--alg',
            'EdDSA',
          ],
          io,
        ),
      ).toBe(0);
      writeFileSync(trust, io.stdout[0]!);
      expect(JSON.parse(io.stdout[0]!).jwk.d).toBeUndefined(); // the trust entry is public
      writeFileSync(
        claims,
        JSON.stringify({
          name: '李四',
          birthDate: '2001-02-03',
          nationality: 'CHN',
          documentNumber: '110101200102030011',
          ageOver18: true,
        }),
      );
      io = memoryIo();
      expect(await main(['identity-qr', 'issue', '--key', key, '--claims', claims, '--png', png], io)).toBe(
        0,
      );
      const code = io.stdout[0]!;
      expect(code.startsWith('EID1:')).toBe(true);
      expect(existsSync(png)).toBe(true);

      io = memoryIo();
      expect(await main(['qr', 'decode', png], io)).toBe(0);
      const line = JSON.parse(io.stdout[0]!) as { file: string; texts: string[]; ms: number };
      expect(line.file).toBe(png);
      expect(line.texts).toEqual([code]);
      expect(typeof line.ms).toBe('number');

      // --decoder selects @zxing/library. It misses some clean codes of this size (measured 2026-11-23: 35 of
      // 40 random 335-character codes at scale 6, zxing-wasm 40 of 40), so the flag is checked on a fixed
      // image, not on this random code.
      const fixed = join(dir, 'fixed.png');
      await QRCode.toFile(fixed, 'EID1:FIXED-DECODER-CHECK', {
        errorCorrectionLevel: 'M',
        margin: 4,
        scale: 6,
      });
      io = memoryIo();
      expect(await main(['qr', 'decode', '--decoder', 'zxing-js', fixed], io)).toBe(0);
      expect(JSON.parse(io.stdout[0]!).texts).toEqual(['EID1:FIXED-DECODER-CHECK']);

      io = memoryIo();
      expect(await main(['identity-qr', 'verify', code, '--trust', trust, '--replay-db', db], io)).toBe(0);
      const ok = JSON.parse(io.stdout[0]!);
      expect(ok.ok).toBe(true);
      expect(ok.maskedName).toBe('李*');
      expect(ok.claims.maskedDocumentNumber).toBe('1101**********0011');
      expect(io.stdout.join('\n')).not.toContain('110101200102030011');

      io = memoryIo();
      expect(await main(['identity-qr', 'verify', code, '--trust', trust, '--replay-db', db], io)).toBe(1);
      expect(JSON.parse(io.stdout[0]!).code).toBe('E_IDQR_REPLAYED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports unreadable images and usage errors', async () => {
    let io = memoryIo();
    expect(await main(['qr', 'decode', '/nonexistent.png'], io)).toBe(1);
    expect(JSON.parse(io.stdout[0]!).error).toMatch(/^E_QR_IMAGE_UNREADABLE/);
    io = memoryIo();
    expect(await main(['qr', 'frobnicate'], io)).toBe(2);
    io = memoryIo();
    expect(await main(['identity-qr', 'issue'], io)).toBe(2);
  });
});
