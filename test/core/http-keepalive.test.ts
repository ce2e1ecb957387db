import { afterEach, describe, expect, it, vi } from 'vitest'
import { httpSink } from '../../src/sinks/http'
import { settle } from './fixtures'
import { heldFetch, live, ok, ENDPOINT, weighing } from './held-fetch'

afterEach(() => void vi.useRealTimers())

describe('the keepalive ledger', () => {
  it('sends with keepalive while the page lives', async () => {
    const { calls, fetch } = heldFetch()
    const sent = httpSink({ endpoint: ENDPOINT, fetch }).send(weighing(1), live)
    await settle()
    expect(calls[0]!.init).toMatchObject({ method: 'POST', keepalive: true })
    calls[0]!.answer(ok())
    expect(await sent).toEqual({ ok: true })
  })

  it('sends a plain fetch when the body would push keepalive bytes in flight past 60 KB, across sinks', async () => {
    const { calls, fetch } = heldFetch()
    const a = httpSink({ endpoint: ENDPOINT, fetch, timeoutMs: 60_000 })
    const b = httpSink({ endpoint: ENDPOINT, fetch, timeoutMs: 60_000 })
    const first = a.send(weighing(40), live)
    await settle()
    const second = b.send(weighing(25), live)
    await settle()
    const third = b.send(weighing(15), live)
    await settle()
    expect(calls.map((c) => c.init.keepalive)).toEqual([true, false, true])
    expect(calls[0]!.bytes + calls[2]!.bytes).toBeLessThanOrEqual(60_000)
    for (const c of calls) c.answer(ok())
    await Promise.all([first, second, third])
  })

  // Chrome counts a keepalive request against its quota until its answer's body has ended, and
  // refuses the next keepalive request past 64 KiB.
  it('keeps the bytes until the answer body has ended', async () => {
    const { calls, fetch } = heldFetch()
    const sink = httpSink({ endpoint: ENDPOINT, fetch, timeoutMs: 60_000 })
    let end!: () => void
    const body = new ReadableStream({ start: (c) => void (end = () => c.close()) })
    let answered = false
    const first = sink.send(weighing(40), live).then((r) => ((answered = true), r))
    await settle()
    calls[0]!.answer(new Response(body, { status: 200 }))
    await settle()
    const second = sink.send(weighing(25), live)
    await settle()
    expect(answered).toBe(false)
    end()
    expect(await first).toEqual({ ok: true })
    const third = sink.send(weighing(25), live)
    await settle()
    expect(calls.map((c) => c.init.keepalive)).toEqual([true, false, true])
    calls[1]!.answer(ok())
    calls[2]!.answer(ok())
    await Promise.all([second, third])
  })

  // Chrome counts beacons against the same quota, and the sink never learns when they end.
  it('holds the bytes of a page-hide beacon for 10 s', async () => {
    vi.useFakeTimers()
    const { calls, fetch } = heldFetch()
    const sink = httpSink({ endpoint: ENDPOINT, fetch, sendBeacon: () => true })
    await sink.send(weighing(50), { unloading: true })
    const soon = sink.send(weighing(20), live)
    await settle()
    await vi.advanceTimersByTimeAsync(10_000)
    const later = sink.send(weighing(20), live)
    await settle()
    expect(calls.map((c) => c.init.keepalive)).toEqual([false, true])
    calls[1]!.answer(ok())
    await Promise.all([soon, later])
  })

  // Chrome refuses a keepalive request past a quota that other scripts' beacons (or ours, answered
  // after more than 10 s) also spend: every retry was keepalive again, and refused again.
  it('sends plain fetches for 10 s after a keepalive request failed without an answer', async () => {
    vi.useFakeTimers()
    const { calls, fetch } = heldFetch()
    const quota = (url: RequestInfo | URL, init?: RequestInit) => (init?.keepalive ? Promise.reject(new TypeError('Failed to fetch')) : fetch(url, init))
    const sink = httpSink({ endpoint: ENDPOINT, fetch: quota as typeof globalThis.fetch })
    expect(await sink.send(weighing(1), live)).toMatchObject({ ok: false, retryable: true })
    const retry = sink.send(weighing(1), live)
    await settle()
    calls[0]!.answer(ok())
    expect(await retry).toEqual({ ok: true })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(await sink.send(weighing(1), live)).toMatchObject({ ok: false }) // keepalive again
    expect(calls.map((c) => c.init.keepalive)).toEqual([false])
    await vi.advanceTimersByTimeAsync(10_000)
  })

  it('does not wait past the timeout for an answer body that never ends', async () => {
    vi.useFakeTimers()
    const endless = (async () => new Response(new ReadableStream(), { status: 200 })) as typeof globalThis.fetch // ignores the signal
    const sent = httpSink({ endpoint: ENDPOINT, fetch: endless }).send(weighing(1), live)
    await vi.advanceTimersByTimeAsync(200)
    expect(await sent).toEqual({ ok: true })
    // Leaving, there is no timeout: the body is not waited for at all.
    expect(await httpSink({ endpoint: ENDPOINT, fetch: endless, sendBeacon: () => false }).send(weighing(1), { unloading: true })).toEqual({ ok: true })
  })

  it('frees the bytes when a request ends, whether it succeeded, failed or timed out', async () => {
    vi.useFakeTimers()
    const { calls, fetch } = heldFetch()
    const sink = httpSink({ endpoint: ENDPOINT, fetch })
    const a = sink.send(weighing(50), live)
    await settle()
    calls[0]!.answer(new Response(null, { status: 500 }))
    await a
    const b = sink.send(weighing(50), live)
    await settle()
    await vi.advanceTimersByTimeAsync(200)
    expect(await b).toMatchObject({ ok: false, error: 'timeout' })
    const c = sink.send(weighing(50), live)
    await settle()
    expect(calls.map((x) => x.init.keepalive)).toEqual([true, true, true])
    calls[2]!.answer(ok())
    await c
  })
})
