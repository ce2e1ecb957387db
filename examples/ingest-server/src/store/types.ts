/** Something SQL runs on: the store itself or one transaction. */
export interface Queryable {
  /** One statement with `$1`-style parameters. int8 and numeric come back as JS numbers. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>
  /** One or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>
}

/**
 * The one database interface of the server, over embedded PGlite or a PostgreSQL server.
 * The same SQL runs on both.
 */
export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** Runs fn inside BEGIN/COMMIT on one connection; ROLLBACK when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** PostgreSQL type ids whose text form we turn into numbers on both drivers. */
export const INT8 = 20
export const NUMERIC = 1700
