import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basicHost, createTelemetry, httpSink, promptCatalog } from 'prompt-telemetry'
import { testServer, WRITE_KEY, type TestServer } from './harness'

let s: TestServer
beforeAll(async () => {
  s = await testServer()
}, 120_000)
afterAll(() => s?.close())

describe('the SDK http sink against the real server', () => {
  it('delivers tracked events end to end, stored once with the server-derived user', async () => {
    const t = createTelemetry({
      catalog: promptCatalog,
      host: basicHost(),
      sink: httpSink({ endpoint: `${s.url}/telemetry/events`, writeKey: WRITE_KEY, timeoutMs: 5000 }),
      sessionId: 'sdk-session',
      userId: 'claimed-user',
    })
    t.track('prompt.impression', { prompt_id: 'p-sdk', impression_id: 'imp-sdk-1', rank: 0, source: 'home' })
    t.track('prompt.selection', { prompt_id: 'p-sdk', impression_id: 'imp-sdk-1', rank: 0 })
    t.track('prompt.completion', { prompt_id: 'p-sdk', dwell_time_ms: 1200, entropy_delta: 0.3, outcome: 'success' })
    t.track('prompt_copied', { prompt_id: 'p-sdk', variant: 'body', source: 'card' })
    await t.shutdown()
    expect(t.stats()).toMatchObject({ sent: 4, failed: 0, queued: 0 })

    const rows = (await s.store.query<any>("SELECT event, session_id, user_id FROM events WHERE prompt_id = 'p-sdk' ORDER BY ts, event")).rows
    expect(rows.map((r) => r.event).sort()).toEqual(['prompt.completion', 'prompt.impression', 'prompt.selection', 'prompt_copied'])
    expect(new Set(rows.map((r) => r.session_id))).toEqual(new Set(['sdk-session']))
    for (const r of rows) expect(r.user_id).toMatch(/^anon:/)
    expect((await s.get('/telemetry/prompt/p-sdk/stats')).json).toMatchObject({ impressions: 1, selections: 1, completions: 1, avg_dwell_time_ms: 1200 })
  })

  it('sends a flush of more than 50 events in several requests, all stored', async () => {
    const t = createTelemetry({
      catalog: promptCatalog,
      host: basicHost(),
      sink: httpSink({ endpoint: `${s.url}/telemetry/events`, writeKey: WRITE_KEY, timeoutMs: 5000 }),
      capacity: 500,
    })
    for (let i = 0; i < 120; i++) t.track('prompt.impression', { prompt_id: 'p-many', impression_id: `imp-many-${i}`, rank: i % 10 })
    await t.shutdown()
    expect(t.stats()).toMatchObject({ sent: 120, failed: 0 })
    expect(await s.count("SELECT count(*) AS n FROM events WHERE prompt_id = 'p-many'")).toBe(120)
  })

  it('counts a batch the server refuses as failed, without retrying it', async () => {
    const t = createTelemetry({
      catalog: promptCatalog,
      host: basicHost(),
      sink: httpSink({ endpoint: `${s.url}/telemetry/events`, writeKey: 'pk_unknown_key', timeoutMs: 5000 }),
    })
    t.track('auth.logout')
    await t.shutdown()
    expect(t.stats()).toMatchObject({ sent: 0, failed: 1, retried: 0 })
  })
})
