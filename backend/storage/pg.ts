// PostgreSQL driver: a pg Pool; every connection's search_path is the configured schema (test runs and
// tenants stay apart). BIGINT comes back as a JS number (our values are epoch ms and seqs, < 2^53).
import pg from 'pg';
import type { SqlDriver, SqlExecutor, SqlParam } from './driver.ts';

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number(v); // int8
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

export function quoteIdent(s: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(s)) throw new Error(`bad schema name ${s}`);
  return `"${s}"`;
}

export async function openPgDriver(
  databaseUrl: string,
  schema = 'public',
  poolSize = 10,
): Promise<SqlDriver> {
  const q = quoteIdent(schema);
  // make sure the schema exists before the pool sets it as search_path
  const boot = new pg.Client({ connectionString: databaseUrl });
  await boot.connect();
  try {
    await boot.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
  } catch (e) {
    // two instances racing to create it: fine if it now exists
    if ((e as { code?: string }).code !== '23505' && (e as { code?: string }).code !== '42P06') throw e;
  } finally {
    await boot.end();
  }
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    options: `-c search_path=${schema}`,
    types,
  });
  pool.on('error', () => {
    // an idle client died (server restart): the pool replaces it
  });
  const exec = (c: pg.Pool | pg.PoolClient): SqlExecutor => ({
    async query<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
      const r = await c.query(sql, params as SqlParam[]);
      return r.rows as T[];
    },
    async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
      const r = await c.query(sql, params as SqlParam[]);
      return r.rowCount ?? 0;
    },
  });
  const direct = exec(pool);
  return {
    dialect: 'pg',
    query: direct.query,
    run: direct.run,
    async tx<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const r = await fn(exec(client));
        await client.query('COMMIT');
        return r;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    lockClause: () => ' FOR UPDATE',
    async close() {
      await pool.end();
    },
  };
}
