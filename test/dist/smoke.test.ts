import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import * as esm from 'prompt-telemetry'

const require = createRequire(import.meta.url)

async function roundTrip(m: typeof esm) {
  const sink = m.memorySink()
  const t = m.createTelemetry({ catalog: m.promptCatalog, sink })
  t.track('prompt_copied', { prompt_id: 'p-1', variant: 'body', source: 'card' })
  ;(t.track as (n: string, a: object) => void)('prompt_copied', { prompt_id: 'p-1', variant: 'body', source: 'card', body: 'secret text' })
  await t.shutdown()
  return { events: sink.events(), stats: t.stats() }
}

describe('the built package', () => {
  it('tracks, rejects and flushes through the ESM build', async () => {
    const { events, stats } = await roundTrip(esm)
    expect(events.map((e) => e.event)).toEqual(['prompt_copied'])
    expect(stats).toMatchObject({ sent: 1, rejected: 1, queued: 0 })
  })

  it('tracks, rejects and flushes through the CommonJS build', async () => {
    const cjs = require('prompt-telemetry') as typeof esm
    const { events, stats } = await roundTrip(cjs)
    expect(events).toHaveLength(1)
    expect(stats.rejected).toBe(1)
  })

  it('validates batches on the server side with the same catalog', () => {
    const e = { id: esm.uuidv7(), event: 'prompt_copied', ts: Date.now(), session_id: 's', prompt_id: 'p', variant: 'json', source: 'detail' }
    const r = esm.validateBatch(esm.promptCatalog, { events: [e, { ...e, event: 'nope' }] })
    expect(r.events).toHaveLength(1)
    expect(r.rejected).toEqual([{ index: 1, reason: expect.stringContaining('unknown event') }])
  })

  it('serves the react and vanilla entry points in both formats', async () => {
    for (const sub of ['react', 'vanilla'] as const) {
      expect(Object.keys(await import(`prompt-telemetry/${sub}`)).length).toBeGreaterThan(0)
      expect(Object.keys(require(`prompt-telemetry/${sub}`)).length).toBeGreaterThan(0)
    }
  })

  it("keeps 'use client' as the first line of the React entry", () => {
    for (const f of ['dist/react.js', 'dist/react.cjs']) expect(readFileSync(f, 'utf8').split('\n')[0]).toMatch(/^['"]use client['"];?$/)
  })

  it('keeps the core external in the adapters so an app gets one queue', () => {
    for (const f of ['dist/react.js', 'dist/vanilla.js']) {
      const src = readFileSync(f, 'utf8')
      expect(src).toMatch(/from ["']prompt-telemetry["']/)
      expect(src).not.toContain('function createQueue')
    }
  })

  it('ships no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
    expect(pkg.dependencies ?? {}).toEqual({})
    expect(pkg.sideEffects).toBe(false)
  })
})

describe('a Node backend on the built package', () => {
  /**
   * Runs a Node process that tracks one event to `endpoint`, after `before` (ms), and awaits
   * shutdown(300); returns its exit code, its stats, and the ms from shutdown() to its exit.
   */
  async function exitAfterShutdown(endpoint: string, options: string, before = 0) {
    const { spawn } = await import('node:child_process')
    const code = `
      import { createTelemetry, promptCatalog } from 'prompt-telemetry'
      const t = createTelemetry({ catalog: promptCatalog, endpoint: '${endpoint}', ${options} })
      t.track('prompt_copied', { prompt_id: 'p', variant: 'body', source: 'card' })
      await new Promise((r) => setTimeout(r, ${before}))
      const at = Date.now()
      await t.shutdown(300)
      console.log(JSON.stringify(t.stats()))
      process.on('exit', () => console.log(Date.now() - at))`
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: process.cwd() })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    const exit = await new Promise<number | null>((ok) => child.on('exit', ok))
    const [stats, ms] = out.trim().split('\n')
    return { exit, stats: JSON.parse(stats!) as unknown, ms: Number(ms) }
  }

  // SIGTERM while the server hangs: `await shutdown()` must be the end, not a 20 s wait for the
  // request's own timeout.
  it('exits soon after shutdown() even when a request is still unanswered', async () => {
    const { createServer } = await import('node:http')
    const server = createServer(() => {}) // never answers
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    const { port } = server.address() as { port: number }
    const r = await exitAfterShutdown(`http://127.0.0.1:${port}/e`, 'timeoutMs: 20000', 100)
    server.closeAllConnections()
    server.close()
    expect(r.exit).toBe(0)
    expect(r.stats).toMatchObject({ failed: 1, queued: 0 })
    expect(r.ms).toBeLessThan(10_000) // the request's 20 s timeout no longer holds it
  }, 30_000)

  // A refused request holds the keepalive ledger for 10 s; its timer must not hold the process.
  it('exits soon after shutdown() when the server refuses connections', async () => {
    const { createServer } = await import('node:http')
    const server = createServer()
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    const { port } = server.address() as { port: number }
    await new Promise((ok) => server.close(ok)) // nothing listens there now
    const r = await exitAfterShutdown(`http://127.0.0.1:${port}/e`, 'maxRetries: 0')
    expect(r.exit).toBe(0)
    expect(r.stats).toMatchObject({ failed: 1, queued: 0 })
    expect(r.ms).toBeLessThan(5_000) // not the ledger's 10 s
  }, 30_000)
})
