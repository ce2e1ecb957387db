import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { memorySink } from '../../src/sinks/memory'
import type { Envelope, SendResult } from '../../src/sinks/types'
import { catalog, fakeHost, view } from './fixtures'

beforeEach(() => {
  vi.useFakeTimers()
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

/** A client whose sink answers from a script, one result per attempt, and records when each attempt came. */
const scripted = (answers: SendResult[], maxRetries?: number) => {
  const attempts: { at: number; batch: Envelope }[] = []
  const sink = memorySink((batch) => {
    attempts.push({ at: Date.now(), batch })
    return answers.shift() ?? { ok: true }
  })
  const t = createTelemetry({ catalog, sink, host: { ...fakeHost().host, idle: undefined }, maxRetries })
  return { t, sink, attempts }
}
const down: SendResult = { ok: false, retryable: true, error: 'network' }

describe('retries', () => {
  it('give up waiting on a sink that never answers after 30 s, and send again', async () => {
    const calls: Envelope[] = []
    const sink = { send: (b: Envelope) => (calls.push(b), calls.length == 1 ? new Promise<never>(() => {}) : Promise.resolve({ ok: true as const })) }
    const t = createTelemetry({ catalog, sink, host: { ...fakeHost().host, idle: undefined } })
    t.track('item.viewed', view)
    let flushed = false
    void t.flush().then(() => (flushed = true))
    await vi.advanceTimersByTimeAsync(29_999)
    expect(flushed).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(t.stats()).toMatchObject({ retried: 0, sent: 0, queued: 1 }) // put back, not yet sent again
    await vi.advanceTimersByTimeAsync(60_000) // past the backoff
    expect(flushed).toBe(true)
    expect(calls.map((b) => b.events[0]!.id)).toEqual([calls[0]!.events[0]!.id, calls[0]!.events[0]!.id])
    expect(t.stats()).toMatchObject({ sent: 1, retried: 1, queued: 0 })
  })

  // The allowance was the client's, not the events': an event that joined a failing batch late
  // was given up with it, after fewer retries, and a page-hide send that cut batches afresh let
  // others go more often than 1 + maxRetries.
  it('sends each event at most 1 + maxRetries times, and gives each its full allowance', async () => {
    const { t, attempts } = scripted([down, down, down, down, down, down], 2)
    t.track('item.viewed', view)
    t.track('item.viewed', view)
    await t.flush() // first: fails
    t.track('item.rated', { item_id: 'late', rating: 5 })
    await vi.advanceTimersByTimeAsync(120_000)
    const sends = new Map<string, number>()
    for (const a of attempts) for (const e of a.batch.events) sends.set(e.id, (sends.get(e.id) ?? 0) + 1)
    expect([...sends.values()]).toEqual([3, 3, 3]) // the late one too: not given up with the others
    expect(t.stats()).toMatchObject({ sent: 0, failed: 3, retried: 6, queued: 0 })
  })

  it('sends a failed batch again, with the same event ids, and counts it once as sent', async () => {
    const { t, sink, attempts } = scripted([down, { ok: false, retryable: true, status: 503 }])
    t.track('item.viewed', view)
    t.track('item.viewed', view)
    await t.flush()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(attempts).toHaveLength(3)
    const ids = attempts.map((a) => a.batch.events.map((e) => e.id))
    expect(ids[1]).toEqual(ids[0])
    expect(ids[2]).toEqual(ids[0])
    expect(sink.events()).toHaveLength(2)
    expect(t.stats()).toMatchObject({ sent: 2, retried: 4, failed: 0, queued: 0 })
  })

  it('backs off exponentially between attempts', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    const { t, attempts } = scripted([down, down, down, down])
    t.track('item.viewed', view)
    await t.flush()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(attempts).toHaveLength(5)
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at)
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]! * 1.9)
    expect(gaps[0]).toBeGreaterThan(0)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30_000 + 5_000)
  })

  it('spreads retries with jitter', async () => {
    const random = vi.spyOn(Math, 'random')
    const gapFor = async (r: number) => {
      random.mockReturnValue(r)
      const { t, attempts } = scripted([down])
      t.track('item.viewed', view)
      await t.flush()
      await vi.advanceTimersByTimeAsync(60_000)
      return attempts[1]!.at - attempts[0]!.at
    }
    expect(await gapFor(0.2)).toBeLessThan(await gapFor(0.9))
  })

  it('waits at least what Retry-After asks', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { t, attempts } = scripted([{ ok: false, retryable: true, status: 429, retryAfterMs: 7000 }])
    t.track('item.viewed', view)
    await t.flush()
    await vi.advanceTimersByTimeAsync(6999)
    await t.flush() // an explicit flush does not jump the wait either
    t.track('item.rated', { item_id: 'i', rating: 2 }) // nor does a priority event
    await vi.advanceTimersByTimeAsync(0)
    expect(attempts).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(5000)
    expect(attempts).toHaveLength(2)
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(7000)
    expect(t.stats()).toMatchObject({ sent: 2, queued: 0 })
  })

  it('gives up after maxRetries and counts the batch as failed', async () => {
    const { t, sink, attempts } = scripted(Array(10).fill(down), 3)
    t.track('item.viewed', view)
    t.track('item.viewed', view)
    await t.flush()
    await vi.advanceTimersByTimeAsync(600_000)
    expect(attempts).toHaveLength(4)
    expect(sink.events()).toHaveLength(0)
    expect(t.stats()).toMatchObject({ sent: 0, failed: 2, retried: 6, queued: 0 })
  })

  it('retries 5 times by default', async () => {
    const { t, attempts } = scripted(Array(10).fill(down))
    t.track('item.viewed', view)
    await t.flush()
    await vi.advanceTimersByTimeAsync(600_000)
    expect(attempts).toHaveLength(6)
    expect(t.stats().failed).toBe(1)
  })

  it('drops a batch the server refuses and never retries it', async () => {
    const { t, attempts } = scripted([{ ok: false, retryable: false, status: 400 }])
    t.track('item.viewed', view)
    await t.flush()
    await vi.advanceTimersByTimeAsync(600_000)
    expect(attempts).toHaveLength(1)
    expect(t.stats()).toMatchObject({ failed: 1, retried: 0, sent: 0, queued: 0 })
  })

  it('keeps sending later batches after one was refused', async () => {
    const { t, sink } = scripted([{ ok: false, retryable: false, status: 400 }])
    t.track('item.viewed', view)
    await t.flush()
    t.track('item.viewed', { ...view, rank: 1 })
    await t.flush()
    expect(sink.events().map((e) => e.rank)).toEqual([1])
  })

  it('counts a batch as sent when a custom sink resolves with nothing', async () => {
    const seen: Envelope[] = []
    const t = createTelemetry({ catalog, sink: { send: async (b: Envelope) => void seen.push(b) }, host: fakeHost().host })
    t.track('item.viewed', view)
    await t.flush()
    expect(seen).toHaveLength(1)
    expect(t.stats()).toMatchObject({ sent: 1, failed: 0, queued: 0 })
  })

  it('retries a batch whose sink throws synchronously', async () => {
    let calls = 0
    const sink = {
      send: () => {
        if (++calls == 1) throw new Error('sync boom')
        return Promise.resolve({ ok: true } as const)
      },
    }
    const t = createTelemetry({ catalog, sink, host: { ...fakeHost().host, idle: undefined } })
    t.track('item.viewed', view)
    await t.flush()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toBe(2)
    expect(t.stats()).toMatchObject({ sent: 1, retried: 1, failed: 0 })
  })
})
