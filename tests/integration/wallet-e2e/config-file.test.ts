// backend/config-file.ts and backend/dev-keys.ts: what backend/main.ts reads, on real files.
import { afterAll, describe, expect, it } from 'vitest';
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBackendConfig, pemCertificatesToX5c } from '../../../backend/config-file.ts';
import { makeDevKeys } from '../../../backend/dev-keys.ts';
import { tempDir } from '../backend/harness.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const dir = () => {
  const d = tempDir('eid-devkeys-');
  dirs.push(d);
  return d;
};

describe('dev-keys', () => {
  it('makes a matching verifier key and certificate, an issuer key and a config that trusts it', async () => {
    const out = join(dir(), 'k');
    const k = makeDevKeys({ out, publicUrl: 'http://192.168.1.20:8787' });
    const cert = new X509Certificate(readFileSync(join(out, 'verifier.pem')));
    expect(cert.subjectAltName).toContain('IP Address:192.168.1.20');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    for (const f of ['verifier.key', 'issuer.jwk.json', 'admin-token', 'backend.json'])
      expect(statSync(join(out, f)).mode & 0o077).toBe(0);
    const cfg = await loadBackendConfig({ BACKEND_CONFIG: k.configFile });
    const v = cfg.verifier!;
    expect(v.publicBaseUrl).toBe('http://192.168.1.20:8787');
    expect(v.allowInsecureUrls).toBe(true);
    expect(v.certificateChain).toEqual([cert.raw.toString('base64')]);
    expect(v.signingKey).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(v.trustedIssuers?.[0]).toMatchObject({ iss: k.issuer.iss, jwk: { kid: k.issuer.kid } });
    expect(v.trustedIssuers?.[0]?.jwk).not.toHaveProperty('d');
    expect(cfg.backend.tokens?.[0]?.token).toBe(k.adminToken);
    // run again: the keys are kept
    const hash = createHash('sha256')
      .update(readFileSync(join(out, 'verifier.pem')))
      .digest('hex');
    const again = makeDevKeys({ out });
    expect(again.written).toEqual([]);
    expect(
      createHash('sha256')
        .update(readFileSync(join(out, 'verifier.pem')))
        .digest('hex'),
    ).toBe(hash);
  });

  it('environment overrides: public URL, storage, verifier off; a broken verifier section fails at load', async () => {
    const d = dir();
    const k = makeDevKeys({ out: d });
    const cfg = await loadBackendConfig({
      BACKEND_CONFIG: k.configFile,
      BACKEND_VERIFIER_PUBLIC_URL: 'https://verifier-2.venue.example',
      BACKEND_SQLITE_PATH: join(d, 'other.sqlite'),
    });
    expect(cfg.verifier?.publicBaseUrl).toBe('https://verifier-2.venue.example');
    expect(cfg.backend.sqlitePath).toBe(join(d, 'other.sqlite'));
    expect(cfg.backend).not.toHaveProperty('verifier');
    expect(
      (await loadBackendConfig({ BACKEND_CONFIG: k.configFile, BACKEND_VERIFIER: 'off' })).verifier,
    ).toBeUndefined();
    const bad = join(d, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ verifier: { publicBaseUrl: 'not a url', certificateFile: 'verifier.pem' } }),
    );
    await expect(loadBackendConfig({ BACKEND_CONFIG: bad })).rejects.toThrow(/publicBaseUrl|signingKey/);
    expect((await loadBackendConfig({}, [])).verifier).toBeUndefined();
  });

  it('reads a PEM chain in file order', () => {
    const d = dir();
    makeDevKeys({ out: d });
    const pem = readFileSync(join(d, 'verifier.pem'), 'utf8');
    expect(pemCertificatesToX5c(pem + '\n' + pem)).toHaveLength(2);
  });
});
