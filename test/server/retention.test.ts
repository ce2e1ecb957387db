import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envelope, impression, ON_POSTGRES, testServer, type TestServer } from './harness'
import { openStore } from '../../examples/ingest-server/src/store'

const DAY = 86_400_000
// The server's clock, moved by the tests; the client's agrees with it (sent_at).
let now = Date.parse('2030-06-01T12:00:00Z')
let s: TestServer
beforeAll(async () => {
  s = await testServer({ now: () => new Date(now), retentionDays: 30 })
}, 120_000)
afterAll(() => s?.close())

describe('retention', () => {
  it('deletes raw events older than the retention age and keeps the rest', async () => {
    const old = [impression({ prompt_id: 'p-r' }), impression({ prompt_id: 'p-r' })]
    await s.post('/telemetry/events', envelope(old, { sent_at: now }))
    now += 20 * DAY
    const fresh = impression({ prompt_id: 'p-r' })
    await s.post('/telemetry/events', envelope([fresh, { id: randomUUID(), event: 'prompt.completion', ts: now, session_id: 's', prompt_id: 'p-r', dwell_time_ms: 500 }], { sent_at: now }))

    now += 11 * DAY // the first batch is now 31 days old, the second 11
    const r = await s.retention.run()
    expect(r.deleted).toBe(2)
    expect(await s.stored(old.map((e) => e.id))).toEqual(new Set())
    expect((await s.stored([fresh.id])).size).toBe(1)
  })

  it('keeps the prompt performance figures after the raw events are gone', async () => {
    const before = (await s.get('/telemetry/prompt/p-r/stats')).json
    expect(before).toMatchObject({ impressions: 3, completions: 1, avg_dwell_time_ms: 500 })
    now += 60 * DAY
    expect((await s.retention.run()).deleted).toBe(2)
    expect(await s.count()).toBe(0)
    expect((await s.get('/telemetry/prompt/p-r/stats')).json).toEqual(before)
  })

  it('does not count the same events twice when it runs again', async () => {
    const before = (await s.get('/telemetry/prompt/p-r/stats')).json
    expect((await s.retention.run()).deleted).toBe(0)
    expect((await s.get('/telemetry/prompt/p-r/stats')).json).toEqual(before)
  })

  it('judges age by the time of receipt, not the client clock', async () => {
    const backdated = impression({ ts: now - 365 * DAY })
    await s.post('/telemetry/events', envelope([backdated], { sent_at: now }))
    await s.retention.run()
    expect((await s.stored([backdated.id])).size).toBe(1)
  })
})

describe('retention and the reports', () => {
  // Every report the dashboard reads on the product events, over a range the retention age
  // cuts into, with and without its filters.
  const range = 'from=2030-01-01&to=2030-12-31'
  const reports = [
    `/reports/events-daily?${range}&limit=5000`,
    `/reports/funnel?${range}`,
    `/reports/funnel?${range}&source=home page`,
    `/reports/prompt-performance?${range}&limit=5000`,
    `/reports/prompt-performance?${range}&lens=founder&limit=5000`,
    `/reports/prompt-facets?${range}`,
  ]
  const read = async () => {
    const out: unknown[] = []
    for (const path of reports) {
      const r = await s.get(path.replace(/ /g, '%20'))
      expect(r.status, path).toBe(200)
      // Order among equal sort keys is not part of the answer.
      out.push((r.json.rows as Record<string, unknown>[]).map((row) => JSON.stringify(row)).sort())
    }
    return out
  }

  it('answers the same after the raw events are gone, filters included', async () => {
    const at = now
    const ev = (event: string, over: Record<string, unknown>) => ({ id: randomUUID(), event, ts: at, session_id: 's-rr', ...over })
    const sent = await s.post(
      '/telemetry/events',
      envelope(
        [
          impression({ prompt_id: 'p-rr', ts: at, lens_id: 'founder', source: 'home page' }),
          impression({ prompt_id: 'p-rr', ts: at, lens_id: 'founder', source: 'card' }),
          impression({ prompt_id: 'p-rs', ts: at - DAY, source: 'card' }),
          ev('prompt.selection', { prompt_id: 'p-rr', impression_id: 'imp-x', lens_id: 'founder', source: 'home page', rank: 0 }),
          ev('prompt.completion', { prompt_id: 'p-rr', outcome: 'success', dwell_time_ms: 700, entropy_delta: 0.25, lens_id: 'founder', source: 'home page' }),
          ev('prompt.completion', { prompt_id: 'p-rr', outcome: 'success', dwell_time_ms: 300, source: 'card' }),
          ev('prompt.skip', { prompt_id: 'p-rs', lens_id: 'writer' }),
          ev('share.viewed', { share_id: 'sh-1' }),
        ],
        { sent_at: at },
      ),
    )
    expect(sent.json).toMatchObject({ accepted: 8, rejected: [] })
    const before = await read()
    expect(JSON.stringify(before)).toContain('p-rr')
    now += 40 * DAY
    expect((await s.retention.run()).deleted).toBeGreaterThanOrEqual(8)
    expect(await s.count()).toBe(0)
    expect(await read()).toEqual(before)
    expect((await s.retention.run()).deleted).toBe(0) // and once only
    expect(await read()).toEqual(before)
  })

  it('never counts an event from before a range that starts mid-day, before or after the delete', async () => {
    const day = new Date(now).toISOString().slice(0, 10)
    const early = [6, 9].map((h) => impression({ prompt_id: 'p-mid', ts: Date.parse(`${day}T0${h}:00:00Z`) }))
    expect((await s.post('/telemetry/events', envelope(early, { sent_at: now }))).json).toMatchObject({ accepted: 2 })
    const next = new Date(Date.parse(day) + 2 * DAY).toISOString().slice(0, 10)
    const path = `/reports/prompt-performance?from=${day}T12:00:00Z&to=${next}`
    const read = async () => (await s.get(path)).json.rows.filter((r: { prompt_id: string }) => r.prompt_id == 'p-mid')
    expect(await read()).toEqual([])
    now += 40 * DAY
    await s.retention.run()
    expect(await read()).toEqual([])
    // The whole day still counts them.
    const whole = (await s.get(`/reports/prompt-performance?from=${day}&to=${next}`)).json.rows.filter((r: { prompt_id: string }) => r.prompt_id == 'p-mid')
    expect(whole).toMatchObject([{ prompt_id: 'p-mid', impressions: 2 }])
  })

  // PGlite has one connection, so two runs cannot overlap there; on PostgreSQL two servers can.
  it.skipIf(!ON_POSTGRES)('runs one retention at a time across servers on one database (PostgreSQL)', async () => {
    await s.post('/telemetry/events', envelope([impression({ prompt_id: 'p-race', ts: now }), impression({ prompt_id: 'p-race', ts: now })], { sent_at: now }))
    now += 40 * DAY
    const other = await openStore({ databaseUrl: s.config.databaseUrl })
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    // Another server's run, stopped inside its transaction after taking the lock.
    const blocking = other.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7261930442)')
      await held
    })
    await new Promise((r) => setTimeout(r, 100))
    let finished = false
    const run = s.retention.run().then((r) => ((finished = true), r))
    await new Promise((r) => setTimeout(r, 300))
    expect(finished).toBe(false) // waits for the other run
    release()
    await blocking
    expect((await run).deleted).toBe(2)
    await other.close()
  })
})

