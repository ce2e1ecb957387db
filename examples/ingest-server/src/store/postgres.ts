import { finished } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { INT8, NUMERIC, type Queryable, type Store } from './types'

const toNumber = (v: string) => Number(v)
const typeParsers = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 || oid === NUMERIC ? toNumber : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
}

/**
 * COPY ... FROM STDIN on one client (pg-copy-streams), resolved once the server has the rows.
 * With `then`, both statements travel as one simple query, which PostgreSQL runs as one
 * transaction (unless the caller has opened one): one round trip fewer than BEGIN/COMMIT.
 */
async function copyIn(c: pg.PoolClient, target: string, data: string, then?: string): Promise<number> {
  const stream = c.query(copyFrom(`COPY ${target} FROM STDIN${then ? `;\n${then}` : ''}`))
  stream.end(data)
  await finished(stream)
  return stream.rowCount
}

/** A PostgreSQL server through a pg connection pool. */
export async function openPostgres(connectionString: string, max = 10): Promise<Store> {
  const pool = new pg.Pool({ connectionString, max, types: typeParsers })
  // An idle client that loses its server emits 'error'; the pool replaces it.
  pool.on('error', () => {})
  const client = await pool.connect() // fail fast with a clear error when the server is unreachable
  client.release()
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await q.query(sql, params as unknown[])).rows as T[] }),
    exec: async (sql: string) => void (await q.query(sql)),
    copyIn: async (target, data, then) => {
      if (q !== pool) return copyIn(q as pg.PoolClient, target, data, then)
      const c = await pool.connect()
      try {
        return await copyIn(c, target, data, then)
      } finally {
        c.release()
      }
    },
  })
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const c = await pool.connect()
      try {
        await c.query('BEGIN')
        const out = await fn(wrap(c))
        await c.query('COMMIT')
        return out
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {})
        throw e
      } finally {
        c.release()
      }
    },
    close: () => pool.end(),
  }
}
