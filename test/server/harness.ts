import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { startServer, type ServerConfig } from '../../examples/ingest-server/src/index'

export const WRITE_KEY = 'pk_test_write_key'
export const ON_POSTGRES = process.env.TEST_POSTGRES === '1'

/** A fresh database on the run's PostgreSQL cluster (see pg-setup.ts). */
async function freshDatabase(): Promise<string> {
  const admin = inject('pgUrl')
  const name = `t_${randomUUID().replace(/-/g, '')}`
  const c = new pg.Client({ connectionString: admin })
  await c.connect()
  await c.query(`CREATE DATABASE ${name}`)
  await c.end()
  return admin.replace(/\/postgres$/, `/${name}`)
}

/**
 * Starts the real server on a free port: in-memory PGlite, or a fresh PostgreSQL database
 * when TEST_POSTGRES=1. Quiet logs, a high rate limit unless a test sets one, no timers.
 */
export async function testServer(o: Partial<ServerConfig> = {}) {
  const server = await startServer({
    port: 0,
    logLevel: 'silent',
    writeKeys: [WRITE_KEY],
    rateLimitPerMinute: 1_000_000,
    retentionIntervalMs: 0,
    databaseUrl: ON_POSTGRES ? await freshDatabase() : undefined,
    ...o,
  })
  const { url, config } = server
  const bearer = { authorization: `Bearer ${config.serviceToken}` }
  return {
    ...server,
    bearer,
    /** POST a body (an object is sent as JSON) and read the JSON answer. */
    async post(path: string, body: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
        body: typeof body == 'string' ? body : JSON.stringify(body),
      })
      return { status: res.status, headers: res.headers, json: (await res.json().catch(() => null)) as any }
    },
    async get(path: string, headers: Record<string, string> = bearer) {
      const res = await fetch(url + path, { headers })
      return { status: res.status, headers: res.headers, json: (await res.json().catch(() => null)) as any }
    },
    /** Rows of the events table with these ids. */
    async stored(ids: string[]) {
      const r = await server.store.query<{ id: string }>('SELECT id::text AS id FROM events WHERE id = ANY($1::uuid[])', [ids])
      return new Set(r.rows.map((x) => x.id))
    },
    async count(sql = 'SELECT count(*) AS n FROM events', params: unknown[] = []) {
      return (await server.store.query<{ n: number }>(sql, params)).rows[0]!.n
    },
  }
}

export type TestServer = Awaited<ReturnType<typeof testServer>>

let seq = 0
/** A valid prompt.impression wire event; override any field. */
export function impression(over: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    event: 'prompt.impression',
    ts: Date.now(),
    session_id: 'sess-1',
    prompt_id: 'p-1',
    impression_id: `imp-${++seq}`,
    rank: 0,
    ...over,
  }
}

/** An envelope as the SDK sends it. */
export const envelope = (events: unknown[], over: Record<string, unknown> = {}) => ({
  events,
  sent_at: Date.now(),
  dropped: 0,
  sdk: 'prompt-telemetry@test',
  write_key: WRITE_KEY,
  ...over,
})
