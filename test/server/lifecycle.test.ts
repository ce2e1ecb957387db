import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { ExportResultCode } from '@opentelemetry/core'
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base'
import { describe, expect, it, vi } from 'vitest'
import { migrate, MIGRATIONS_DIR, openStore } from '../../examples/ingest-server/src/store'
import { envelope, impression, ON_POSTGRES, testServer } from './harness'

describe('start-up and shutdown', () => {
  it('applies migrations once: a second run applies nothing', async () => {
    const s = await testServer()
    try {
      const applied = (await s.store.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version)
      expect(applied.length).toBe(readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_.*\.sql$/.test(f)).length)
      expect(await migrate(s.store)).toEqual([])
    } finally {
      await s.close()
    }
  }, 120_000)

  it('picks up a later migration file in number order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-migrations-'))
    for (const f of readdirSync(MIGRATIONS_DIR)) copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f))
    writeFileSync(join(dir, '9001_later_b.sql'), 'ALTER TABLE later_a ADD COLUMN b int;')
    writeFileSync(join(dir, '9000_later_a.sql'), 'CREATE TABLE later_a (a int);')
    const s = await testServer({ migrationsDir: dir })
    try {
      const rows = (await s.store.query<{ version: string }>("SELECT version FROM schema_migrations WHERE version >= '9000' ORDER BY version")).rows
      expect(rows.map((r) => r.version)).toEqual(['9000', '9001'])
      expect((await s.store.query('SELECT a, b FROM later_a')).rows).toEqual([])
    } finally {
      await s.close()
    }
  }, 120_000)

  it('commits every acknowledged write before close() resolves, even when closed mid-load', async () => {
    const dataDir = ON_POSTGRES ? undefined : mkdtempSync(join(tmpdir(), 'pt-close-'))
    const s = await testServer({ dataDir })
    const batches = Array.from({ length: 30 }, () => [impression(), impression()])
    const sent = batches.map((b) => s.post('/telemetry/events', envelope(b)).catch(() => null))
    await vi.waitFor(() => expect(s.writer.stats.commits).toBeGreaterThan(0))
    await s.close()
    const answers = await Promise.all(sent)
    const acked = batches.filter((_, i) => answers[i]?.status === 200).flat().map((e) => e.id)
    expect(acked.length).toBeGreaterThan(0)
    const store = await openStore({ dataDir, databaseUrl: s.config.databaseUrl })
    try {
      const r = await store.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE id = ANY($1::uuid[])', [acked])
      expect(r.rows[0]!.n).toBe(acked.length)
    } finally {
      await store.close()
    }
  }, 120_000)

  it('cuts a stalled upload after the request timeout, and is not held by it on close', async () => {
    const s = await testServer({ requestTimeoutMs: 300 })
    const port = Number(new URL(s.url).port)
    const stalled = () =>
      new Promise<{ socket: Socket; closed: Promise<number> }>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          // Headers and the start of the body, then nothing more.
          socket.write(`POST /telemetry/events HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{"events":[`)
          const t0 = Date.now()
          resolve({ socket, closed: new Promise((ok) => socket.on('close', () => ok(Date.now() - t0))) })
        })
        socket.on('error', () => {}).resume() // read what comes, or 'close' never fires
      })
    const within = (p: Promise<number>, ms: number) => Promise.race([p, new Promise<number>((ok) => setTimeout(ok, ms, Infinity))])
    try {
      const a = await stalled()
      expect(await within(a.closed, 5_000)).toBeLessThan(5_000)
      const b = await stalled()
      const t0 = Date.now()
      await s.close()
      expect(Date.now() - t0).toBeLessThan(5_000)
      expect(await within(b.closed, 5_000)).toBeLessThan(5_000)
    } finally {
      await s.close()
    }
  }, 60_000)

  // Node's own headers timeout (60 s) sat above the request timeout, and then Node never
  // expired a request whose headers were whole: a body a byte at a time held it open for good.
  it('answers 408 to a body that trickles in, never silent but never whole', async () => {
    const s = await testServer({ requestTimeoutMs: 500 })
    const port = Number(new URL(s.url).port)
    try {
      const socket = connect(port, '127.0.0.1')
      let answer = ''
      socket.on('data', (d) => (answer += d)).on('error', () => {})
      socket.write(`POST /telemetry/events HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n`)
      const drip = setInterval(() => socket.destroyed || socket.write(' '), 100)
      const closed = await new Promise<boolean>((ok) => {
        socket.on('close', () => ok(true))
        setTimeout(ok, 10_000, false)
      })
      clearInterval(drip)
      socket.destroy()
      expect(closed).toBe(true)
      expect(answer).toMatch(/^HTTP\/1\.1 408/)
    } finally {
      await s.close()
    }
  }, 30_000)

  // Node's generic answer had neither the error shape nor a reason.
  it('answers a request that is not HTTP with a 400 in the usual shape, with the reason', async () => {
    const s = await testServer()
    const port = Number(new URL(s.url).port)
    const raw = (text: string) =>
      new Promise<string>((ok) => {
        let answer = ''
        const socket = connect(port, '127.0.0.1', () => socket.write(text))
        socket.on('data', (d) => (answer += d)).on('error', () => {}).on('close', () => ok(answer))
        setTimeout(() => socket.destroy(), 5_000)
      })
    try {
      for (const text of [
        'POST /telemetry/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
        'POST /telemetry/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n',
      ]) {
        const answer = await raw(text)
        expect(answer, text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
        expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)), text).toEqual({ error: expect.stringMatching(/^malformed HTTP request \(HPE_/), trace_id: null })
      }
      expect((await s.get('/healthz', {})).status).toBe(200) // still serving
    } finally {
      await s.close()
    }
  })

  // Frozen, not down: connections hang instead of being refused.
  it('answers 503 when the database hangs, well before the request timeout cuts the connection', async () => {
    const s = await testServer({ requestTimeoutMs: 1000 })
    let release!: () => void
    const frozen = new Promise<void>((ok) => (release = ok))
    const store = s.store as unknown as Record<'query' | 'exec' | 'copyIn' | 'transaction', (...a: unknown[]) => Promise<unknown>>
    const originals = { ...store }
    for (const k of ['query', 'exec', 'copyIn', 'transaction'] as const) store[k] = async (...a) => (await frozen, originals[k]!.apply(s.store, a))
    try {
      const e = impression()
      const r = await s.post('/telemetry/events', envelope([e]))
      expect(r.status).toBe(503)
      expect(r.headers.get('retry-after')).toBe('5')
      expect((await s.get('/healthz', {})).status).toBe(503)
      release()
      Object.assign(store, originals)
      // The write went on: a retry of the same event is stored once.
      expect((await s.post('/telemetry/events', envelope([e]))).status).toBe(200)
      expect(await s.stored([e.id])).toEqual(new Set([e.id]))
    } finally {
      release()
      await s.close()
    }
  }, 30_000)

  it('exports one server span per request, continuing the caller trace', async () => {
    const all: ReadableSpan[] = []
    const exporter: SpanExporter = {
      export: (spans, done) => (all.push(...spans), done({ code: ExportResultCode.SUCCESS })),
      shutdown: async () => {},
    }
    const s = await testServer({ spanExporter: exporter })
    const traceId = '0af7651916cd43dd8448eb211c80319c'
    await s.post('/telemetry/events', envelope([impression()]), { traceparent: `00-${traceId}-b7ad6b7169203331-01` })
    await s.close()
    const spans = all.filter((sp) => sp.spanContext().traceId === traceId)
    const server = spans.find((sp) => sp.name === 'POST /telemetry/events')!
    expect(server.parentSpanContext?.spanId).toBe('b7ad6b7169203331')
    expect(server.attributes).toMatchObject({ 'http.response.status_code': 200, 'ingest.accepted': 1 })
    expect(spans.some((sp) => sp.name === 'store events' && sp.parentSpanContext?.spanId === server.spanContext().spanId)).toBe(true)
  }, 120_000)
})

describe('one server per PGlite data folder', () => {
  it('refuses a second server on a folder in use, and takes over a lock its owner left behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pt-lock-'))
    const first = await openStore({ dataDir })
    await expect(openStore({ dataDir })).rejects.toThrow(`is in use by another server (pid ${process.pid})`)
    await first.close()
    const again = await openStore({ dataDir }) // released on close
    await again.close()
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout
    writeFileSync(join(dataDir, 'server.lock'), gone) // a server killed before it could release it
    const after = await openStore({ dataDir })
    expect(readFileSync(join(dataDir, 'server.lock'), 'utf8')).toBe(String(process.pid))
    await after.close()
    // Left by an earlier process with this very pid (a container restarted after a crash).
    writeFileSync(join(dataDir, 'server.lock'), String(process.pid))
    const restarted = await openStore({ dataDir })
    await restarted.close()
    expect(readdirSync(dataDir)).not.toContain('server.lock')
  }, 120_000)
})

describe('the command line', () => {
  const main = join(import.meta.dirname, '../../examples/ingest-server/src/main.ts')
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', main], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 60_000 })

  it('exits 1 with one clear line when a required setting is missing', () => {
    const r = run({ COOKIE_SECRET: 'x'.repeat(32) })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/configuration error: SERVICE_TOKEN is required/)
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
  }, 60_000)

  it('exits 1 with the reason when DATA_DIR cannot be made, even under /proc', () => {
    const r = run({ SERVICE_TOKEN: 's'.repeat(16), COOKIE_SECRET: 'x'.repeat(32), DATA_DIR: '/proc/pt-no-such-dir/data', PORT: '0' })
    expect(r.status).toBe(1) // Node's own mkdir -p loops forever there
    expect(r.stderr).toMatch(/could not start: ENOENT.*\/proc\/pt-no-such-dir/)
  }, 60_000)

  it('exits 1 naming the variable when a setting is malformed', () => {
    const r = run({ SERVICE_TOKEN: 's'.repeat(16), COOKIE_SECRET: 'x'.repeat(32), RETENTION_DAYS: '0', DATA_DIR: 'memory' })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/configuration error: RETENTION_DAYS must be an integer from 1/)
  }, 60_000)
})
