import { delay, http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { httpSink } from '../../src/sinks/http'
import type { Envelope } from '../../src/sinks/types'
import type { WireEvent } from '../../src/core/validate'
import { uuidv7 } from '../../src/core/uuid'

const ENDPOINT = 'http://127.0.0.1:9/telemetry/events'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

type Seen = { type: string | null; body: string; json: Envelope }
/** Answers every POST with `answer` and records what arrived. */
const receive = (answer: () => Response | Promise<Response> = () => new HttpResponse(null, { status: 204 })) => {
  const seen: Seen[] = []
  server.use(
    http.post(ENDPOINT, async ({ request }) => {
      const body = await request.text()
      seen.push({ type: request.headers.get('content-type'), body, json: JSON.parse(body) })
      return answer()
    }),
  )
  return seen
}

const event = (i: number, pad = 0): WireEvent => ({ id: uuidv7(), event: 'item.viewed', ts: 1, session_id: 's', rank: i, note: 'x'.repeat(pad) })
const envelope = (n: number, pad = 0): Envelope => ({
  events: Array.from({ length: n }, (_, i) => event(i, pad)),
  sent_at: 1,
  dropped: 3,
  sdk: 'prompt-telemetry@test',
})
const live = { unloading: false }

describe('httpSink', () => {
  it('POSTs the envelope as JSON in a text/plain body', async () => {
    const seen = receive()
    const env = envelope(2)
    expect(await httpSink({ endpoint: ENDPOINT }).send(env, live)).toEqual({ ok: true })
    expect(seen).toHaveLength(1)
    expect(seen[0]!.type).toMatch(/^text\/plain;\s*charset=utf-8$/i)
    expect(seen[0]!.json).toEqual(env)
  })

  it('puts the write key in the body, where a beacon can carry it', async () => {
    const seen = receive()
    await httpSink({ endpoint: ENDPOINT, writeKey: 'pk_live_1' }).send(envelope(1), live)
    expect(seen[0]!.json.write_key).toBe('pk_live_1')
  })

  it('splits a batch into requests of at most 50 events, in order, with dropped on the first only', async () => {
    const seen = receive()
    const env = envelope(120)
    expect(await httpSink({ endpoint: ENDPOINT }).send(env, live)).toEqual({ ok: true })
    expect(seen.every((s) => s.json.events.length <= 50)).toBe(true)
    expect(seen.flatMap((s) => s.json.events)).toEqual(env.events)
    expect(seen.map((s) => s.json.dropped).reduce((a, b) => a + b)).toBe(3)
    expect(seen[0]!.json.dropped).toBe(3)
  })

  it('splits a batch into bodies of at most 56 KB', async () => {
    const seen = receive()
    const env = envelope(50, 3500)
    await httpSink({ endpoint: ENDPOINT, writeKey: 'k' }).send(env, live)
    expect(seen.length).toBeGreaterThan(3)
    for (const s of seen) expect(Buffer.byteLength(s.body)).toBeLessThanOrEqual(56 * 1024)
    expect(seen.flatMap((s) => s.json.events.map((e) => e.id))).toEqual(env.events.map((e) => e.id))
    expect(seen.every((s) => s.json.write_key == 'k')).toBe(true)
  })

  it.each([408, 429, 500, 502, 503, 504])('calls a %i retryable', async (status) => {
    receive(() => new HttpResponse(null, { status }))
    expect(await httpSink({ endpoint: ENDPOINT }).send(envelope(1), live)).toMatchObject({ ok: false, retryable: true, status })
  })

  it.each([400, 401, 403, 404, 413, 422])('calls a %i final', async (status) => {
    receive(() => new HttpResponse(null, { status }))
    expect(await httpSink({ endpoint: ENDPOINT }).send(envelope(1), live)).toMatchObject({ ok: false, retryable: false, status })
  })

  it('reads the answer body to its end, which would hold a connection open in Node', async () => {
    let read = 0
    const body = new ReadableStream({ pull: (c) => void (++read < 3 ? c.enqueue(new Uint8Array(8)) : c.close()) })
    const fetch = (async () => new Response(body, { status: 400 })) as typeof globalThis.fetch
    expect(await httpSink({ endpoint: ENDPOINT, fetch }).send(envelope(1), live)).toMatchObject({ ok: false, status: 400 })
    await new Promise((r) => setTimeout(r, 0))
    expect(read).toBe(3)
  })

  it('does not mistake an answer without a cancellable body for a network error', async () => {
    const fetch = (async () => ({ ok: true, status: 200, headers: new Headers(), body: {} })) as unknown as typeof globalThis.fetch
    expect(await httpSink({ endpoint: ENDPOINT, fetch }).send(envelope(1), live)).toEqual({ ok: true })
  })

  it('calls a network error retryable', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    server.use(http.post(ENDPOINT, () => HttpResponse.error()))
    expect(await httpSink({ endpoint: ENDPOINT }).send(envelope(1), live)).toMatchObject({ ok: false, retryable: true })
    vi.advanceTimersByTime(10_000) // the keepalive ledger's hold after a failure ends: later tests send keepalive
    vi.useRealTimers()
  })

  it('gives up on a slow server after the timeout, and calls it retryable', async () => {
    receive(async () => {
      await delay(5000)
      return new HttpResponse(null, { status: 204 })
    })
    expect(await httpSink({ endpoint: ENDPOINT, timeoutMs: 50 }).send(envelope(1), live)).toMatchObject({ ok: false, retryable: true, error: 'timeout' })
  })

  it('reads Retry-After in seconds', async () => {
    receive(() => new HttpResponse(null, { status: 429, headers: { 'Retry-After': '7' } }))
    expect(await httpSink({ endpoint: ENDPOINT }).send(envelope(1), live)).toMatchObject({ retryable: true, retryAfterMs: 7000 })
  })

  it('reads Retry-After as an HTTP date', async () => {
    const when = new Date(Date.now() + 10_000).toUTCString()
    receive(() => new HttpResponse(null, { status: 503, headers: { 'Retry-After': when } }))
    const r = await httpSink({ endpoint: ENDPOINT }).send(envelope(1), live)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.retryAfterMs).toBeGreaterThan(8000)
      expect(r.retryAfterMs).toBeLessThanOrEqual(10_000)
    }
  })

  it('reads Retry-After: 0 as "now", not as absent', async () => {
    receive(() => new HttpResponse(null, { status: 503, headers: { 'Retry-After': '0' } }))
    expect(await httpSink({ endpoint: ENDPOINT }).send(envelope(1), live)).toMatchObject({ retryable: true, retryAfterMs: 0 })
  })

  it('ignores a Retry-After it cannot read', async () => {
    receive(() => new HttpResponse(null, { status: 503, headers: { 'Retry-After': 'soon' } }))
    const r = await httpSink({ endpoint: ENDPOINT }).send(envelope(1), live)
    expect(r).toMatchObject({ ok: false, retryable: true })
    expect(r.ok || r.retryAfterMs).toBeUndefined()
  })

  it('fails the whole batch when one of its parts fails, so the retry resends it all', async () => {
    let n = 0
    const seen = receive(() => new HttpResponse(null, { status: ++n == 2 ? 503 : 204 }))
    const r = await httpSink({ endpoint: ENDPOINT }).send(envelope(120), live)
    expect(r).toMatchObject({ ok: false, retryable: true, status: 503 })
    expect(seen).toHaveLength(2)
  })
})
