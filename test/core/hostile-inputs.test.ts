import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { memorySink } from '../../src/sinks/memory'
import { httpSink } from '../../src/sinks/http'
import { uuidv7 } from '../../src/core/uuid'
import { looksSensitive, redact } from '../../src/core/guardrails'
import { validateBatch } from '../../src/core/validate'
import type { Envelope, SendResult, Sink } from '../../src/sinks/types'
import type { Host } from '../../src/host/types'
import { catalog, fakeHost, view, type AnyTrack } from './fixtures'

// What a careful outsider fed the client, and what it must do with it.
beforeEach(() => void vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const quiet = () => vi.spyOn(console, 'warn').mockImplementation(() => {})
const noIdle = (over: Partial<Host> = {}): Host => ({ ...fakeHost().host, idle: undefined, ...over })

describe('lists read once', () => {
  it('sends what the checks saw, whatever a getter answers on a later read', async () => {
    quiet()
    const sink = memorySink()
    const t = createTelemetry({ catalog, sink, host: noIdle() })
    let reads = 0
    const topics = ['ok']
    Object.defineProperty(topics, 0, { enumerable: true, get: () => (++reads < 2 ? 'ok' : 'leak: jo@example.com') })
    t.track('item.viewed', { ...view, topics })
    const sneaky = ['jo@example.com']
    ;(sneaky as { [Symbol.iterator]: unknown })[Symbol.iterator] = function* () {
      yield 'ok'
    }
    t.track('item.viewed', { ...view, topics: sneaky })
    await t.flush()
    expect(JSON.stringify(sink.batches)).not.toContain('example.com')
    expect(sink.events().map((e) => e.topics)).toEqual([['ok']])
    expect(t.stats().rejected).toBe(1)
    expect(reads).toBe(1)
  })

  it('has validateBatch answer for every index, holes too', () => {
    const ok = { id: uuidv7(), event: 'app.opened', ts: 1, session_id: 's' }
    // eslint-disable-next-line no-sparse-arrays
    const r = validateBatch(catalog, { events: [, ok] })
    expect(r.events).toHaveLength(1)
    expect(r.rejected).toEqual([{ index: 0, reason: 'event must be an object' }])
  })
})

describe('ids', () => {
  it('cannot be spoiled by one far-future time: later ids carry the clock again', () => {
    uuidv7(2 ** 48 - 1)
    const now = Date.now()
    const ids = Array.from({ length: 5000 }, () => uuidv7())
    const ms = parseInt(ids.at(-1)!.replace('-', '').slice(0, 12), 16)
    expect(Math.abs(ms - now)).toBeLessThan(1000)
    expect(new Set(ids).size).toBe(5000)
  })
})

describe('sinks that misbehave', () => {
  it('retries a batch whose sink rejected with a value that cannot be printed', async () => {
    let calls = 0
    const sink: Sink = {
      send: async () => {
        if (calls++ == 0) throw Object.create(null)
        return { ok: true }
      },
    }
    const t = createTelemetry({ catalog, sink, host: noIdle() })
    t.track('item.viewed', view)
    await t.flush()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(t.stats()).toMatchObject({ sent: 1, retried: 1, failed: 0, queued: 0 })
  })

  it.each([-5, 3e9, '2', 2.7, NaN])('never counts a negative or impossible sent (%s)', async (sent) => {
    quiet()
    const t = createTelemetry({ catalog, sink: { send: async () => ({ ok: false, retryable: false, sent }) as unknown as SendResult }, host: noIdle() })
    for (let i = 0; i < 3; i++) t.track('item.viewed', { ...view, rank: i })
    await t.flush()
    const s = t.stats()
    expect(s.sent).toBeGreaterThanOrEqual(0)
    expect(s.sent).toBeLessThanOrEqual(3)
    expect(s.sent + s.failed).toBe(3)
  })

  it.each([NaN, Infinity, -1])('backs off with a sane delay whatever retryAfterMs says (%s)', async (retryAfterMs) => {
    quiet()
    const at: number[] = []
    const start = Date.now()
    const sink: Sink = { send: async () => (at.push(Date.now() - start), { ok: false, retryable: true, retryAfterMs }) }
    const host = noIdle()
    const armed = vi.spyOn(host, 'setTimeout')
    const t = createTelemetry({ catalog, sink, host, maxRetries: 1 })
    t.track('item.viewed', view)
    await t.flush()
    await vi.advanceTimersByTimeAsync(1000)
    expect(armed.mock.calls.length).toBeLessThan(10) // no timer spinning every millisecond
    await vi.advanceTimersByTimeAsync(36e5)
    expect(at).toHaveLength(2)
    expect(at[1]).toBeLessThanOrEqual(36e5 + 5000)
    expect(retryAfterMs === Infinity || at[1]! <= 5000).toBe(true) // NaN or negative is no wait asked
  })

  it('sends at once after the clock steps back, rather than wait for it to catch up', async () => {
    quiet()
    let calls = 0
    const sink: Sink = { send: async () => (calls++ ? { ok: true } : { ok: false, retryable: true }) }
    const t = createTelemetry({ catalog, sink, host: noIdle() })
    t.track('item.viewed', view)
    await t.flush()
    vi.setSystemTime(Date.now() - 30 * 864e5)
    await t.flush()
    expect(t.stats()).toMatchObject({ sent: 1, queued: 0 })
  })

  it('sends later what a refused page-hide send put back, when the page was only hidden', async () => {
    const fake = fakeHost()
    const unloading: boolean[] = []
    const sink: Sink = { send: async (_b, c) => (unloading.push(c.unloading), c.unloading ? { ok: false, retryable: true } : { ok: true }) }
    const t = createTelemetry({ catalog, sink, host: { ...fake.host, idle: undefined }, flushInterval: 100 })
    t.track('item.viewed', view)
    fake.emit('hidden')
    await vi.advanceTimersByTimeAsync(2100) // the first backoff is at most 2 s
    expect(unloading).toEqual([true, false])
    expect(t.stats()).toMatchObject({ sent: 1, queued: 0, retried: 1 })
  })

  it('keeps tracking and flushing when the host cannot listen for page hide', async () => {
    const sink = memorySink()
    const onLifecycle = () => {
      throw new TypeError('document.addEventListener is not a function')
    }
    const t = createTelemetry({ catalog, sink, host: noIdle({ onLifecycle }) })
    const seen: string[] = []
    t.subscribe((e) => seen.push(e.event))
    t.track('item.rated', { item_id: 'i', rating: 5 }) // priority: flushed at once
    await vi.advanceTimersByTimeAsync(0)
    expect(seen).toEqual(['item.rated'])
    expect(t.stats()).toMatchObject({ rejected: 0, sent: 1 })
  })
})

describe('counting', () => {
  it('counts as failed a batch still unanswered when shutdown stops waiting, and ignores a late answer', async () => {
    quiet()
    let answer!: (r: SendResult) => void
    const sink: Sink = { send: () => new Promise<SendResult>((r) => (answer = r)) }
    const t = createTelemetry({ catalog, sink, host: noIdle() })
    for (let i = 0; i < 5; i++) t.track('item.viewed', { ...view, rank: i })
    const done = t.shutdown(100)
    await vi.advanceTimersByTimeAsync(100)
    await done
    expect(t.stats()).toMatchObject({ queued: 0, sent: 0, failed: 5 })
    answer({ ok: true })
    await vi.advanceTimersByTimeAsync(0)
    expect(t.stats()).toMatchObject({ sent: 0, failed: 5 })
  })

  it('counts as retried only what is sent again', async () => {
    quiet()
    const sink: Sink = { send: async () => ({ ok: false, retryable: true }) }
    const t = createTelemetry({ catalog, sink, host: noIdle(), capacity: 3 })
    const gate = t.flush()
    for (let i = 0; i < 3; i++) t.track('item.viewed', { ...view, rank: i })
    await gate
    await t.flush() // fails: put back
    for (let i = 3; i < 6; i++) t.track('item.viewed', { ...view, rank: i }) // push the put-back ones out
    expect(t.stats()).toMatchObject({ dropped: 3, retried: 0 })
  })

  it('keeps a rejected event named like an internal warning from silencing it', async () => {
    const warn = quiet()
    const named = (createTelemetry as unknown as (o: object) => { track: AnyTrack; flush(): Promise<void> })({
      catalog: { ...catalog, events: { ...catalog.events, fail: { attrs: {} } } },
      sink: { send: async () => ({ ok: false, retryable: false, status: 400 }) },
      host: noIdle(),
    })
    named.track('fail', { body: 'x' })
    named.track('fail', {})
    await named.flush()
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('fail not tracked'), expect.stringContaining('1 events failed: 400')])
  })
})

describe('what looks like a secret', () => {
  it.each(['jose@exemple.рф', 'https://app.example/cb?access_token=a1b2c3d4e5f6', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', 'sk-ant-api03-AbCdEfGhIjKlMnOpQrSt'])('catches %s', (s) => {
    expect(looksSensitive(s)).toBe(true)
    expect(redact(`see ${s} here`)).not.toContain(s)
  })

  it.each(['pk-customer-onboarding-flow', 'sk-sketch-to-code-generator', 'rk_release-notes-writer', 'a basic understanding of it'])('leaves the slug or prose %s alone', (s) => {
    expect(looksSensitive(s)).toBe(false)
  })
})

describe('Retry-After', () => {
  it.each([
    ['0x10', undefined],
    ['1e3', undefined],
    ['1.5', undefined],
    ['7', 7000],
  ])('reads only delta-seconds or an HTTP date: %s', async (value, ms) => {
    const fetch = async () => new Response(null, { status: 503, headers: { 'retry-after': value } })
    const env: Envelope = { events: [], sent_at: 0, dropped: 0, sdk: 'x' }
    const r = await httpSink({ endpoint: 'http://127.0.0.1:9/e', fetch }).send(env, { unloading: false })
    expect(r.ok ? undefined : r.retryAfterMs).toBe(ms)
  })
})
