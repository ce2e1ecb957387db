import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { httpSink } from '../../src/sinks/http'
import { heldFetch, live, ENDPOINT, weighing } from './held-fetch'

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

  it('honours a custom timeout', async () => {
    const { calls, fetch } = heldFetch()
    const sent = httpSink({ endpoint: ENDPOINT, fetch, timeoutMs: 1000 }).send(weighing(1), live)
    await vi.advanceTimersByTimeAsync(999)
    expect(calls[0]!.init.signal!.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await sent).toMatchObject({ ok: false, error: 'timeout' })
  })
})
