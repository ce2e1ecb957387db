import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { memorySink } from '../../src/sinks/memory'
import type { SendResult, Sink } from '../../src/sinks/types'
import { catalog, deferred, fakeHost, settle, view } from './fixtures'

let warn: MockInstance<typeof console.warn>
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => vi.restoreAllMocks())

const numbered = (i: number) => ({ ...view, rank: i })

describe('a full queue', () => {
  it('holds 200 events by default and drops the oldest', async () => {
    const sink = memorySink()
    const t = createTelemetry({ catalog, sink, host: fakeHost().host, batchSize: 1000 })
    for (let i = 0; i < 250; i++) t.track('item.viewed', numbered(i))
    expect(t.stats()).toMatchObject({ queued: 200, dropped: 50 })
    await t.flush()
    expect(sink.events().map((e) => e.rank)).toEqual(Array.from({ length: 200 }, (_, i) => 50 + i))
  })

  it('reports a burst of drops once to onDrop, then in the next envelope only', async () => {
    const onDrop = vi.fn()
    const sink = memorySink()
    const t = createTelemetry({ catalog, sink, host: fakeHost().host, capacity: 3, onDrop })
    for (let i = 0; i < 8; i++) t.track('item.viewed', numbered(i))
    expect(t.stats().dropped).toBe(5)
    await settle()
    expect(onDrop.mock.calls).toEqual([[5]])
    await t.flush()
    t.track('item.viewed', numbered(9))
    await t.flush()
    expect(sink.batches.map((b) => b.dropped)).toEqual([5, 0])
    expect(sink.events().map((e) => e.rank)).toEqual([5, 6, 7, 9])
  })

  it('keeps reporting when onDrop throws, without an uncaught error', async () => {
    const seen: number[] = []
    const onDrop = (n: number) => {
      seen.push(n)
      throw new Error('app bug')
    }
    const t = createTelemetry({ catalog, sink: memorySink(), host: fakeHost().host, capacity: 1, onDrop })
    t.track('item.viewed', view)
    t.track('item.viewed', view)
    await settle()
    t.track('item.viewed', view)
    t.track('item.viewed', view)
    await settle()
    expect(seen).toEqual([1, 2])
  })

  it('reports each new burst again', async () => {
    const onDrop = vi.fn()
    const t = createTelemetry({ catalog, sink: memorySink(), host: fakeHost().host, capacity: 2, onDrop })
    for (let i = 0; i < 4; i++) t.track('item.viewed', numbered(i))
    await settle()
    t.track('item.viewed', numbered(4))
    await settle()
    expect(onDrop.mock.calls).toEqual([[2], [1]])
  })

  it('warns about drops in development without flooding the console', async () => {
    const t = createTelemetry({ catalog, sink: memorySink(), host: fakeHost().host, capacity: 2 })
    for (let i = 0; i < 100; i++) t.track('item.viewed', numbered(i))
    await settle()
    expect(warn).toHaveBeenCalledOnce()
    expect(String(warn.mock.calls[0]![0])).toMatch(/98/)
  })

  it('drops the oldest of a failed batch that no longer fits, and counts them', async () => {
    const gate = deferred<SendResult>()
    const seen: number[][] = []
    const sink: Sink = {
      async send(batch) {
        seen.push(batch.events.map((e) => e.rank as number))
        return seen.length == 1 ? gate.promise : { ok: true }
      },
    }
    const onDrop = vi.fn()
    const t = createTelemetry({ catalog, sink, host: fakeHost().host, capacity: 3, onDrop, maxRetries: 1 })
    vi.spyOn(Math, 'random').mockReturnValue(0)
    for (let i = 0; i < 3; i++) t.track('item.viewed', numbered(i))
    const first = t.flush()
    await settle()
    for (let i = 3; i < 5; i++) t.track('item.viewed', numbered(i))
    gate.resolve({ ok: false, retryable: true })
    await first
    await t.flush()
    expect(seen).toEqual([[0, 1, 2], [2, 3, 4]])
    expect(t.stats()).toMatchObject({ dropped: 2, sent: 3 })
    expect(onDrop).toHaveBeenCalledWith(2)
  })

  it('carries the drop count to the next batch when the batch that reported it is refused', async () => {
    let n = 0
    const sink = memorySink(() => (++n == 1 ? { ok: false, retryable: false, status: 400 } : { ok: true }))
    const t = createTelemetry({ catalog, sink, host: fakeHost().host, capacity: 2 })
    for (let i = 0; i < 5; i++) t.track('item.viewed', numbered(i))
    await t.flush()
    t.track('item.viewed', numbered(5))
    await t.flush()
    expect(sink.batches.map((b) => b.dropped)).toEqual([3])
  })
})
