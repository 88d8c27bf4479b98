// The backend's configuration as backend/main.ts reads it: a JSON file (BACKEND_CONFIG or --config FILE) with
// buildBackend options plus an optional `verifier` section (the OpenID4VP verifier, backend/verifier/config.ts),
// then environment overrides. Pure apart from reading the files it is told to read; main.ts passes process.env.
//
//   DATABASE_URL, BACKEND_PG_SCHEMA, BACKEND_SQLITE_PATH, BACKEND_SEAL_KEY (PEM file)   → backend options
//   BACKEND_VERIFIER_CONFIG      a JSON file holding the verifier section (instead of / over the file's)
//   BACKEND_VERIFIER_PUBLIC_URL  the verifier's publicBaseUrl (what wallets reach; e.g. the LAN address)
//   BACKEND_VERIFIER=off         do not mount the verifier even when configured
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BackendOptions } from './options.ts';
import { registerVerifier } from './verifier/index.ts';
import type { RegisterVerifierOptions, VerifierHandle } from './verifier/index.ts';
import { verifierOptionsSchema } from './verifier/config.ts';
import type { VerifierOptionsInput } from './verifier/config.ts';

/**
 * The verifier section of the backend config file: every verifierOptionsSchema key, and instead of inline
 * `signingKey` / `certificateChain` the files that hold them (relative to the config file):
 * `signingKeyFile` (PKCS#8 PEM or a JWK .json), `certificateFile` (PEM, leaf first, chain may follow).
 */
export type VerifierSection = Partial<VerifierOptionsInput> & {
  signingKeyFile?: string;
  certificateFile?: string;
};

export interface BackendConfig {
  readonly backend: BackendOptions;
  /** Parsed verifier options, or undefined when the verifier is not configured (or switched off). */
  readonly verifier: VerifierOptionsInput | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/** PEM certificates in a file → base64 DER (x5c order as in the file). */
export function pemCertificatesToX5c(pem: string): string[] {
  const out: string[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(pem); m; m = re.exec(pem)) out.push((m[1] ?? '').replace(/\s+/g, ''));
  return out;
}

async function privateJwkFrom(text: string): Promise<Record<string, unknown>> {
  const t = text.trim();
  if (t.startsWith('{')) return JSON.parse(t) as Record<string, unknown>;
  const { createPrivateKey } = await import('node:crypto');
  return createPrivateKey(t).export({ format: 'jwk' }) as Record<string, unknown>;
}

/** Resolve file references of a verifier section and validate it (throws a zod error naming the key). */
export async function resolveVerifierSection(
  section: VerifierSection,
  baseDir: string,
): Promise<VerifierOptionsInput> {
  const at = (p: string) => (isAbsolute(p) ? p : join(baseDir, p));
  const { signingKeyFile, certificateFile, ...rest } = section;
  const out: Record<string, unknown> = { ...rest };
  if (signingKeyFile) out.signingKey = await privateJwkFrom(readFileSync(at(signingKeyFile), 'utf8'));
  if (certificateFile) out.certificateChain = pemCertificatesToX5c(readFileSync(at(certificateFile), 'utf8'));
  // validate now, so a bad file fails at start with the key's name rather than at the first QR
  verifierOptionsSchema.parse(out);
  return out as VerifierOptionsInput;
}

export async function loadBackendConfig(env: Env, argv: readonly string[] = []): Promise<BackendConfig> {
  const i = argv.indexOf('--config');
  const file = env.BACKEND_CONFIG ?? (i >= 0 ? argv[i + 1] : undefined);
  const fromFile = file
    ? (JSON.parse(readFileSync(file, 'utf8')) as BackendOptions & { verifier?: VerifierSection })
    : {};
  const { verifier: fileVerifier, ...backendFromFile } = fromFile;
  const backend: BackendOptions = {
    logger: true,
    ...backendFromFile,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.BACKEND_PG_SCHEMA ? { pgSchema: env.BACKEND_PG_SCHEMA } : {}),
    ...(env.BACKEND_SQLITE_PATH ? { sqlitePath: env.BACKEND_SQLITE_PATH } : {}),
    ...(env.BACKEND_SEAL_KEY ? { sealPrivateKeyPem: readFileSync(env.BACKEND_SEAL_KEY, 'utf8') } : {}),
  };
  let section: VerifierSection | undefined = fileVerifier;
  let baseDir = file ? dirname(file) : process.cwd();
  if (env.BACKEND_VERIFIER_CONFIG) {
    section = {
      ...section,
      ...(JSON.parse(readFileSync(env.BACKEND_VERIFIER_CONFIG, 'utf8')) as VerifierSection),
    };
    baseDir = dirname(env.BACKEND_VERIFIER_CONFIG);
  }
  if (section && env.BACKEND_VERIFIER_PUBLIC_URL)
    section = { ...section, publicBaseUrl: env.BACKEND_VERIFIER_PUBLIC_URL };
  const off = env.BACKEND_VERIFIER === 'off' || env.BACKEND_VERIFIER === '0';
  return {
    backend,
    verifier: section && !off ? await resolveVerifierSection(section, baseDir) : undefined,
  };
}

/**
 * The `register` hook of buildBackend that mounts the OpenID4VP verifier: results go to the kiosk that showed
 * the QR over the kiosk channel, and only enrolled, unrevoked terminals (signed requests) may create
 * transactions. `extras` are for tests (clock, status-list fetch, store) and to receive the handle.
 */
export function mountVerifier(
  options: VerifierOptionsInput,
  extras: Partial<Pick<RegisterVerifierOptions, 'now' | 'fetch' | 'store'>> & {
    onReady?: (handle: VerifierHandle) => void;
  } = {},
): (app: FastifyInstance) => Promise<void> {
  const { onReady, ...rest } = extras;
  return async (app) => {
    const handle = await registerVerifier(app, {
      ...options,
      ...rest,
      notify: (terminalId, message) => app.kioskChannel.send(terminalId, message),
      authenticateTerminal: (req) => app.backend.authenticateTerminal(req),
    });
    app.decorate('verifier', handle);
    onReady?.(handle);
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Present when the OpenID4VP verifier is mounted (backend/config-file.ts mountVerifier). */
    verifier?: VerifierHandle;
  }
}
