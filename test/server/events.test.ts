import { request } from 'node:http'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envelope, impression, testServer, WRITE_KEY, type TestServer } from './harness'

let s: TestServer
beforeAll(async () => {
  s = await testServer()
}, 120_000)
afterAll(() => s?.close())

describe('POST /telemetry/events', () => {
  it('stores a text/plain batch and answers accepted, rejected and trace_id', async () => {
    const events = [impression(), impression({ rank: 1 })]
    const r = await s.post('/telemetry/events', envelope(events))
    expect(r.status).toBe(200)
    expect(r.json).toEqual({ accepted: 2, rejected: [], trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) })
    expect(r.headers.get('x-trace-id')).toBe(r.json.trace_id)
    expect(await s.stored(events.map((e) => e.id))).toEqual(new Set(events.map((e) => e.id)))
  })

  it('accepts application/json bodies', async () => {
    const e = impression()
    const r = await s.post('/telemetry/events', envelope([e]), { 'content-type': 'application/json' })
    expect(r.status).toBe(200)
    expect((await s.stored([e.id])).size).toBe(1)
  })

  it('splits an event into columns and keeps its attributes as jsonb', async () => {
    const e = { ...impression({ prompt_id: 'p-cols', rank: 3 }), entropy: 0.25, active_topics: ['a', 'b'] }
    await s.post('/telemetry/events', envelope([e]))
    const row = (await s.store.query<any>('SELECT event, ts, session_id, prompt_id, attributes, trace_id FROM events WHERE id = $1', [e.id])).rows[0]
    expect(row.event).toBe('prompt.impression')
    expect(new Date(row.ts).getTime()).toBe(e.ts)
    expect(row.session_id).toBe('sess-1')
    expect(row.prompt_id).toBe('p-cols')
    expect(row.attributes).toEqual({ impression_id: e.impression_id, rank: 3, entropy: 0.25, active_topics: ['a', 'b'] })
    expect(row.trace_id).toMatch(/^[0-9a-f]{32}$/)
  })

  // The report rollups count no source as '': an empty one stored as itself would be counted
  // once raw, then folded into "no source" by retention.
  it('stores an empty source as no source', async () => {
    const e = impression({ prompt_id: 'p-empty-source', source: '' })
    expect((await s.post('/telemetry/events', envelope([e]))).status).toBe(200)
    const row = (await s.store.query<any>('SELECT attributes FROM events WHERE id = $1', [e.id])).rows[0]
    expect(row.attributes).not.toHaveProperty('source')
    expect(row.attributes).toHaveProperty('impression_id', e.impression_id)
  })

  it('stores a retried batch once and still counts it accepted', async () => {
    const events = [impression(), impression()]
    const first = await s.post('/telemetry/events', envelope(events))
    const again = await s.post('/telemetry/events', envelope(events))
    expect(first.json.accepted).toBe(2)
    expect(again.json.accepted).toBe(2)
    expect(await s.count('SELECT count(*) AS n FROM events WHERE id = ANY($1::uuid[])', [events.map((e) => e.id)])).toBe(2)
  })

  it('stores an id repeated inside one batch once', async () => {
    const e = impression()
    const r = await s.post('/telemetry/events', envelope([e, { ...e }, { ...e, id: e.id.toUpperCase() }]))
    expect(r.json.accepted).toBe(3)
    expect(await s.count('SELECT count(*) AS n FROM events WHERE id = $1', [e.id])).toBe(1)
  })

  it('stores the valid events of a mixed batch and names each rejected one by index', async () => {
    const good = [impression(), impression()]
    const r = await s.post(
      '/telemetry/events',
      envelope([good[0], { ...impression(), event: 'not.in.catalog' }, { ...impression(), body: 'the prompt text' }, good[1], { ...impression(), rank: 'first' }]),
    )
    expect(r.status).toBe(200)
    expect(r.json.accepted).toBe(2)
    expect(r.json.rejected).toEqual([
      { index: 1, reason: expect.stringContaining('unknown event') },
      { index: 2, reason: expect.stringContaining('forbidden attribute "body"') },
      { index: 4, reason: expect.stringContaining('rank must be int') },
    ])
    expect(await s.stored(good.map((e) => e.id))).toEqual(new Set(good.map((e) => e.id)))
  })

  it('replaces the user_id a write-key caller claims with a derived anonymous id', async () => {
    const e = impression({ user_id: 'someone-else' })
    await s.post('/telemetry/events', envelope([e]))
    const row = (await s.store.query<{ user_id: string }>('SELECT user_id FROM events WHERE id = $1', [e.id])).rows[0]!
    expect(row.user_id).toMatch(/^anon:[0-9a-f]{32}$/)
  })

  it('takes the user_id from the session cookie of a signed-in caller', async () => {
    const login = await fetch(s.url + '/auth/demo-login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user_id":"u-alice"}' })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const e = impression({ user_id: 'u-mallory' })
    const r = await s.post('/telemetry/events', { events: [e] }, { cookie })
    expect(r.status).toBe(200)
    expect((await s.store.query<{ user_id: string }>('SELECT user_id FROM events WHERE id = $1', [e.id])).rows[0]!.user_id).toBe('u-alice')
  })

  it('takes the write key from ?key= in the query string', async () => {
    const e = impression()
    const r = await s.post(`/telemetry/events?key=${WRITE_KEY}`, { events: [e] })
    expect(r.status).toBe(200)
    expect((await s.stored([e.id])).size).toBe(1)
  })

  it('continues the caller trace from traceparent and returns it in headers, body and rows', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const e = impression()
    const r = await s.post('/telemetry/events', envelope([e]), { traceparent: `00-${traceId}-00f067aa0ba902b7-01` })
    expect(r.json.trace_id).toBe(traceId)
    expect(r.headers.get('x-trace-id')).toBe(traceId)
    expect(r.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`))
    expect((await s.store.query<{ trace_id: string }>('SELECT trace_id FROM events WHERE id = $1', [e.id])).rows[0]!.trace_id).toBe(traceId)
  })

  it("moves the events of a client whose clock is off by the difference, and refuses what is still a day ahead", async () => {
    const H = 3_600_000
    const storedTs = async (id: string) =>
      (await s.store.query<{ ms: number }>('SELECT (extract(epoch FROM ts) * 1000)::float8 AS ms FROM events WHERE id = $1', [id])).rows[0]?.ms
    // This client's clock is two hours slow: its event happened five minutes ago.
    const slow = impression({ ts: Date.now() - 2 * H - 5 * 60_000 })
    expect((await s.post('/telemetry/events', envelope([slow], { sent_at: Date.now() - 2 * H }))).status).toBe(200)
    expect(Math.abs(Date.now() - 5 * 60_000 - (await storedTs(slow.id))!)).toBeLessThan(10_000)
    // A clock that is right but an event stamped two days ahead: refused, its neighbour stored.
    const ahead = impression({ ts: Date.now() + 48 * H })
    const fine = impression()
    const r = await s.post('/telemetry/events', envelope([ahead, fine]))
    expect(r.json).toMatchObject({ accepted: 1, rejected: [{ index: 0, reason: expect.stringMatching(/day ahead/) }] })
    expect(await s.stored([ahead.id, fine.id])).toEqual(new Set([fine.id]))
    expect(await storedTs(fine.id)).toBe(fine.ts) // a right clock leaves ts as sent
  })

  it('counts requests and events per day in ingest_stats', async () => {
    const read = async () =>
      (await s.store.query<Record<string, number>>('SELECT * FROM ingest_stats WHERE day = $1', [new Date().toISOString().slice(0, 10)])).rows[0] ?? {}
    await s.writer.flush()
    const before = await read()
    const e = impression()
    const bodies = [JSON.stringify(envelope([e, { ...impression(), event: 'nope' }], { dropped: 7 })), JSON.stringify(envelope([e], { sdk: 'sdk-é😀' })), 'not json']
    await s.post('/telemetry/events', bodies[0])
    await s.post('/telemetry/events', bodies[1])
    await s.post('/telemetry/events', bodies[2], { 'content-type': 'application/json' })
    // A Content-Length claim far past the limit: refused before reading, so nothing received.
    const claimed = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(s.url).port), '127.0.0.1', () =>
        socket.end(`POST /telemetry/events?key=${WRITE_KEY} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 50000000000\r\nConnection: close\r\n\r\n{}`),
      )
      let answer = ''
      socket.on('data', (d) => (answer += d)).on('close', () => resolve(answer)).on('error', reject)
    })
    expect(claimed).toMatch(/^HTTP\/1\.1 413/)
    const delta = (k: string, after: Record<string, number>) => (after[k] ?? 0) - (before[k] ?? 0)
    await s.writer.flush()
    const after = await read()
    expect({
      requests: delta('requests', after),
      requests_rejected: delta('requests_rejected', after),
      events_accepted: delta('events_accepted', after),
      events_rejected: delta('events_rejected', after),
      events_stored: delta('events_stored', after),
      client_dropped: delta('client_dropped', after),
      bytes_received: delta('bytes_received', after),
    }).toEqual({
      requests: 4,
      requests_rejected: 2,
      events_accepted: 2,
      events_rejected: 1,
      events_stored: 1,
      client_dropped: 7,
      bytes_received: bodies.reduce((n, b) => n + Buffer.byteLength(b), 0), // bytes read, not claimed
    })
  })
})
