import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../scripts/demo-seed'
import { createStatsClient } from '../../src/stats/client'
import { startTestServer, TOKEN, WRITE_KEY } from './server'

describe('the demo traffic generator', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  beforeAll(async () => {
    server = await startTestServer('pglite', { llmPrices: undefined })
  }, 120_000)
  afterAll(() => server?.stop())

  it('sends days of traffic through the SDK that every report shows, with nothing refused', async () => {
    const log: string[] = []
    const s = await seedDemo({ url: server.url, writeKey: WRITE_KEY, serviceToken: TOKEN, days: 4, users: 3, log: (l) => log.push(l) })
    expect(log).toEqual([]) // no user had a failed, rejected or dropped event
    expect(s).toMatchObject({ skipped: false, users: 3 })
    expect(s.llmCalls).toBeGreaterThan(0)

    const stats = createStatsClient({ baseUrl: server.url, token: TOKEN })
    const [ingest, events, cost, users, psr, funnel] = await Promise.all([
      stats.ingest({ from: new Date(Date.now() - 86_400_000) }),
      stats.eventsDaily(),
      stats.llmCost(),
      stats.llmUsers(),
      stats.psrPrompts(),
      stats.funnel(),
    ])
    const sum = <T>(rows: T[], k: keyof T) => rows.reduce((a, r) => a + (r[k] as number), 0)
    expect(sum(ingest.rows, 'events_stored')).toBe(s.events)
    expect(sum(ingest.rows, 'events_rejected')).toBe(0)
    expect(sum(events.rows, 'events')).toBe(s.events)
    expect(new Set(events.rows.map((r) => r.day)).size).toBeGreaterThan(1) // spread over past days
    expect(sum(cost.rows, 'calls')).toBe(s.llmCalls)
    expect(sum(cost.rows, 'cost_usd')).toBeGreaterThan(0)
    expect(sum(cost.rows, 'unpriced_calls')).toBe(0) // every demo model is in the price table
    // each simulated user signs in, so the server derives a distinct user id for each
    expect(users.rows.length).toBeGreaterThan(1)
    for (const u of users.rows) expect(u.user_id).toMatch(/^demo-(ana|ben|chloe)$/)
    expect(sum(psr.rows, 'ratings')).toBe(s.ratings)
    expect(funnel.rows[0]!.impressions).toBeGreaterThan(funnel.rows[0]!.selections)
  })

  it('leaves a server that already has recent calls alone', async () => {
    const s = await seedDemo({ url: server.url, writeKey: WRITE_KEY, serviceToken: TOKEN, days: 4, users: 3 })
    expect(s.skipped).toBe(true)
  })
})
