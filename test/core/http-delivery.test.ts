import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { validateBatch } from '../../src/core/validate'
import type { Envelope } from '../../src/sinks/types'
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
    // 20 events of ~3.9 KB of UTF-8 but 1.3 K characters: one batch (about 32 K characters),
    // sent as two bodies of 10 under the 56 KB cap.
    const big = (t: ReturnType<typeof createTelemetry<typeof catalog>>) => {
      for (let i = 0; i < 25; i++) t.track('blob.sent', { data: '名'.repeat(1250) })
    }
    const setup = () => createTelemetry({ catalog, endpoint: ENDPOINT, host: fakeHost().host, capacity: 20, maxRetries: 1 })

    it('retries only the second part, and reports the drops once', async () => {
      const got = answering(200, 503, 200)
      vi.spyOn(Math, 'random').mockReturnValue(0) // no backoff: the retry follows at once
      const t = setup()
      big(t)
      await t.flush()
      expect(got.map((b) => [b.events.length, b.dropped])).toEqual([[10, 5], [10, 0], [10, 0]])
      expect(got[2]!.events.map((e) => e.id)).toEqual(got[1]!.events.map((e) => e.id))
      expect(t.stats()).toMatchObject({ sent: 20, retried: 10, failed: 0, dropped: 5 })
    })

    it('counts only the second part as failed when it is refused', async () => {
      const got = answering(200, 400)
      const t = setup()
      big(t)
      await t.flush()
      expect(t.stats()).toMatchObject({ sent: 10, failed: 10 })
      t.track('item.viewed', view)
      await t.flush()
      expect(got.map((b) => b.dropped)).toEqual([5, 0, 0])
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
