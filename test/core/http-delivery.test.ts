import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { validateBatch } from '../../src/core/validate'
import { httpSink } from '../../src/sinks/http'
import type { Envelope, Sink } from '../../src/sinks/types'
import { catalog, fakeHost, view } from './fixtures'

const ENDPOINT = 'http://127.0.0.1:9/telemetry/events'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  vi.restoreAllMocks()
})
afterAll(() => server.close())

/** The server answers each request with the next status; what it got is kept. */
const answering = (...statuses: number[]) => {
  const got: Envelope[] = []
  server.use(
    http.post(ENDPOINT, async ({ request }) => {
      got.push(JSON.parse(await request.text()))
      return new HttpResponse(null, { status: statuses.shift() ?? 204 })
    }),
  )
  return got
}
const client = () => createTelemetry({ catalog, endpoint: ENDPOINT, writeKey: 'pk_test', host: fakeHost().host })

describe('a client with an endpoint', () => {
  it('delivers events the server accepts, with the write key and the sdk name', async () => {
    const got = answering()
    const t = client()
    t.track('item.viewed', { ...view, rank: 1 })
    t.track('item.rated', { item_id: 'i-1', rating: 4 })
    await t.flush()
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({ write_key: 'pk_test', dropped: 0, sdk: expect.stringMatching(/^prompt-telemetry@/) })
    expect(got[0]!.sent_at).toEqual(expect.any(Number))
    const checked = validateBatch(catalog, got[0], { unknownKeys: 'reject' })
    expect(checked.rejected).toEqual([])
    expect(checked.events.map((e) => e.event)).toEqual(['item.viewed', 'item.rated'])
    expect(t.stats()).toMatchObject({ sent: 2, failed: 0 })
  })

  it('retries after a 503 with the same event ids, and counts the events once', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0) // no backoff wait
    const got = answering(503, 429)
    const t = client()
    t.track('item.viewed', view)
    await t.flush()
    expect(got).toHaveLength(3)
    expect(new Set(got.map((b) => b.events[0]!.id)).size).toBe(1)
    expect(t.stats()).toMatchObject({ sent: 1, retried: 2, failed: 0, queued: 0 })
  })

  it('drops and counts a batch the server refuses with a 400', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const got = answering(400)
    const t = client()
    t.track('item.viewed', view)
    t.track('item.viewed', view)
    await t.flush()
    await t.flush()
    expect(got).toHaveLength(1)
    expect(t.stats()).toMatchObject({ sent: 0, failed: 2, retried: 0, queued: 0 })
  })

  describe('a batch sent in two parts, of which only the first gets through', () => {
    // 20 events of ~3.9 KB: two bodies of 10 under the 56 KB cap. The client sends at most 24 KB
    // while the page lives, so such batches come from the page-hide path or a direct caller.
    const env = (): Envelope => ({
      events: Array.from({ length: 20 }, (_, i) => ({ id: `e-${i}`, event: 'blob.sent', ts: 1, session_id: 's', data: 'd'.repeat(3800) })),
      sent_at: 1,
      dropped: 5,
      sdk: 't',
    })

    it('says how many events the first part carried, and reports the drops with it alone', async () => {
      const got = answering(200, 503)
      const r = await httpSink({ endpoint: ENDPOINT }).send(env(), { unloading: false })
      expect(r).toEqual({ ok: false, status: 503, retryable: true, retryAfterMs: undefined, sent: 10 })
      expect(got.map((b) => [b.events.length, b.dropped])).toEqual([[10, 5], [10, 0]])
    })

    it('has the client retry only the rest, and report the drops once', async () => {
      const got: Envelope[] = []
      const sink: Sink = { send: async (b) => (got.push(b), got.length == 1 ? { ok: false, retryable: true, status: 503, sent: 2 } : { ok: true }) }
      vi.spyOn(Math, 'random').mockReturnValue(0) // no backoff: the retry follows at once
      const t = createTelemetry({ catalog, sink, host: fakeHost().host, capacity: 4 })
      for (let i = 0; i < 5; i++) t.track('item.viewed', { ...view, rank: i })
      await t.flush()
      expect(got.map((b) => [b.events.map((e) => e.rank), b.dropped])).toEqual([
        [[1, 2, 3, 4], 1],
        [[3, 4], 0],
      ])
      expect(t.stats()).toMatchObject({ sent: 4, retried: 2, failed: 0, dropped: 1 })
    })

    it('has the client count only the rest as failed when it is refused', async () => {
      const got: Envelope[] = []
      const sink: Sink = { send: async (b) => (got.push(b), got.length == 1 ? { ok: false, retryable: false, status: 400, sent: 2 } : { ok: true }) }
      const t = createTelemetry({ catalog, sink, host: fakeHost().host, capacity: 4 })
      for (let i = 0; i < 5; i++) t.track('item.viewed', { ...view, rank: i })
      await t.flush()
      expect(t.stats()).toMatchObject({ sent: 2, failed: 2 })
      t.track('item.viewed', view)
      await t.flush()
      expect(got.map((b) => b.dropped)).toEqual([1, 0])
    })
  })

  it('sends everything queued on shutdown in Node', async () => {
    const got = answering()
    const t = client()
    for (let i = 0; i < 70; i++) t.track('item.viewed', { ...view, rank: i })
    await t.shutdown()
    expect(got.flatMap((b) => b.events.map((e) => e.rank))).toEqual(Array.from({ length: 70 }, (_, i) => i))
    expect(got.every((b) => b.events.length <= 50)).toBe(true)
  })
})
