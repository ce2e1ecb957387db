import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envelope, impression, testServer, type TestServer } from './harness'

let s: TestServer
beforeAll(async () => {
  s = await testServer()
  const ev = (event: string, prompt_id: string, extra: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    event,
    ts: Date.parse('2026-01-01T00:00:00Z') + Object.keys(extra).length,
    session_id: 's-1',
    prompt_id,
    ...extra,
  })
  const events = [
    ...Array.from({ length: 4 }, (_, i) => impression({ prompt_id: 'p-a', ts: Date.parse('2026-01-02T00:00:00Z') + i })),
    ev('prompt.selection', 'p-a'),
    ev('prompt.completion', 'p-a', { dwell_time_ms: 1000, entropy_delta: -0.2 }),
    ev('prompt.completion', 'p-a', { dwell_time_ms: 3000, entropy_delta: 0.1 }),
    ev('prompt.completion', 'p-a', { outcome: 'abandoned' }),
    ...Array.from({ length: 2 }, () => impression({ prompt_id: 'p-b' })),
    ev('prompt.selection', 'p-b'),
    ev('prompt.selection', 'p-b'),
    impression({ prompt_id: 'p-c' }),
    ev('prompt_copied', 'p-a', { variant: 'body', source: 'card' }),
  ]
  expect((await s.post('/telemetry/events', envelope(events))).json.accepted).toBe(events.length)
  const cookie = (await fetch(s.url + '/auth/demo-login', { method: 'POST', body: '{"user_id":"u-1"}', headers: { 'content-type': 'application/json' } }))
    .headers.get('set-cookie')!
    .split(';')[0]!
  await s.post('/psr', { prompt_id: 'p-a', rating: 4, source: 'copy' }, { cookie })
}, 120_000)
afterAll(() => s?.close())

describe('GET /telemetry/prompt/:id/stats', () => {
  it('computes the prompt performance from the lifecycle events', async () => {
    const r = await s.get('/telemetry/prompt/p-a/stats')
    expect(r.status).toBe(200)
    expect(r.json).toEqual({
      prompt_id: 'p-a',
      impressions: 4,
      selections: 1,
      completions: 3,
      selection_rate: 0.25,
      avg_dwell_time_ms: 2000,
      avg_entropy_delta: -0.05,
      last_surfaced: '2026-01-02T00:00:00.003Z',
      avg_rating: 4,
      total_ratings: 1,
    })
  })

  it('answers zeros for an unknown prompt', async () => {
    const r = await s.get('/telemetry/prompt/p-never/stats')
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ prompt_id: 'p-never', impressions: 0, selections: 0, completions: 0, selection_rate: 0, avg_dwell_time_ms: null, last_surfaced: null, total_ratings: 0 })
  })

  it('answers for a prompt id of the longest size the ingest takes (128)', async () => {
    const r = await s.get('/telemetry/prompt/' + 'a'.repeat(128) + '/stats')
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ prompt_id: 'a'.repeat(128), impressions: 0 })
  })

  it('answers 400 to a malformed prompt id', async () => {
    expect((await s.get('/telemetry/prompt/' + encodeURIComponent('a b') + '/stats')).status).toBe(400)
  })
})

describe('GET /telemetry/prompts/performance', () => {
  it('lists prompts by impressions, most first, with the total', async () => {
    const r = await s.get('/telemetry/prompts/performance')
    expect(r.status).toBe(200)
    expect(r.json.total).toBe(3)
    expect(r.json.prompts.map((p: any) => p.prompt_id)).toEqual(['p-a', 'p-b', 'p-c'])
  })

  it('sorts on a whitelisted column in the order asked and honours limit', async () => {
    const r = await s.get('/telemetry/prompts/performance?sort=selection_rate&order=desc&limit=2')
    expect(r.json.prompts.map((p: any) => [p.prompt_id, p.selection_rate])).toEqual([
      ['p-b', 1],
      ['p-a', 0.25],
    ])
    const asc = await s.get('/telemetry/prompts/performance?sort=selection_rate&order=asc&limit=1')
    expect(asc.json.prompts[0].prompt_id).toBe('p-c')
  })

  it('pages with offset', async () => {
    const r = await s.get('/telemetry/prompts/performance?limit=1&offset=1')
    expect(r.json.prompts.map((p: any) => p.prompt_id)).toEqual(['p-b'])
  })

  const bad = ['sort=body', 'sort=impressions;drop table events', 'order=sideways', 'limit=0', 'limit=501', 'limit=ten', 'offset=-1', 'foo=bar', 'limit=1&limit=2', 'limit=0x10', 'limit=1e2', 'limit=%205', 'limit=%2B5', 'offset=0.0', 'offset=1000000001']
  // The bound the message names is the bound: 1e9 was refused for having more than 7 digits.
  it('takes an offset up to the 1,000,000,000 it names', async () => {
    const r = await s.get('/telemetry/prompts/performance?offset=1000000000')
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ prompts: [], offset: 1_000_000_000 })
  })
  for (const q of bad)
    it(`answers 400 to ${q}`, async () => {
      const r = await s.get('/telemetry/prompts/performance?' + q)
      expect(r.status).toBe(400)
      expect(r.json.error).toBeTruthy()
    })
})

describe('GET /healthz', () => {
  it('answers 200 with the store kind once ready', async () => {
    const r = await s.get('/healthz', {})
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ ok: true, store: s.store.kind })
  })

  it('answers 404 with JSON for an unknown route', async () => {
    const r = await s.get('/nope', {})
    expect(r.status).toBe(404)
    expect(r.json.error).toMatch(/no route GET \/nope/)
  })

  it('answers 405 naming the allowed methods to a known path asked with another method', async () => {
    for (const [method, path, allow] of [
      ['GET', '/telemetry/events', 'POST'],
      ['DELETE', '/psr', 'POST'],
      ['POST', '/telemetry/prompt/p-a/stats', 'GET, HEAD'],
    ] as const) {
      const res = await fetch(s.url + path, { method, headers: s.bearer })
      expect(res.status, `${method} ${path}`).toBe(405)
      expect(res.headers.get('allow')).toBe(allow)
      expect(((await res.json()) as { error: string }).error).toMatch(/is not allowed/)
    }
  })

  it('answers a path one slash off with a 404 that names the right one', async () => {
    const r = await s.post('/telemetry/events/', envelope([impression()]))
    expect(r.status).toBe(404)
    expect(r.json.error).toBe('no route POST /telemetry/events/; did you mean /telemetry/events?')
  })

  it('answers a malformed or over-long path in the shape of every error', async () => {
    for (const [path, status, code] of [
      ['/telemetry/prompt/%ZZ/stats', 400, 'FST_ERR_BAD_URL'],
      ['/telemetry/prompt/' + 'a'.repeat(401) + '/stats', 414, 'FST_ERR_MAX_PARAM_LENGTH'],
    ] as const) {
      const res = await fetch(s.url + path, { headers: s.bearer })
      expect(res.status, path).toBe(status)
      const body = await res.json()
      expect(body).toMatchObject({ error: expect.any(String), code })
      expect(body).toHaveProperty('trace_id') // null: the path is refused before a trace starts
    }
  })
})
