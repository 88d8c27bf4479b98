// The kiosk's identity-QR reader: config → a function from scanned text (scanner.code or a camera frame) to the
// machine event. Opens the replay cache file once; the trust list is imported once (a bad key fails at start).
import { isAbsolute, join } from 'node:path';
import type { IdentityQrConfig } from '../../config/schema/wallet.ts';
import { prepareTrustList, verifyIdentityQr } from '../credentials/identity-qr/verify.ts';
import type { IdentityQrErrorCode, VerifyIdentityQrResult } from '../credentials/identity-qr/verify.ts';
import type { IdentityDocument, ReasonCode } from '../core/types.ts';
import { openReplayCache } from './replay-cache.ts';
import type { QrDecoder, RgbaFrame } from './qr-decode.ts';

export type IdentityQrEvent =
  | { readonly type: 'document.read'; readonly document: IdentityDocument }
  | {
      readonly type: 'document.rejected';
      readonly code: IdentityQrErrorCode;
      readonly reason: ReasonCode;
      readonly source: 'identity-qr';
    };

export interface IdentityQrReader {
  /** Text from the scanner; undefined when it is not an identity code at all (another QR: ignore it). */
  readText(text: string): IdentityQrEvent | undefined;
  /** A camera frame: the first identity code found in it, if any. */
  readFrame(frame: RgbaFrame): Promise<IdentityQrEvent | undefined>;
  close(): void;
}

export function openIdentityQrReader(
  config: IdentityQrConfig,
  opts: { dataDir: string; decoder?: QrDecoder; now?: () => number },
): IdentityQrReader {
  const now = opts.now ?? Date.now;
  const trustList = prepareTrustList(config.trustedIssuers);
  const path = isAbsolute(config.replayCachePath)
    ? config.replayCachePath
    : join(opts.dataDir, config.replayCachePath);
  const replayCache = openReplayCache(path, { now });
  const toEvent = (r: VerifyIdentityQrResult): IdentityQrEvent =>
    r.ok
      ? { type: 'document.read', document: r.document }
      : { type: 'document.rejected', code: r.code, reason: r.reason, source: 'identity-qr' };
  const readText = (text: string) => {
    if (!config.enabled || !text.trimStart().startsWith(config.prefix)) return undefined;
    return toEvent(
      verifyIdentityQr(text.trim(), {
        trustList,
        now: now(),
        replayCache,
        prefix: config.prefix,
        clockSkewSeconds: config.clockSkewSeconds,
        maxLifetimeSeconds: config.maxLifetimeSeconds,
        maxTextLength: config.maxTextLength,
        maxInflatedBytes: config.maxInflatedBytes,
      }),
    );
  };
  return {
    readText,
    async readFrame(frame) {
      if (!opts.decoder) return undefined;
      for (const text of await opts.decoder.decode(frame)) {
        const ev = readText(text);
        if (ev) return ev;
      }
      return undefined;
    },
    close: () => replayCache.close(),
  };
}
