import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReplayCache } from '../../../kiosk/wallet/replay-cache.ts';
import { prepareTrustList, verifyIdentityQr } from '../../../kiosk/credentials/identity-qr/verify.ts';
import { issueSample, makeIssuer } from '../../fixtures/wallet/identity-qr-keys.ts';

describe('SQLite replay cache', () => {
  it('refuses a code used before a restart, and prunes by expiry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idqr-'));
    try {
      const path = join(dir, 'replay.sqlite');
      let t = 1_795_000_000_000;
      const issuer = makeIssuer('EdDSA');
      const trustList = prepareTrustList([issuer.trust]);
      const text = issueSample(issuer, t / 1000);
      const a = openReplayCache(path, { now: () => t });
      expect(verifyIdentityQr(text, { trustList, now: t, replayCache: a }).ok).toBe(true);
      a.close();
      const b = openReplayCache(path, { now: () => t });
      expect(verifyIdentityQr(text, { trustList, now: t + 1000, replayCache: b })).toMatchObject({
        ok: false,
        code: 'E_IDQR_REPLAYED',
      });
      expect(b.size()).toBe(1);
      t += 120_000;
      expect(b.prune()).toBe(1);
      expect(b.size()).toBe(0);
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
