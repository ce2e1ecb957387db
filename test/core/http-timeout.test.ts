import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { httpSink } from '../../src/sinks/http'
import { createTelemetry } from '../../src/core/client'
import { catalog, fakeHost, view } from './fixtures'
import { heldFetch, live, ok, ENDPOINT, weighing } from './held-fetch'

beforeEach(() => void vi.useFakeTimers())
afterEach(() => void vi.useRealTimers())

describe('the request timeout', () => {
  it('aborts a request after 200 ms by default and calls it retryable', async () => {
    const { calls, fetch } = heldFetch()
    const sent = httpSink({ endpoint: ENDPOINT, fetch }).send(weighing(1), live)
    await vi.advanceTimersByTimeAsync(199)
    expect(calls[0]!.init.signal!.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls[0]!.init.signal!.aborted).toBe(true)
    expect(await sent).toEqual({ ok: false, retryable: true, error: 'timeout' })
  })

  it('aborts the request when the context signal aborts: shutdown() stopped waiting', async () => {
    const { calls, fetch } = heldFetch()
    const stop = new AbortController()
    const sent = httpSink({ endpoint: ENDPOINT, fetch, timeoutMs: 10_000 }).send(weighing(1), { unloading: false, signal: stop.signal })
    await vi.advanceTimersByTimeAsync(10)
    expect(calls[0]!.init.signal!.aborted).toBe(false)
    stop.abort()
    expect(calls[0]!.init.signal!.aborted).toBe(true)
    expect(await sent).toMatchObject({ ok: false, retryable: true })
    expect(vi.getTimerCount()).toBe(0) // nor does its timeout timer keep a process alive
  })

  it('honours a custom timeout', async () => {
    const { calls, fetch } = heldFetch()
    const sent = httpSink({ endpoint: ENDPOINT, fetch, timeoutMs: 1000 }).send(weighing(1), live)
    await vi.advanceTimersByTimeAsync(999)
    expect(calls[0]!.init.signal!.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await sent).toMatchObject({ ok: false, error: 'timeout' })
  })

  // When a retry is aborted like the first try, a server that answers in 300 ms gets the batch
  // once per attempt and `stats()` never says sent.
  it('waits five times as long on each retry of a batch, up to 10 s', async () => {
    const { calls, fetch } = heldFetch()
    const sink = httpSink({ endpoint: ENDPOINT, fetch })
    const abortedAfter = async (attempt: number) => {
      const n = calls.length
      const sent = sink.send(weighing(1), { unloading: false, attempt })
      let ms = 0
      while (!calls[n]!.init.signal!.aborted) await vi.advanceTimersByTimeAsync(100), (ms += 100)
      await sent
      return ms
    }
    expect(await abortedAfter(0)).toBe(200)
    expect(await abortedAfter(1)).toBe(1000)
    expect(await abortedAfter(2)).toBe(5000)
    expect(await abortedAfter(3)).toBe(10_000)
    expect(await abortedAfter(100)).toBe(10_000)
  })

  it('never waits less than a custom timeout longer than 10 s', async () => {
    const { calls, fetch } = heldFetch()
    void httpSink({ endpoint: ENDPOINT, fetch, timeoutMs: 20_000 }).send(weighing(1), { unloading: false, attempt: 4 })
    await vi.advanceTimersByTimeAsync(19_999)
    expect(calls[0]!.init.signal!.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls[0]!.init.signal!.aborted).toBe(true)
  })

  it('gets a batch to a server that answers in 900 ms on the first retry, and counts it sent', async () => {
    const { calls, fetch } = heldFetch()
    const t = createTelemetry({ catalog, host: { ...fakeHost().host, idle: undefined }, sink: httpSink({ endpoint: ENDPOINT, fetch }) })
    t.track('item.viewed', view)
    void t.flush()
    // Every request is answered 900 ms after it was made, if it is still waiting then.
    for (let ms = 0; ms < 10_000 && !t.stats().sent; ms += 50) {
      await vi.advanceTimersByTimeAsync(50)
      calls.forEach((c, i) => ((c as { at?: number }).at ??= ms))
      calls.forEach((c) => (c as { at?: number }).at! <= ms - 900 && c.answer(ok()))
    }
    expect(calls).toHaveLength(2)
    expect(calls[0]!.init.signal!.aborted).toBe(true)
    expect(t.stats()).toMatchObject({ sent: 1, retried: 1, failed: 0, queued: 0 })
  })
})
