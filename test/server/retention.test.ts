import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envelope, impression, testServer, type TestServer } from './harness'

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
