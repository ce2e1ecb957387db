/** Something SQL runs on: the store itself or one transaction. */
export interface Queryable {
  /** One statement with `$1`-style parameters. int8 and numeric come back as JS numbers. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>
  /** One or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>
  /**
   * Bulk load: `COPY <target> FROM STDIN` (PostgreSQL) or from PGlite's `/dev/blob`, with
   * `data` in COPY's text format, then the statement `then` when given (no parameters, no
   * result rows), both in one transaction: one simple query on PostgreSQL, so a failure of
   * either rolls back both. Resolves to the number of rows loaded.
   * @example await store.copyIn('events (id, event)', '0190...\tprompt_copied\n', 'UPDATE ...')
   */
  copyIn(target: string, data: string, then?: string): Promise<number>
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
