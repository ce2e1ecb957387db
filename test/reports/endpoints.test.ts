import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { basicHost } from '../../src/host/types'
import { promptCatalog } from '../../src/catalogs/prompt'
import { startGeneration } from '../../src/llm/generation'
import { trackGeneration } from '../../src/llm/track'
import { httpSink } from '../../src/sinks/http'
import { createStatsClient } from '../../src/stats/client'
import { StatsError } from '../../src/stats/error'
import { REPORTS } from '../../examples/ingest-server/src/reports/definitions'
import { ENGINES } from './db'
import { D1, D2, seedDataset } from './dataset'
import { startTestServer, TOKEN, WRITE_KEY } from './server'

describe.each(ENGINES)('report endpoints on %s', (engine) => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const get = (path: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(server.url + path, { headers }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))
  const range = `from=${D1}&to=${D2}`

  beforeAll(async () => {
    server = await startTestServer(engine)
    await seedDataset(server.store, { prices: false })
  }, 120_000)
  afterAll(() => server?.stop())

  it('answers 401 without the service token and 403 with a wrong one', async () => {
    expect((await get(`/reports/llm-cost?${range}`, {})).status).toBe(401)
    expect((await get(`/reports/llm-cost?${range}`, { authorization: 'Bearer not-the-token' })).status).toBe(403)
    expect((await get('/reports', {})).status).toBe(401)
  })

  it('lists every report with its columns and filters', async () => {
    const { status, body } = await get('/reports')
    expect(status).toBe(200)
    expect((body.reports as { name: string }[]).map((r) => r.name)).toEqual(REPORTS.map((d) => d.name))
    expect(body.pricing).toEqual({ version: 'test-1', source: 'hand-made for the report tests', currency: 'USD' })
  })

  it('answers every report as JSON with the range, the sort and the rows', async () => {
    for (const def of REPORTS) {
      const { status, body } = await get(`/reports/${def.name}?${range}`)
      expect(status, def.name).toBe(200)
      expect(body).toMatchObject({ report: def.name, from: '2025-06-10T00:00:00.000Z', to: '2025-06-12T00:00:00.000Z', sort: def.sort, order: def.order })
      expect((body.rows as unknown[]).length, def.name).toBeGreaterThan(0)
      for (const row of body.rows as Record<string, unknown>[]) expect(Object.keys(row)).toEqual(def.columns)
    }
  })

  it('computes the cost with the price table of the configuration and names it', async () => {
    const { body } = await get(`/reports/llm-cost?${range}`)
    expect((body.rows as { cost_usd: number }[]).map((r) => r.cost_usd)).toEqual([expect.closeTo(0.222, 6), expect.closeTo(0.1485, 6)])
    expect(body.pricing).toMatchObject({ version: 'test-1' })
  })

  it.each([
    ['a date that does not exist', 'from=2025-02-30'],
    ['words for a date', 'from=yesterday'],
    ['a date-time without a zone', 'from=2025-06-10T00:00:00'],
    ['an end before the start', 'from=2025-06-11&to=2025-06-10'],
    ['a range over 400 days', 'from=2020-01-01&to=2025-01-01'],
    ['a column that is not whitelisted', 'sort=password'],
    ['SQL in the sort', 'sort=day%3B%20DROP%20TABLE%20events'],
    ['SQL in the order', 'order=asc%2C%20(SELECT%201)'],
    ['a limit of 0', 'limit=0'],
    ['a limit too large', 'limit=1000000'],
    ['a limit that is not a number', 'limit=1e3'],
    ['an unknown parameter', 'form=2025-06-10'],
    ['a parameter given twice', 'from=2025-06-10&from=2025-06-11'],
  ])('answers 400 to %s', async (_, qs) => {
    const { status, body } = await get(`/reports/llm-cost?${qs}`)
    expect(status).toBe(400)
    expect(body.error).toEqual(expect.any(String))
  })

  it('filters on any stored text as a bound value, and keeps the data intact', async () => {
    const quoted = await get(`/reports/prompt-performance?${range}&lens=${encodeURIComponent("x' OR '1'='1")}`)
    expect(quoted.status).toBe(200)
    expect(quoted.body.rows).toEqual([])
    expect((await get(`/reports/funnel?${range}&source=${encodeURIComponent('home page')}`)).status).toBe(200) // a source the facets list
    expect((await get(`/reports/funnel?${range}&source=${'x'.repeat(129)}`)).status).toBe(400)
    expect((await get(`/reports/prompt-performance?lens=founder&${range}`)).body.rows).toHaveLength(1)
    const n = await server.store.query<{ n: number }>('SELECT count(*)::int AS n FROM events')
    expect(n.rows[0]!.n).toBeGreaterThan(60)
  })

  it('lets the dashboard in with an operator session instead of the bearer token', async () => {
    const login = await fetch(server.url + '/auth/operator-login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) })
    expect(login.status).toBe(200)
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!
    expect((await get(`/reports/funnel?${range}`, { cookie })).status).toBe(200)
  })

  it('serves the typed stats client, which throws StatsError on a bad request', async () => {
    const stats = createStatsClient({ baseUrl: server.url, token: TOKEN })
    const models = await stats.llmModels({ from: D1, to: D2, sort: 'cost_usd', order: 'desc' })
    expect(models.rows[0]).toMatchObject({ model: 'test-model', calls: 20 })
    expect(models.pricing?.version).toBe('test-1')
    const p1 = await stats.getPromptStats('p1')
    expect(p1).toMatchObject({ prompt_id: 'p1', impressions: 5, selections: 2, completions: 1 })
    const list = await stats.listPromptPerformance({ sort: 'impressions', order: 'desc' })
    expect(list.prompts.map((p) => p.prompt_id)).toEqual(['p1', 'p2'])
    const err = await stats.llmCost({ from: 'nope' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StatsError)
    expect(err).toMatchObject({ status: 400, message: expect.stringContaining('from must be an ISO 8601 date') })
  })

  it('reports an LLM call that the SDK sent over HTTP from a Node process', async () => {
    const t = createTelemetry({ catalog: promptCatalog, endpoint: `${server.url}/telemetry/events`, writeKey: WRITE_KEY, host: basicHost(), timeoutMs: 5000 })
    let clock = 0
    const g = startGeneration(t, { provider: 'anthropic', model: 'claude-node-e2e', streaming: true }, { now: () => clock })
    clock = 230
    g.firstChunk()
    await g.step('generation', async () => void (clock = 900))
    g.end({ usage: { inputTokens: 1000, outputTokens: 50 }, finishReasons: ['end_turn'] })
    await t.shutdown()
    expect(t.stats()).toMatchObject({ sent: 2, failed: 0, rejected: 0 })
    const { body } = await get('/reports/llm-models?sort=model&order=asc')
    expect((body.rows as Record<string, unknown>[]).find((r) => r.model == 'claude-node-e2e')).toMatchObject({ calls: 1, p50_ms: 900, ttft_p50_ms: 230, cost_usd: null })
  })

  it('tells a backend\'s users apart in llm-users when it sends with the service token', async () => {
    const t = createTelemetry({
      catalog: promptCatalog,
      host: basicHost(),
      sink: httpSink({ endpoint: `${server.url}/telemetry/events`, timeoutMs: 5000, headers: { authorization: `Bearer ${TOKEN}` } }),
    })
    for (const [userId, inputTokens] of [['u-backend-alice', 1000], ['u-backend-bob', 10], ['u-backend-alice', 500]] as const)
      startGeneration(t, { provider: 'openai', model: 'gpt-backend-e2e', userId }).end({ usage: { inputTokens, outputTokens: 1 } })
    trackGeneration(t, { provider: 'openai', model: 'gpt-backend-e2e', durationMs: 10, userId: 'u-backend-bob', usage: { inputTokens: 5, outputTokens: 1 } })
    await t.shutdown()
    expect(t.stats()).toMatchObject({ sent: 4, failed: 0 })
    const { body } = await get('/reports/llm-users?sort=user_id&order=asc')
    const mine = (body.rows as Record<string, unknown>[]).filter((r) => String(r.user_id).startsWith('u-backend-'))
    expect(mine.map((r) => [r.user_id, r.calls, r.input_tokens])).toEqual([
      ['u-backend-alice', 2, 1500],
      ['u-backend-bob', 2, 15],
    ])
    const wrong = httpSink({ endpoint: `${server.url}/telemetry/events`, timeoutMs: 5000, headers: { authorization: 'Bearer not-the-token' } })
    const env = { events: [], sent_at: Date.now(), dropped: 0, sdk: 'x' }
    expect(await wrong.send(env, { unloading: false })).toMatchObject({ ok: false, status: 403, retryable: false }) // refused, not taken for a page
  })
})
