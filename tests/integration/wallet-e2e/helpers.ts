// Helpers of the wallet end-to-end tests: the demo PID issuer of backend/dev-keys.ts driven by @sd-jwt/sd-jwt-vc,
// and a portrait of realistic size.
import { CompactSign, importJWK } from 'jose';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import { createHeaderAndPayload } from '@sd-jwt/jwt-status-list';
import jpeg from 'jpeg-js';
import type { TestIssuer } from '../../fixtures/wallet/oid4vp.ts';

/** The demo PID issuer of backend/dev-keys.ts, driven by @sd-jwt/sd-jwt-vc. */
export async function issuerFromJwk(
  iss: string,
  kid: string,
  privateJwk: Record<string, unknown>,
  publicJwk: Record<string, unknown>,
): Promise<TestIssuer> {
  const sdjwt = new SDJwtVcInstance({
    signer: await ES256.getSigner(privateJwk as never),
    signAlg: 'ES256',
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
  });
  const key = await importJWK(privateJwk as never, 'ES256');
  return {
    iss,
    kid,
    publicJwk,
    sdjwt,
    async signStatusList(list, uri, iat) {
      const { header, payload } = createHeaderAndPayload(
        list,
        { iss, sub: uri, iat, ttl: 300 } as never,
        { alg: 'ES256', typ: 'statuslist+jwt', kid } as never,
      );
      return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader(header as never)
        .sign(key);
    },
  };
}

/** A portrait of realistic size: a 240×320 JPEG (quality 85) of a noisy gradient, as a data URL. */
export function portraitDataUrl(): string {
  const w = 240;
  const h = 320;
  const data = Buffer.alloc(w * h * 4);
  let s = 12345;
  for (let i = 0; i < w * h; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const n = (s >>> 24) & 31;
    const x = i % w;
    const y = Math.floor(i / w);
    data[i * 4] = (x + n) & 255;
    data[i * 4 + 1] = (y / 2 + n) & 255;
    data[i * 4 + 2] = (x + y + n) & 255;
    data[i * 4 + 3] = 255;
  }
  const jpg = jpeg.encode({ data, width: w, height: h }, 85).data;
  return `data:image/jpeg;base64,${Buffer.from(jpg).toString('base64')}`;
}
