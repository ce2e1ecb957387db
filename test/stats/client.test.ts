import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createStatsClient } from '../../src/stats/client'
import { StatsError } from '../../src/stats/error'

const BASE = 'http://stats.test'
const seen: Request[] = []
const server = setupServer(
  http.get(`${BASE}/telemetry/prompt/:id/stats`, ({ request, params }) => {
    seen.push(request)
    return HttpResponse.json({ prompt_id: params.id, impressions: 0, selections: 0, completions: 0, selection_rate: 0, avg_dwell_time_ms: null, avg_entropy_delta: null, last_surfaced: null, avg_rating: null, total_ratings: 0 })
  }),
  http.get(`${BASE}/telemetry/prompts/performance`, ({ request }) => {
    seen.push(request)
    return HttpResponse.json({ prompts: [], total: 0, limit: 5, offset: 0, sort: 'selection_rate', order: 'asc' })
  }),
  http.get(`${BASE}/reports/:name`, ({ request, params }) => {
    seen.push(request)
    if (request.headers.get('authorization') != 'Bearer s3cret') return HttpResponse.json({ error: 'operator token required' }, { status: 401 })
    if (params.name == 'broken') return new HttpResponse('upstream exploded', { status: 502 })
    if (params.name == 'not-json') return new HttpResponse('<html>', { status: 200 })
    const url = new URL(request.url)
    if (url.searchParams.get('sort') == 'nope') return HttpResponse.json({ error: 'sort must be one of day, calls' }, { status: 400 })
    return HttpResponse.json({ report: params.name, from: url.searchParams.get('from'), to: url.searchParams.get('to'), sort: 'day', order: 'asc', filters: {}, rows: [{ day: '2025-06-01', calls: 3 }] })
  }),
)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  seen.length = 0
  server.resetHandlers()
})
afterAll(() => server.close())

const stats = createStatsClient({ baseUrl: BASE + '/', token: 's3cret' })

describe('createStatsClient', () => {
  it('sends the service token as a bearer and returns the parsed report', async () => {
    const r = await stats.llmCost({ from: '2025-06-01', to: new Date('2025-06-30T00:00:00Z'), sort: 'cost_usd', order: 'desc', limit: 10 })
    expect(r.rows).toEqual([{ day: '2025-06-01', calls: 3 }])
    const url = new URL(seen[0]!.url)
    expect(url.pathname).toBe('/reports/llm-cost')
    expect(Object.fromEntries(url.searchParams)).toEqual({ from: '2025-06-01', to: '2025-06-30T00:00:00.000Z', sort: 'cost_usd', order: 'desc', limit: '10' })
    expect(seen[0]!.headers.get('authorization')).toBe('Bearer s3cret')
  })

  it('has one function per report, each calling its own endpoint', async () => {
    const calls: [string, () => Promise<{ report: string }>][] = [
      ['llm-latency', () => stats.llmLatency()],
      ['llm-latency-daily', () => stats.llmLatencyDaily()],
      ['llm-errors', () => stats.llmErrors()],
      ['llm-error-rate', () => stats.llmErrorRate()],
      ['llm-users', () => stats.llmUsers()],
      ['llm-fingerprints', () => stats.llmFingerprints()],
      ['llm-off-topic', () => stats.llmOffTopic()],
      ['llm-models', () => stats.llmModels()],
      ['events-daily', () => stats.eventsDaily()],
      ['funnel', () => stats.funnel({ lens: 'founder' })],
      ['prompt-facets', () => stats.promptFacets()],
      ['prompt-performance', () => stats.promptPerformance({ source: 'carousel' })],
      ['psr-prompts', () => stats.psrPrompts()],
      ['psr-versions', () => stats.psrVersions()],
      ['psr-distribution', () => stats.psrDistribution()],
      ['ingest', () => stats.ingest()],
    ]
    for (const [name, call] of calls) expect((await call()).report).toBe(name)
    expect(seen.map((r) => new URL(r.url).pathname)).toEqual(calls.map(([n]) => `/reports/${n}`))
    expect(new URL(seen[9]!.url).searchParams.get('lens')).toBe('founder')
  })

  it('encodes the prompt id of getPromptStats and the options of listPromptPerformance', async () => {
    await stats.getPromptStats('a/b c')
    await stats.listPromptPerformance({ limit: 5, sort: 'selection_rate', order: 'asc' })
    expect(seen[0]!.url).toBe(`${BASE}/telemetry/prompt/a%2Fb%20c/stats`)
    expect(seen[1]!.url).toBe(`${BASE}/telemetry/prompts/performance?limit=5&sort=selection_rate&order=asc`)
  })

  it('throws a StatsError with the status and the server reason on a 4xx', async () => {
    const err = await stats.llmCost({ sort: 'nope' as 'day' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StatsError)
    expect(err).toMatchObject({ status: 400, body: { error: 'sort must be one of day, calls' } })
    expect((err as Error).message).toBe('GET /reports/llm-cost answered 400: sort must be one of day, calls')
  })

  it('throws a 401 StatsError without the right token', async () => {
    const bad = createStatsClient({ baseUrl: BASE, token: 'wrong' })
    await expect(bad.ingest()).rejects.toMatchObject({ name: 'StatsError', status: 401 })
  })

  it('throws on a 5xx with a text body, and on a 2xx that is not JSON', async () => {
    await expect(stats.report('broken' as 'ingest')).rejects.toMatchObject({ status: 502, message: 'GET /reports/broken answered 502: upstream exploded' })
    await expect(stats.report('not-json' as 'ingest')).rejects.toMatchObject({ status: 200 })
  })

  it('throws a StatsError with status 0 when the server cannot be reached', async () => {
    const down = createStatsClient({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch: () => Promise.reject(new TypeError('fetch failed')) })
    await expect(down.llmModels()).rejects.toMatchObject({ name: 'StatsError', status: 0 })
  })

  it('gives up after its timeout with a StatsError', async () => {
    const hang: typeof fetch = (_u, init) => new Promise((_, reject) => init!.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
    const slow = createStatsClient({ baseUrl: BASE, token: 't', fetch: hang, timeoutMs: 5 })
    await expect(slow.llmModels()).rejects.toMatchObject({ status: 0, message: expect.stringContaining('no answer in 5 ms') })
  })

  it('gives up on a body that stalls after the headers, too', async () => {
    // Headers and the start of the JSON, then nothing until the request is aborted.
    const stalling: typeof fetch = async (_u, init) => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"rows":['))
          init!.signal!.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')))
        },
      })
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })
    }
    const slow = createStatsClient({ baseUrl: BASE, token: 't', fetch: stalling, timeoutMs: 20 })
    await expect(slow.llmModels()).rejects.toMatchObject({ status: 0, message: expect.stringContaining('no answer in 20 ms') })
  })
})
