// SQLite driver: one better-sqlite3 connection (WAL, synchronous=FULL). better-sqlite3 is synchronous, but
// the store's code awaits between statements, so every statement and transaction goes through one async
// mutex: a transaction never interleaves with another request's statements on the shared connection.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqlDriver, SqlExecutor, SqlParam } from './driver.ts';

/** $1..$n → ? with the parameters reordered to match (a $n may appear more than once). */
function positional(sql: string, params: readonly SqlParam[]): { sql: string; params: SqlParam[] } {
  const out: SqlParam[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    out.push(params[Number(n) - 1] ?? null);
    return '?';
  });
  return { sql: text, params: out };
}

export function openSqliteDriver(path: string): SqlDriver {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  const cache = new Map<string, Database.Statement>();
  const prep = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const direct: SqlExecutor = {
    async query<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
      const p = positional(sql, params);
      const st = prep(p.sql);
      return (st.reader ? st.all(...p.params) : (st.run(...p.params), [])) as T[];
    },
    async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
      const p = positional(sql, params);
      return prep(p.sql).run(...p.params).changes;
    },
  };
  let tail: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  }
  return {
    dialect: 'sqlite',
    query: (sql, params) => serial(() => direct.query(sql, params)),
    run: (sql, params) => serial(() => direct.run(sql, params)),
    tx<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T> {
      return serial(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const r = await fn(direct);
          db.exec('COMMIT');
          return r;
        } catch (e) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw e;
        }
      });
    },
    lockClause: () => '',
    async close() {
      await serial(async () => db.close());
    },
  };
}
