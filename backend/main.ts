// Runs the backend: `npx tsx backend/main.ts [--config FILE]`. The one place that reads the environment:
//   DATABASE_URL        PostgreSQL (fleet mode); unset: SQLite at BACKEND_SQLITE_PATH (data/backend.sqlite)
//   BACKEND_PG_SCHEMA   schema inside that database (default public)
//   BACKEND_HOST/PORT   listen address (default 127.0.0.1:8787)
//   BACKEND_CONFIG      a JSON file with further buildBackend options (tokens, keep times, ...)
//   BACKEND_SEAL_KEY    file with the X25519 private key (PKCS#8 PEM) kiosks seal personal data to
import { readFileSync } from 'node:fs';
import { buildBackend } from './app.ts';
import type { BackendOptions } from './options.ts';

const env = process.env;
const file = env.BACKEND_CONFIG ?? (process.argv[2] === '--config' ? process.argv[3] : undefined);
const fromFile = file ? (JSON.parse(readFileSync(file, 'utf8')) as BackendOptions) : {};
const opts: BackendOptions = {
  logger: true,
  ...fromFile,
  ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
  ...(env.BACKEND_PG_SCHEMA ? { pgSchema: env.BACKEND_PG_SCHEMA } : {}),
  ...(env.BACKEND_SQLITE_PATH ? { sqlitePath: env.BACKEND_SQLITE_PATH } : {}),
  ...(env.BACKEND_SEAL_KEY ? { sealPrivateKeyPem: readFileSync(env.BACKEND_SEAL_KEY, 'utf8') } : {}),
};
const app = await buildBackend(opts);
await app.listen({ host: env.BACKEND_HOST ?? '127.0.0.1', port: Number(env.BACKEND_PORT ?? 8787) });
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
