// A backend in its own process (so a test can SIGKILL it). argv: JSON options ({ sqlitePath } or
// { databaseUrl, pgSchema }) and a port. Prints READY when listening.
import { buildBackend } from '../../../../backend/app.ts';
import { TOKENS } from '../../backend/harness.ts';

const opts = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const port = Number(process.argv[3] ?? 0);
const app = await buildBackend({ ...opts, tokens: TOKENS, purgeIntervalMs: 0 });
await app.listen({ host: '127.0.0.1', port });
process.stdout.write('READY\n');
