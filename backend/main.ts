// Runs the backend: `npx tsx backend/main.ts [--config FILE]`. The one place that reads the environment:
//   DATABASE_URL        PostgreSQL (fleet mode); unset: SQLite at BACKEND_SQLITE_PATH (data/backend.sqlite)
//   BACKEND_PG_SCHEMA   schema inside that database (default public)
//   BACKEND_HOST/PORT   listen address (default 127.0.0.1:8787)
//   BACKEND_CONFIG      a JSON file with further buildBackend options (tokens, keep times, ...) and an optional
//                       `verifier` section: the OpenID4VP verifier is mounted under /wallet when it is present
//   BACKEND_SEAL_KEY    file with the X25519 private key (PKCS#8 PEM) kiosks seal personal data to
//   BACKEND_VERIFIER_CONFIG / BACKEND_VERIFIER_PUBLIC_URL / BACKEND_VERIFIER=off   see backend/config-file.ts
// A demo configuration with verifier and PID issuer keys: `npx tsx backend/dev-keys.ts --out data/dev-backend`.
import { buildBackend } from './app.ts';
import { loadBackendConfig, mountVerifier } from './config-file.ts';

const env = process.env;
const cfg = await loadBackendConfig(env, process.argv.slice(2));
const app = await buildBackend({
  ...cfg.backend,
  ...(cfg.verifier ? { register: mountVerifier(cfg.verifier) } : {}),
});
await app.listen({ host: env.BACKEND_HOST ?? '127.0.0.1', port: Number(env.BACKEND_PORT ?? 8787) });
if (app.verifier) app.log.info({ clientId: app.verifier.clientId }, 'OpenID4VP verifier mounted at /wallet');
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
