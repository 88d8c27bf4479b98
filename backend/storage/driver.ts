// One thin SQL driver interface, two implementations (SQLite via better-sqlite3, PostgreSQL via pg). The
// backend's storage (./store.ts) is written once against it in portable SQL; placeholders are $1, $2, ...
export type SqlParam = string | number | null;

export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: 'sqlite' | 'pg';
  /** Run fn in one transaction (SQLite: BEGIN IMMEDIATE, serialised; PG: a pooled client, READ COMMITTED). */
  tx<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T>;
  /** Lock a terminal row for the rest of the transaction (PG: SELECT ... FOR UPDATE; SQLite: no-op). */
  lockClause(): string;
  close(): Promise<void>;
}

/** Is this a unique-constraint violation (both engines)? */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
