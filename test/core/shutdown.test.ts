import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { memorySink } from '../../src/sinks/memory'
import { catalog, deferred, fakeHost, view } from './fixtures'
import type { SendContext, SendResult } from '../../src/sinks/types'

beforeEach(() => void vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const setup = () => {
  const fake = fakeHost()
  const send = vi.fn(async () => ({ ok: true }) as const)
  const sink = memorySink()
  const t = createTelemetry({ catalog, sink: { send: (b, c) => (send(), sink.send(b, c)) }, host: fake.host })
  return { t, sink, send, fake }
}

describe('shutdown()', () => {
  it('sends what is queued before it resolves', async () => {
    const { t, sink } = setup()
    t.track('item.viewed', view)
    t.track('item.viewed', view)
    await t.shutdown()
    expect(sink.events()).toHaveLength(2)
    expect(t.stats()).toMatchObject({ sent: 2, queued: 0 })
  })

  it('is idempotent: one flush, the same promise', async () => {
    const { t, send } = setup()
    t.track('item.viewed', view)
    const a = t.shutdown()
    const b = t.shutdown()
    expect(b).toBe(a)
    await Promise.all([a, b, t.shutdown()])
    expect(send).toHaveBeenCalledOnce()
  })

  it('stops the timer and the lifecycle listener, and refuses later events, counting them', async () => {
    const { t, send, fake } = setup()
    await t.shutdown()
    expect(fake.listeners()).toBe(0)
    t.track('item.viewed', view)
    t.track('item.rated', { item_id: 'i', rating: 5 })
    await vi.advanceTimersByTimeAsync(60_000)
    fake.runIdle()
    await t.flush()
    expect(send).not.toHaveBeenCalled()
    expect(t.stats()).toMatchObject({ queued: 0, rejected: 2 }) // every call stays accounted for
  })

  it('says why it refuses an event after shutdown, in development', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const t = createTelemetry({ catalog, sink: memorySink(), host: fakeHost().host, debug: true })
    await t.shutdown()
    t.track('item.viewed', view)
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('item.viewed not tracked: client shut down'))
  })

  it('leaves enabled: false a silent no-op', async () => {
    const t = createTelemetry({ catalog, sink: memorySink(), host: fakeHost().host, enabled: false })
    await t.shutdown()
    t.track('item.viewed', view)
    expect(t.stats()).toMatchObject({ queued: 0, rejected: 0, sent: 0 })
  })

  it('does not wait out a retry backoff', async () => {
    let n = 0
    const sink = memorySink(() => (++n == 1 ? { ok: false, retryable: true, retryAfterMs: 3_600_000 } : { ok: true }))
    const t = createTelemetry({ catalog, sink, host: fakeHost().host })
    t.track('item.viewed', view)
    await t.flush()
    expect(sink.events()).toHaveLength(0)
    await t.shutdown()
    expect(sink.events()).toHaveLength(1)
  })

  it('waits first as a Retry-After received before it asked, when that fits the deadline', async () => {
    let n = 0
    const at: number[] = []
    const start = Date.now()
    const sink = memorySink(() => (at.push(Date.now() - start), ++n == 1 ? { ok: false, retryable: true, retryAfterMs: 2000 } : { ok: true }))
    const t = createTelemetry({ catalog, sink, host: fakeHost().host })
    t.track('item.viewed', view)
    await t.flush() // 429, Retry-After: 2
    const done = t.shutdown()
    await vi.advanceTimersByTimeAsync(1999)
    expect(at).toHaveLength(1) // not hammered at once
    await vi.advanceTimersByTimeAsync(1)
    await done
    expect(at).toEqual([0, 2000])
    expect(t.stats()).toMatchObject({ sent: 1, failed: 0 })
  })

  it('retries a retryable failure within its deadline, waiting as asked', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0) // no jitter: the wait is Retry-After's
    let n = 0
    const sink = memorySink(() => (++n == 1 ? { ok: false, retryable: true, retryAfterMs: 1000 } : { ok: true }))
    const t = createTelemetry({ catalog, sink, host: fakeHost().host })
    t.track('item.viewed', view)
    let done = false
    void t.shutdown().then(() => (done = true))
    await vi.advanceTimersByTimeAsync(999)
    expect(sink.events()).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(done).toBe(true)
    expect(sink.events()).toHaveLength(1)
    expect(t.stats()).toMatchObject({ sent: 1, retried: 1, failed: 0, queued: 0 })
  })

  it('counts what it could not send by the deadline as failed, not queued', async () => {
    const sink = memorySink(() => ({ ok: false, retryable: true, retryAfterMs: 60_000 }))
    const t = createTelemetry({ catalog, sink, host: fakeHost().host })
    t.track('item.viewed', view)
    t.track('item.viewed', view)
    const done = t.shutdown(2000)
    await vi.advanceTimersByTimeAsync(0)
    await done
    expect(t.stats()).toMatchObject({ sent: 0, failed: 2, queued: 0 })
  })

  it('is not held past its deadline by a sink that never answers', async () => {
    const t = createTelemetry({ catalog, sink: { send: () => new Promise(() => {}) }, host: fakeHost().host })
    t.track('item.viewed', view)
    let done = false
    void t.shutdown(1000).then(() => (done = true))
    await vi.advanceTimersByTimeAsync(999)
    expect(done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(done).toBe(true)
  })

  // SIGTERM while the 5 s timer's flush is sending: the queue is empty, the batch is in flight.
  it('waits for a batch already in flight, and counts it sent when it gets through', async () => {
    const gate = deferred<SendResult>()
    const t = createTelemetry({ catalog, sink: { send: () => gate.promise }, host: fakeHost().host })
    t.track('item.rated', { item_id: 'i', rating: 5 }) // priority: sent at once
    await vi.advanceTimersByTimeAsync(0)
    let done = false
    void t.shutdown(5000).then(() => (done = true))
    await vi.advanceTimersByTimeAsync(50)
    expect(done).toBe(false)
    gate.resolve({ ok: true })
    await vi.advanceTimersByTimeAsync(0)
    expect(done).toBe(true)
    expect(t.stats()).toMatchObject({ sent: 1, failed: 0, queued: 0 })
  })

  it('retries a batch in flight that fails, within its deadline', async () => {
    const gate = deferred<SendResult>()
    let n = 0
    const sink = memorySink(() => ({ ok: true }))
    const t = createTelemetry({ catalog, sink: { send: (b, c) => (++n == 1 ? gate.promise : sink.send(b, c)) }, host: fakeHost().host })
    t.track('item.rated', { item_id: 'i', rating: 5 })
    await vi.advanceTimersByTimeAsync(0)
    const done = t.shutdown(5000)
    gate.resolve({ ok: false, retryable: true })
    await vi.advanceTimersByTimeAsync(5000)
    await done
    expect(sink.events()).toHaveLength(1)
    expect(t.stats()).toMatchObject({ sent: 1, failed: 0, queued: 0, retried: 1 })
  })

  it('aborts the send still in flight at its deadline, through the context signal', async () => {
    const seen: SendContext[] = []
    const t = createTelemetry({ catalog, sink: { send: (_b, c) => (seen.push(c), new Promise(() => {})) }, host: fakeHost().host })
    t.track('item.rated', { item_id: 'i', rating: 5 })
    await vi.advanceTimersByTimeAsync(0)
    expect(seen[0]!.signal!.aborted).toBe(false)
    const done = t.shutdown(1000)
    await vi.advanceTimersByTimeAsync(1000)
    await done
    expect(seen[0]!.signal!.aborted).toBe(true)
    expect(t.stats()).toMatchObject({ sent: 0, failed: 1, queued: 0 })
    expect(vi.getTimerCount()).toBe(0) // the 30 s watchdog of that send is gone too
  })

  it('takes a deadline past the longest timer (Infinity) as waiting, not as giving up', async () => {
    const gate = deferred<SendResult>()
    const t = createTelemetry({ catalog, sink: { send: () => gate.promise }, host: fakeHost().host })
    t.track('item.viewed', view)
    let done = false
    void t.shutdown(Infinity).then(() => (done = true))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(done).toBe(false)
    gate.resolve({ ok: true })
    await vi.advanceTimersByTimeAsync(0)
    expect(done).toBe(true)
    expect(t.stats()).toMatchObject({ sent: 1, failed: 0 })
  })
})
