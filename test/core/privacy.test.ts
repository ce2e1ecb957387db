import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { memorySink } from '../../src/sinks/memory'
import type { Host, KeyValue } from '../../src/host/types'
import type { Envelope, SendResult, Sink } from '../../src/sinks/types'
import { catalog, deferred, fakeHost, settle, view } from './fixtures'

beforeEach(() => void vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const client = (host: Host, more: { respectPrivacySignals?: boolean; enabled?: boolean } = {}) => {
  const sink = memorySink()
  return { sink, t: createTelemetry({ catalog, sink, host, ...more }) }
}

describe('opting out', () => {
  it('clears the queue, sends nothing more, and says so', async () => {
    const { t, sink } = client(fakeHost().host)
    t.track('item.viewed', view)
    t.optOut()
    expect(t.optedOut).toBe(true)
    expect(t.stats()).toMatchObject({ queued: 0, dropped: 1 }) // every tracked event stays accounted for
    t.track('item.rated', { item_id: 'i', rating: 5 })
    await t.flush()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sink.batches).toEqual([])
  })

  it('is remembered across visits until optIn()', async () => {
    const { host } = fakeHost()
    client(host).t.optOut()
    const next = client(host)
    expect(next.t.optedOut).toBe(true)
    next.t.optIn()
    next.t.track('item.viewed', view)
    await next.t.flush()
    expect(next.sink.events()).toHaveLength(1)
    expect(client(host).t.optedOut).toBe(false)
  })

  it('keeps a batch that was in flight and failed from coming back', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const gate = deferred<SendResult>()
    const sent: Envelope[] = []
    const sink: Sink = {
      send: async (batch) => (sent.push(batch), sent.length == 1 ? gate.promise : { ok: true }),
    }
    const t = createTelemetry({ catalog, sink, host: { ...fakeHost().host, idle: undefined } })
    t.track('item.viewed', view)
    const flushing = t.flush()
    await settle()
    t.optOut()
    gate.resolve({ ok: false, retryable: true })
    await flushing
    expect(t.stats()).toMatchObject({ queued: 0, retried: 0, failed: 1 }) // given up on, and still accounted for
    t.optIn()
    t.track('item.viewed', { ...view, rank: 1 })
    await t.flush()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(sent.slice(1).flatMap((b) => b.events.map((e) => e.rank))).toEqual([1])
  })

  it('leaves nothing identifying in storage, and puts it back on optIn()', () => {
    const { host } = fakeHost()
    const { t } = client(host)
    t.identify('u-42')
    const { sessionId } = t.context()
    t.optOut()
    t.identify('u-43') // an app that identifies on every login, opted out or not
    t.reset()
    expect(host.storage!.get('pt:uid')).toBeNull()
    expect(host.session!.get('pt:sid')).toBeNull()
    expect(host.storage!.get('pt:optout')).toBe('1')
    const next = client(host).t
    expect(next.context().userId).toBeUndefined()
    expect(next.context().sessionId).not.toBe(sessionId)
    t.optIn()
    expect(client(host).t.context()).toMatchObject({ userId: undefined, sessionId: t.context().sessionId })
    t.identify('u-44')
    expect(client(host).t.context().userId).toBe('u-44')
  })

  it('keeps the identified user for when the user opts back in', () => {
    const { host } = fakeHost()
    const { t } = client(host)
    t.optOut()
    t.identify('u-42')
    expect(host.storage!.get('pt:uid')).toBeNull()
    t.optIn()
    expect(client(host).t.context().userId).toBe('u-42')
  })

  it('stops the page-hide send as well', () => {
    const fake = fakeHost()
    const { t, sink } = client(fake.host)
    t.track('item.viewed', view)
    t.optOut()
    fake.emit('hidden')
    expect(sink.batches).toEqual([])
  })
})

describe('privacy signals', () => {
  const signalling = () => fakeHost({ privacySignal: () => true })

  it('opt the user out by default (Global Privacy Control, Do Not Track)', async () => {
    const { t, sink } = client(signalling().host)
    expect(t.optedOut).toBe(true)
    t.track('item.viewed', view)
    await t.flush()
    expect(sink.batches).toEqual([])
  })

  it('are ignored with respectPrivacySignals: false', async () => {
    const { t, sink } = client(signalling().host, { respectPrivacySignals: false })
    t.track('item.viewed', view)
    await t.flush()
    expect(sink.events()).toHaveLength(1)
  })

  // A Web Worker has no document, so it gets the basic host; its navigator still carries GPC.
  it('are read from the navigator where there is no document, as in a worker', () => {
    expect(typeof document).toBe('undefined')
    vi.stubGlobal('navigator', { globalPrivacyControl: true })
    try {
      expect(createTelemetry({ catalog, sink: memorySink() }).optedOut).toBe(true)
      vi.stubGlobal('navigator', { globalPrivacyControl: false })
      expect(createTelemetry({ catalog, sink: memorySink() }).optedOut).toBe(false)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('write no session id for a user they opted out', () => {
    const { host } = signalling()
    expect(client(host).t.optedOut).toBe(true)
    expect(host.session!.get('pt:sid')).toBeNull()
  })

  it('do not break the client when a custom check throws: it collects, and says why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const host = fakeHost({
      privacySignal: () => {
        throw new Error('navigator is not defined')
      },
    }).host
    const { t, sink } = client(host)
    expect(t.optedOut).toBe(false)
    t.track('item.viewed', view)
    await t.flush()
    expect(sink.events()).toHaveLength(1)
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('privacySignal threw: Error: navigator is not defined'))
  })

  it('give way to an explicit optIn(), remembered', () => {
    const { host } = signalling()
    client(host).t.optIn()
    expect(client(host).t.optedOut).toBe(false)
  })
})

describe('enabled: false', () => {
  it('makes every method a no-op: no send, no timer, no listener, no storage', async () => {
    const writes: string[] = []
    const spy = (name: string): KeyValue => ({ get: () => null, set: (k) => void writes.push(`${name}.set ${k}`), remove: (k) => void writes.push(`${name}.remove ${k}`) })
    const privacySignal = vi.fn(() => true)
    const fake = fakeHost({ storage: spy('storage'), session: spy('session'), privacySignal })
    const setTimeout = vi.spyOn(fake.host, 'setTimeout')
    const { t, sink } = client(fake.host, { enabled: false })
    t.track('item.viewed', view)
    t.track('item.rated', { item_id: 'i', rating: 5 })
    t.identify('u-1')
    t.reset()
    t.optOut()
    t.optIn()
    fake.emit('hidden')
    await t.flush()
    await t.shutdown()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sink.batches).toEqual([])
    expect(t.stats()).toEqual({ queued: 0, sent: 0, dropped: 0, failed: 0, retried: 0, rejected: 0 })
    expect(setTimeout).not.toHaveBeenCalled()
    expect(fake.listeners()).toBe(0)
    expect(writes).toEqual([])
    expect(privacySignal).not.toHaveBeenCalled() // not even navigator is read
  })
})
