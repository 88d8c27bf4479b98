// The identity-QR replay cache on disk: a small SQLite file of used codes (issuer + cti) that survives a restart,
// pruned by expiry. One row per used code; the primary key makes check-and-set atomic (INSERT OR IGNORE).
import Database from 'better-sqlite3';
import type { ReplayCache } from '../credentials/identity-qr/verify.ts';

export interface SqliteReplayCache extends ReplayCache {
  /** Remove rows whose expiry passed; returns how many. Also runs by itself every `pruneEvery` inserts. */
  prune(nowSeconds?: number): number;
  size(): number;
  close(): void;
}

export function openReplayCache(
  path: string,
  opts: { now?: () => number; pruneEvery?: number } = {},
): SqliteReplayCache {
  const now = opts.now ?? Date.now;
  const pruneEvery = opts.pruneEvery ?? 256;
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS used_codes (key TEXT PRIMARY KEY, exp INTEGER NOT NULL) WITHOUT ROWID');
  db.exec('CREATE INDEX IF NOT EXISTS used_codes_exp ON used_codes (exp)');
  const insert = db.prepare('INSERT OR IGNORE INTO used_codes (key, exp) VALUES (?, ?)');
  const del = db.prepare('DELETE FROM used_codes WHERE exp < ?');
  const count = db.prepare('SELECT COUNT(*) AS n FROM used_codes');
  let inserts = 0;
  const prune = (t = Math.floor(now() / 1000)) => del.run(t).changes;
  prune();
  return {
    useOnce(key, exp) {
      const fresh = insert.run(key, exp).changes === 1;
      if (fresh && ++inserts % pruneEvery === 0) prune();
      return fresh;
    },
    prune,
    size: () => (count.get() as { n: number }).n,
    close: () => db.close(),
  };
}
