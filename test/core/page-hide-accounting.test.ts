import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { httpSink } from '../../src/sinks/http'
import type { Envelope, SendContext, SendResult, Sink } from '../../src/sinks/types'
import { catalog, deferred, fakeHost, settle, view } from './fixtures'
import { heldFetch, ENDPOINT, ok } from './held-fetch'

beforeEach(() => void vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const total = (s: ReturnType<ReturnType<typeof createTelemetry>['stats']>) => s.sent + s.failed + s.dropped + s.queued + s.rejected

/** A sink whose every send waits for the test to answer it. */
const gated = () => {
  const calls: { batch: Envelope; ctx: SendContext; answer: (r: SendResult) => void }[] = []
  const sink: Sink = {
    send(batch, ctx) {
      const d = deferred<SendResult>()
      calls.push({ batch, ctx, answer: d.resolve })
      return d.promise
    },
  }
  return { calls, sink }
}

describe('a page closing while a flush is sending', () => {
  // A batch of 50 events of ~1.2 KB was one request of two 56 KB-capped parts, sent one after the
  // other: closing the page during the first lost the second, which no page-hide send could see.
  it('sends at most 24 KB per request, so what the request did not take goes by beacon', async () => {
    const fake = fakeHost()
    const { calls, sink } = gated()
    const t = createTelemetry({ catalog, sink, host: fake.host })
    for (let i = 0; i < 50; i++) t.track('blob.sent', { data: `${i}`.padEnd(1100, 'x') })
    await settle()
    expect(calls).toHaveLength(1)
    const first = calls[0]!.batch.events.length
    expect(JSON.stringify(calls[0]!.batch.events).length).toBeLessThanOrEqual(24_000)
    fake.emit('pagehide') // the first request is still in flight
    expect(calls).toHaveLength(2)
    expect(calls[1]!.ctx.unloading).toBe(true)
    expect(calls[1]!.batch.events).toHaveLength(50 - first)
    expect(total(t.stats())).toBe(50)
  })
})

describe('the page-hide send', () => {
  it('is counted as queued until it is answered, and shutdown() waits for it', async () => {
    const fake = fakeHost()
    const { calls, sink } = gated()
    const t = createTelemetry({ catalog, sink, host: fake.host })
    for (let i = 0; i < 7; i++) t.track('item.viewed', view)
    fake.emit('hidden')
    expect(t.stats()).toMatchObject({ queued: 7, sent: 0 })
    const done = t.shutdown(2000)
    await vi.advanceTimersByTimeAsync(10)
    calls[0]!.answer({ ok: true })
    await vi.advanceTimersByTimeAsync(0)
    await done
    expect(t.stats()).toMatchObject({ queued: 0, sent: 7, failed: 0 })
  })

  it('retries what it could not deliver with the backoff and Retry-After of any send', async () => {
    const fake = fakeHost({ idle: undefined })
    const { calls, sink } = gated()
    const t = createTelemetry({ catalog, sink, host: fake.host })
    t.track('item.viewed', view)
    fake.emit('hidden')
    calls[0]!.answer({ ok: false, retryable: true, status: 503, retryAfterMs: 60_000 })
    await vi.advanceTimersByTimeAsync(59_000)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(2000)
    expect(calls).toHaveLength(2)
    expect(calls[1]!.ctx.unloading).toBe(false)
    calls[1]!.answer({ ok: true })
    await settle()
    expect(t.stats()).toMatchObject({ sent: 1, queued: 0 })
  })

  // A fetch rejected by a navigation looks like a network error, though its body may have gone:
  // kept queued, it was sent again by every later page-hide send, spending the beacon quota.
  it('after a network error, sends the queue once and counts it as for any beacon', async () => {
    const fake = fakeHost()
    const { calls, sink } = gated()
    const t = createTelemetry({ catalog, sink, host: fake.host })
    t.track('item.rated', { item_id: 'i', rating: 5 }) // priority: sent at once
    await settle()
    calls[0]!.answer({ ok: false, retryable: true, error: 'TypeError: Failed to fetch' })
    await settle()
    fake.emit('hidden')
    fake.emit('pagehide')
    expect(calls.filter((c) => c.ctx.unloading)).toHaveLength(1)
    calls[1]!.answer({ ok: true })
    await settle()
    expect(t.stats()).toMatchObject({ sent: 1, queued: 0 })
  })
})

describe('the size that starts a flush', () => {
  it('is counted afresh after a page-hide send took the queue', async () => {
    const fake = fakeHost()
    const { calls, sink } = gated()
    const t = createTelemetry({ catalog, sink, host: fake.host, batchSize: 1000 })
    for (let i = 0; i < 9; i++) t.track('blob.sent', { data: 'x'.repeat(1100) }) // ~11,000 characters
    await settle()
    fake.emit('hidden')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.batch.events).toHaveLength(9)
    calls[0]!.answer({ ok: true })
    for (let i = 0; i < 2; i++) t.track('blob.sent', { data: 'x'.repeat(1100) })
    await settle()
    expect(calls).toHaveLength(1) // waits for the timer, not sent almost alone
  })
})

describe('the drop count', () => {
  // The server sums it (events it dedups by id, counts it cannot): beaconed with every page-hide
  // send of a kept queue, one drop was reported three times.
  it('waits for the retry when a page-hide send keeps the queue, and is reported once', async () => {
    const fake = fakeHost({ idle: undefined })
    const { calls, sink } = gated()
    const t = createTelemetry({ catalog, sink, host: fake.host, capacity: 2 })
    for (let i = 0; i < 3; i++) t.track('item.viewed', view)
    void t.flush() // answered below
    await settle()
    calls[0]!.answer({ ok: false, retryable: true, status: 503 })
    await settle()
    fake.emit('hidden')
    fake.emit('pagehide')
    await vi.advanceTimersByTimeAsync(10_000)
    calls.at(-1)!.answer({ ok: true })
    await settle()
    expect(calls.map((c) => [c.ctx.unloading, c.batch.dropped])).toEqual([
      [false, 1],
      [true, 0],
      [true, 0],
      [false, 1],
    ])
  })
})

describe('a sink that consumes its batch', () => {
  // The counts were taken from the list after the sink had emptied it: `queued` stayed above 0
  // and shutdown() spun on microtasks until its deadline, freezing the page.
  it('leaves the counts right, and shutdown() returns without starving timers', async () => {
    vi.useRealTimers()
    const got: unknown[] = []
    const sink: Sink = { send: async (b) => void got.push(...b.events.splice(0)) }
    const t = createTelemetry({ catalog, sink, host: fakeHost().host })
    for (let i = 0; i < 5; i++) t.track('item.viewed', view)
    await t.flush()
    expect(t.stats()).toMatchObject({ sent: 5, queued: 0 })
    let ticked = false
    setTimeout(() => (ticked = true), 0)
    await t.shutdown(200)
    await new Promise((ok) => setTimeout(ok, 5))
    expect(ticked).toBe(true)
    expect(got).toHaveLength(5)
    expect(t.stats()).toMatchObject({ sent: 5, failed: 0, queued: 0 })
  })
})

describe('stats() while a sink runs', () => {
  it('adds up to what was tracked even inside the sink', async () => {
    const seen: number[] = []
    let t: ReturnType<typeof createTelemetry<typeof catalog>>
    const sink: Sink = { send: async () => void seen.push(total(t.stats())) }
    t = createTelemetry({ catalog, sink, host: fakeHost().host })
    for (let i = 0; i < 10; i++) t.track('item.viewed', view)
    await t.flush()
    expect(seen).toEqual([10])
  })
})

describe('a keepalive fetch that fails without an answer', () => {
  const refusing = (fetch: typeof globalThis.fetch): typeof globalThis.fetch => (url, init) =>
    init?.keepalive ? Promise.reject(new TypeError('Failed to fetch')) : fetch(url, init)
  const one = { events: [{ id: 'x', event: 'item.viewed', ts: 1, session_id: 's' }], sent_at: 1, dropped: 0, sdk: 't' }

  // A blocked CORS answer or a dropped connection fails the same way as the browser's quota, after
  // the server got the body: going again at once sent every failed attempt twice.
  it('is one attempt while the page lives, retried later', async () => {
    const { calls, fetch } = heldFetch()
    const r = await httpSink({ endpoint: ENDPOINT, fetch: refusing(fetch) }).send(one, { unloading: false })
    expect(r).toMatchObject({ ok: false, retryable: true })
    expect(calls).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(10_000) // the ledger's hold on the quota ends
  })

  // Leaving, a refused beacon has spent the quota (Chrome counts beacons and keepalive requests
  // it has not let go of): the page may still be alive to send a plain fetch.
  it('goes again at once as a plain fetch when the page is leaving', async () => {
    const { calls, fetch } = heldFetch()
    const sent = httpSink({ endpoint: ENDPOINT, fetch: refusing(fetch), sendBeacon: () => false }).send(one, { unloading: true })
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.init.keepalive).toBe(false)
    calls[0]!.answer(ok())
    expect(await sent).toEqual({ ok: true })
  })
})

describe('what the beacons could not take', () => {
  // One part after the other, a 5 s server held the last parts of a big queue past the client's
  // 30 s sink timeout: the whole batch was then put back and sent again beside the old loop.
  it('goes in parts all at once, and counts the parts before the first that failed', async () => {
    const { calls, fetch } = heldFetch()
    const big = (i: number) => ({ id: `e${i}`, event: 'blob.sent', ts: 1, session_id: 's', data: 'd'.repeat(30_000) })
    const sent = httpSink({ endpoint: ENDPOINT, fetch, sendBeacon: () => false }).send(
      { events: [big(0), big(1), big(2)], sent_at: 1, dropped: 0, sdk: 't' },
      { unloading: true },
    )
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toHaveLength(3) // none waits for another's answer
    calls[2]!.answer(ok())
    calls[1]!.answer(new Response(null, { status: 503 }))
    calls[0]!.answer(ok())
    expect(await sent).toEqual({ ok: false, status: 503, retryable: true, retryAfterMs: undefined, sent: 1 })
  })
})

describe('the last-chance beacons of a failing server', () => {
  // While the server answers 5xx, a page hide beacons the queue but keeps it for the retry: tab
  // switches during the backoff used up the events' retries, and they were given up early.
  it('use none of the events’ retries, and the sink is told how often the batch went before', async () => {
    const fake = fakeHost()
    const live: number[] = []
    const sink: Sink = {
      send: async (b, ctx) => (ctx.unloading ? { ok: true } : (live.push(ctx.attempt!), { ok: false, retryable: true, status: 503 })),
    }
    const t = createTelemetry({ catalog, sink, host: { ...fake.host, idle: undefined }, maxRetries: 2 })
    t.track('item.viewed', view)
    await t.flush() // 503: kept for a retry
    for (let i = 0; i < 3; i++) fake.emit('hidden')
    await vi.advanceTimersByTimeAsync(60_000) // the retries
    expect(live).toEqual([0, 1, 2]) // 1 + maxRetries live attempts, whatever the beacons
    expect(t.stats()).toMatchObject({ failed: 1, queued: 0 })
  })
})
