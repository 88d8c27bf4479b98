// Demo / development keys for a backend with the OpenID4VP verifier:
//
//   npx tsx backend/dev-keys.ts --out data/dev-backend [--public-url http://127.0.0.1:8787] [--force]
//
// writes into the directory (mode 0600 for secrets; existing files are kept unless --force):
//   verifier.key         the verifier's P-256 private key (PKCS#8 PEM) that signs request objects
//   verifier.pem         its self-signed certificate (openssl CLI; SAN DNS:localhost, IP:127.0.0.1 and the
//                        public URL's host): the x5c of every request object, client_id x509_hash:<sha256>
//   issuer.jwk.json      a demo PID issuer's P-256 private JWK (kid demo-pid-issuer-1): sign test PIDs with it
//   issuer.pub.jwk.json  its public JWK, which backend.json trusts
//   admin-token          a random admin+unseal bearer token (dashboard, enrolment codes)
//   backend.json         BACKEND_CONFIG for backend/main.ts: SQLite in the directory, the token, and a
//                        `verifier` section pointing at the files above and trusting the demo issuer only
//
// Then: BACKEND_CONFIG=data/dev-backend/backend.json npx tsx backend/main.ts
// Nothing here is fit for production: a real deployment needs a certificate wallets trust and the real PID
// issuers' keys (docs/wallet.md).
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const DEMO_ISSUER = 'https://pid-issuer.demo.invalid';
export const DEMO_ISSUER_KID = 'demo-pid-issuer-1';

export interface DevKeysOptions {
  readonly out: string;
  /** The verifier's publicBaseUrl (what a wallet reaches). */
  readonly publicUrl?: string;
  readonly force?: boolean;
  /** Certificate lifetime in days. */
  readonly days?: number;
}

export interface DevKeys {
  readonly dir: string;
  readonly configFile: string;
  readonly adminToken: string;
  readonly issuer: {
    readonly iss: string;
    readonly kid: string;
    readonly privateJwk: Record<string, unknown>;
    readonly publicJwk: Record<string, unknown>;
  };
  readonly written: readonly string[];
}

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT')
      throw new Error('the openssl command is missing (scripts/setup.d/50-wallet.sh installs it)', {
        cause: e,
      });
    throw new Error(`openssl failed: ${err.stderr?.toString().trim() ?? err.message}`, { cause: e });
  }
}

export function makeDevKeys(o: DevKeysOptions): DevKeys {
  const dir = resolve(o.out);
  const publicUrl = (o.publicUrl ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = (n: string) => join(dir, n);
  const fresh = (n: string) => o.force === true || !existsSync(f(n));
  const written: string[] = [];
  const secret = (n: string, text: string) => {
    writeFileSync(f(n), text, { mode: 0o600 });
    written.push(n);
  };

  if (fresh('verifier.key') || fresh('verifier.pem')) {
    const san = ['DNS:localhost', 'IP:127.0.0.1'];
    if (host !== 'localhost' && host !== '127.0.0.1') san.push(isIP(host) ? `IP:${host}` : `DNS:${host}`);
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      f('verifier.key'),
      '-out',
      f('verifier.pem'),
      '-days',
      String(o.days ?? 365),
      '-subj',
      '/CN=eid-kiosk demo verifier',
      '-addext',
      `subjectAltName=${san.join(',')}`,
    ]);
    // openssl writes the key 0600 on current versions; make sure
    secret('verifier.key', readFileSync(f('verifier.key'), 'utf8'));
    written.push('verifier.pem');
  }

  let privateJwk: Record<string, unknown>;
  if (fresh('issuer.jwk.json')) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    privateJwk = {
      ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>),
      kid: DEMO_ISSUER_KID,
    };
    secret('issuer.jwk.json', JSON.stringify(privateJwk, null, 2) + '\n');
  } else {
    privateJwk = JSON.parse(readFileSync(f('issuer.jwk.json'), 'utf8')) as Record<string, unknown>;
  }
  const { d: _d, ...publicJwk } = privateJwk;
  void _d;
  writeFileSync(f('issuer.pub.jwk.json'), JSON.stringify(publicJwk, null, 2) + '\n');

  let adminToken: string;
  if (fresh('admin-token')) {
    adminToken = randomBytes(24).toString('base64url');
    secret('admin-token', adminToken + '\n');
  } else adminToken = readFileSync(f('admin-token'), 'utf8').trim();

  if (fresh('backend.json') || written.length > 0) {
    const config = {
      sqlitePath: f('backend.sqlite'),
      tokens: [{ name: 'dev-admin', token: adminToken, roles: ['admin', 'unseal'] }],
      verifier: {
        publicBaseUrl: publicUrl,
        // wallets on a phone need https; plain http is for 127.0.0.1 demos and tests only
        allowInsecureUrls: publicUrl.startsWith('http:'),
        signingKeyFile: 'verifier.key',
        certificateFile: 'verifier.pem',
        trustedIssuers: [{ iss: DEMO_ISSUER, jwk: publicJwk, name: 'Demo PID issuer (development only)' }],
      },
    };
    secret('backend.json', JSON.stringify(config, null, 2) + '\n');
  }
  // sanity: the key and the certificate belong together
  const cert = new X509Certificate(readFileSync(f('verifier.pem')));
  if (!cert.checkPrivateKey(createPrivateKey(readFileSync(f('verifier.key'), 'utf8'))))
    throw new Error(`${f('verifier.key')} does not match ${f('verifier.pem')}; run again with --force`);

  return {
    dir,
    configFile: f('backend.json'),
    adminToken,
    issuer: { iss: DEMO_ISSUER, kid: DEMO_ISSUER_KID, privateJwk, publicJwk },
    written,
  };
}

function arg(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const out = arg(args, '--out');
  if (!out || args.includes('--help')) {
    process.stderr.write(
      'usage: npx tsx backend/dev-keys.ts --out DIR [--public-url URL] [--days N] [--force]\n',
    );
    process.exit(out ? 0 : 2);
  }
  const publicUrl = arg(args, '--public-url');
  const days = arg(args, '--days');
  const k = makeDevKeys({
    out,
    ...(publicUrl ? { publicUrl } : {}),
    ...(days ? { days: Number(days) } : {}),
    force: args.includes('--force'),
  });
  process.stdout.write(
    `${k.written.length ? `wrote ${k.written.join(', ')}` : 'kept the existing keys'} in ${k.dir}\n` +
      `start: BACKEND_CONFIG=${k.configFile} npx tsx backend/main.ts\n` +
      `admin token: in ${join(k.dir, 'admin-token')}\n`,
  );
}
