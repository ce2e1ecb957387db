import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import type { Envelope, SendResult, Sink } from '../../src/sinks/types'
import { memorySink } from '../../src/sinks/memory'
import { catalog, deferred, fakeHost, settle, view } from './fixtures'

beforeEach(() => void vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const setup = (over: { batchSize?: number; flushInterval?: number } = {}) => {
  const fake = fakeHost()
  const sink = memorySink()
  const t = createTelemetry({ catalog, sink, host: fake.host, ...over })
  return { t, sink, fake }
}

describe('scheduling', () => {
  it('waits for the 5 s timer, then for the idle callback, then sends', async () => {
    const { t, sink, fake } = setup()
    t.track('item.viewed', view)
    await vi.advanceTimersByTimeAsync(4999)
    expect(fake.idles).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.idles).toHaveLength(1)
    expect(sink.batches).toHaveLength(0)
    fake.runIdle()
    await settle()
    expect(sink.events().map((e) => e.event)).toEqual(['item.viewed'])
    expect(t.stats()).toMatchObject({ sent: 1, queued: 0 })
  })

  it('asks the idle callback to run within a second', async () => {
    const idle = vi.fn((_fn: () => void, _timeout: number) => () => {})
    const t = createTelemetry({ catalog, sink: memorySink(), host: { ...fakeHost().host, idle } })
    t.track('item.viewed', view)
    await vi.advanceTimersByTimeAsync(5000)
    expect(idle).toHaveBeenCalledOnce()
    expect(idle.mock.calls[0]![1]).toBeGreaterThan(0)
    expect(idle.mock.calls[0]![1]).toBeLessThanOrEqual(1000)
  })

  it('sends on the timer alone when the host has no idle callback', async () => {
    const sink = memorySink()
    const t = createTelemetry({ catalog, sink, host: { ...fakeHost().host, idle: undefined } })
    t.track('item.viewed', view)
    await vi.advanceTimersByTimeAsync(5000)
    expect(sink.events()).toHaveLength(1)
    expect(t.stats().sent).toBe(1)
  })

  it('honours a custom flush interval', async () => {
    const { t, sink, fake } = setup({ flushInterval: 1000 })
    t.track('item.viewed', view)
    await vi.advanceTimersByTimeAsync(1000)
    fake.runIdle()
    await settle()
    expect(sink.events()).toHaveLength(1)
  })

  it('does not restart the timer for each new event', async () => {
    const { t, fake } = setup()
    t.track('item.viewed', view)
    await vi.advanceTimersByTimeAsync(3000)
    t.track('item.viewed', view)
    await vi.advanceTimersByTimeAsync(2000)
    expect(fake.idles).toHaveLength(1)
  })

  it('sends a priority event at once, with what was queued before it', async () => {
    const { t, sink } = setup()
    t.track('item.viewed', view)
    t.track('item.rated', { item_id: 'i-1', rating: 5 })
    expect(sink.batches).toHaveLength(0) // never inside track()
    await settle()
    expect(sink.batches).toHaveLength(1)
    expect(sink.events().map((e) => e.event)).toEqual(['item.viewed', 'item.rated'])
  })

  it('sends as soon as a batch is full', async () => {
    const { t, sink } = setup({ batchSize: 10 })
    for (let i = 0; i < 9; i++) t.track('item.viewed', view)
    await settle()
    expect(sink.batches).toHaveLength(0)
    t.track('item.viewed', view)
    await settle()
    expect(sink.batches.map((b) => b.events.length)).toEqual([10])
  })

  // A queue past 64 KB when the page goes away no longer fits the browser's beacon quota.
  it('sends as soon as 12,000 characters are queued, whatever the count, in requests of at most 24 KB', async () => {
    const { t, sink } = setup({ batchSize: 1000 })
    let n = 0
    while (!sink.batches.length && n < 100) t.track('blob.sent', { data: 'x'.repeat(1000) }), n++, await settle()
    expect(n).toBeGreaterThan(8) // ~1.15 K characters each
    expect(n).toBeLessThan(13)
    expect(sink.batches.flatMap((b) => b.events)).toHaveLength(n)
    await t.flush() // the flush that started ends
    // Counted afresh from that flush on.
    const before = sink.batches.length
    for (let i = 0; i < n - 2; i++) t.track('blob.sent', { data: 'x'.repeat(1000) })
    await settle()
    expect(sink.batches).toHaveLength(before)
  })

  it('sends at most 24 KB of UTF-8 per request while the page lives, whatever the script', async () => {
    const { t, sink } = setup({ batchSize: 1000 })
    for (let i = 0; i < 30; i++) t.track('blob.sent', { data: (i % 2 ? '名' : '😀').repeat(600) })
    await t.flush()
    const sizes = sink.batches.map((b) => Buffer.byteLength(JSON.stringify(b.events)))
    expect(sink.batches.flatMap((b) => b.events)).toHaveLength(30)
    for (const size of sizes) expect(size).toBeLessThanOrEqual(24_000 + 2500) // the event that crossed the line is the next request's
    expect(Math.max(...sizes)).toBeLessThanOrEqual(24_000)
  })

  it('counts a batch being sent as queued until it is answered', async () => {
    const gate = deferred<SendResult>()
    const t = createTelemetry({ catalog, host: fakeHost().host, sink: { send: () => gate.promise } })
    t.track('item.viewed', view)
    t.track('item.rated', { item_id: 'i', rating: 1 })
    await settle()
    expect(t.stats()).toMatchObject({ queued: 2, sent: 0 })
    gate.resolve({ ok: true })
    await settle()
    expect(t.stats()).toMatchObject({ queued: 0, sent: 2 })
  })

  it('sends at most 50 events per batch', async () => {
    const { t, sink } = setup()
    for (let i = 0; i < 120; i++) t.track('item.viewed', view)
    await t.flush()
    expect(sink.batches.map((b) => b.events.length)).toEqual([50, 50, 20])
  })

  it('never runs two sends at once, and events tracked meanwhile join the next batch', async () => {
    let active = 0
    let most = 0
    const gates: ReturnType<typeof deferred<SendResult>>[] = []
    const batches: Envelope[] = []
    const sink: Sink = {
      async send(batch) {
        most = Math.max(most, ++active)
        batches.push(batch)
        const g = deferred<SendResult>()
        gates.push(g)
        const r = await g.promise
        active--
        return r
      },
    }
    const t = createTelemetry({ catalog, sink, host: fakeHost().host, batchSize: 2 })
    t.track('item.viewed', view)
    t.track('item.viewed', view)
    await settle()
    const flushes = [t.flush(), t.flush()]
    t.track('item.rated', { item_id: 'i', rating: 1 })
    t.track('item.viewed', view)
    await settle()
    expect(gates).toHaveLength(1)
    gates[0]!.resolve({ ok: true })
    await settle()
    expect(gates).toHaveLength(2)
    gates[1]!.resolve({ ok: true })
    await Promise.all(flushes)
    expect(most).toBe(1)
    expect(batches.map((b) => b.events.length)).toEqual([2, 2])
    expect(t.stats()).toMatchObject({ sent: 4, queued: 0 })
  })

  it('resolves flush() and never rejects, even when the sink throws', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const t = createTelemetry({
      catalog,
      host: fakeHost().host,
      maxRetries: 0,
      sink: {
        send() {
          throw new Error('sink bug')
        },
      },
    })
    t.track('item.viewed', view)
    await expect(t.flush()).resolves.toBeUndefined()
    expect(t.stats()).toMatchObject({ failed: 1, queued: 0 })
  })
})
