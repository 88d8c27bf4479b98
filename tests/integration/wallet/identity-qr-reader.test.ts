// The kiosk reader end to end: config → scanner text and a noisy 640×480 camera frame → machine events, with the
// replay cache file surviving a restart.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { walletSection } from '../../../config/schema/wallet.ts';
import { openIdentityQrReader } from '../../../kiosk/wallet/identity-qr-reader.ts';
import { createQrDecoder } from '../../../kiosk/wallet/qr-decode.ts';
import { issueSample, makeIssuer } from '../../fixtures/wallet/identity-qr-keys.ts';
import { syntheticFrame } from '../../fixtures/wallet/synthetic-frame.ts';

describe('identity-QR reader', () => {
  it('reads scanner text and camera frames, refuses a replay after restart, ignores other QR codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idqr-reader-'));
    try {
      const issuer = makeIssuer('ES256');
      const config = walletSection.parse({ identityQr: { trustedIssuers: [issuer.trust] } }).identityQr;
      const T = 1_795_000_000;
      const now = () => (T + 3) * 1000;
      const decoder = await createQrDecoder('zxing-wasm');
      let reader = openIdentityQrReader(config, { dataDir: dir, decoder, now });

      expect(reader.readText('https://example.com/not-an-identity-code')).toBeUndefined();
      const a = issueSample(issuer, T);
      expect(reader.readText(a + '\r\n')).toMatchObject({ type: 'document.read' });

      const b = issueSample(issuer, T);
      const ev = await reader.readFrame(syntheticFrame(b, 7));
      expect(ev?.type).toBe('document.read');
      reader.close();

      reader = openIdentityQrReader(config, { dataDir: dir, decoder, now });
      expect(reader.readText(a)).toEqual({
        type: 'document.rejected',
        code: 'E_IDQR_REPLAYED',
        reason: 'credential-replayed',
        source: 'identity-qr',
      });
      expect(reader.readText(issueSample(makeIssuer('ES256', 'https://other', 'x'), T))).toMatchObject({
        type: 'document.rejected',
        reason: 'credential-untrusted',
      });
      reader.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
