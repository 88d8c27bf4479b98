// The crash test scaled up: R rounds of a kiosk process writing and syncing check-ins, SIGKILLed at a random
// point; every other round the backend is SIGKILLed and restarted too. Then drains and checks that every
// committed event is at the backend exactly once and both chains verify.
// Usage: npx tsx tests/bench/audit/crash-soak.ts [ROUNDS] [sqlite|pg]
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { verifyChain } from '../../../kiosk/audit/chain.ts';
import type { StoredEvent } from '../../../kiosk/audit/event.ts';
import { ed25519PublicFromRaw } from '../../../kiosk/audit/crypto.ts';
import { loadOrCreateTerminalIdentity } from '../../../kiosk/audit/identity.ts';
import { verifyStoreFile } from '../../../kiosk/audit/store.ts';
import { enrolTerminal } from '../../../kiosk/sync/enrol.ts';
import { PG_URL, VIEW_TOKEN, dropSchema, enrolmentCode, tempDir } from '../../integration/backend/harness.ts';
import { spawnChild } from '../../integration/sync/children/spawn.ts';
import { machine } from './common.ts';

const ROUNDS = Number(process.argv[2] ?? 20);
const kind = (process.argv[3] ?? 'sqlite') as 'sqlite' | 'pg';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const a = s.address();
    s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
  });
});
const url = `http://127.0.0.1:${port}`;
const dir = tempDir('eid-soak-');
const schema = `soak_${process.pid}`;
const opts =
  kind === 'sqlite' ? { sqlitePath: join(dir, 'backend.sqlite') } : { databaseUrl: PG_URL, pgSchema: schema };
console.log(
  `# crash soak — ${new Date().toISOString()}\nmachine: ${machine()}\nbackend: ${kind}, rounds: ${ROUNDS}`,
);
const t0 = performance.now();
let backend = spawnChild('backend.ts', [JSON.stringify(opts), String(port)]);
await backend.waitLine(/^READY$/);
const kioskDir = join(dir, 'kiosk');
const identity = loadOrCreateTerminalIdentity(join(kioskDir, 'keys'));
await enrolTerminal({ backendUrl: url, identity, code: await enrolmentCode(url) });
const committed = new Set<number>();
let backendKills = 0;
for (let round = 0; round < ROUNDS; round++) {
  const k = spawnChild('kiosk.ts', [kioskDir, url, 'write']);
  await k.waitLine(/^C \d+$/);
  await sleep(100 + Math.random() * 500);
  if (round % 2 === 1) {
    await backend.kill();
    backendKills++;
    await sleep(50 + Math.random() * 200);
    backend = spawnChild('backend.ts', [JSON.stringify(opts), String(port)]);
    await backend.waitLine(/^READY$/);
    await sleep(Math.random() * 300);
  }
  await k.kill();
  for (const l of k.lines) if (/^C \d+$/.test(l)) committed.add(Number(l.slice(2)));
}
const drain = spawnChild('kiosk.ts', [kioskDir, url, 'drain']);
await drain.waitLine(/^DONE \d+$/, 120_000);
const local = verifyStoreFile(join(kioskDir, 'audit.sqlite'));
const remote: StoredEvent[] = [];
for (let after = 0; ;) {
  const r = await fetch(`${url}/v1/events?terminalId=${identity.terminalId}&afterSeq=${after}&limit=1000`, {
    headers: { authorization: `Bearer ${VIEW_TOKEN}` },
  });
  const page = ((await r.json()) as { events: StoredEvent[] }).events;
  remote.push(...page);
  if (page.length < 1000) break;
  after = page[page.length - 1]!.seq;
}
const v = verifyChain(remote, {
  publicKey: ed25519PublicFromRaw(identity.publicKey),
  terminalId: identity.terminalId,
});
const exactlyOnce = remote.length === local.lastSeq && remote.every((e, i) => e.seq === i + 1);
const allCommitted = Math.max(...committed) <= (local.lastSeq ?? 0);
console.log(
  `kiosk kills: ${ROUNDS}, backend kills: ${backendKills}, events committed: ${local.lastSeq}, at backend: ${remote.length}, ` +
    `exactly once: ${exactlyOnce}, every reported commit kept: ${allCommitted}, kiosk chain ok: ${local.ok}, backend chain ok: ${v.ok}, ` +
    `wall time ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
await backend.kill();
if (kind === 'pg') await dropSchema(schema);
rmSync(dir, { recursive: true, force: true });
process.exit(exactlyOnce && allCommitted && local.ok && v.ok ? 0 : 1);
