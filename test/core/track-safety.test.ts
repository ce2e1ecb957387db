import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { memorySink } from '../../src/sinks/memory'
import { catalog, fakeHost, view, type AnyTrack } from './fixtures'

afterEach(() => vi.restoreAllMocks())

const setup = () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  const sink = memorySink()
  const t = createTelemetry({ catalog, sink, host: fakeHost().host })
  return { t, sink, track: t.track as AnyTrack }
}

describe('subscribers', () => {
  it('cannot change what is sent: the queued event and its lists are frozen', async () => {
    const { t, sink, track } = setup()
    t.subscribe((e) => {
      try {
        e.body = 'the prompt, bob@example.com'
      } catch {}
      try {
        ;(e.topics as string[]).push('bob@example.com')
      } catch {}
    })
    track('item.viewed', { ...view, topics: ['a'] })
    await t.flush()
    expect(sink.events()[0]).not.toHaveProperty('body')
    expect(sink.events()[0]!.topics).toEqual(['a'])
  })

  it('cannot hang the page with a subscriber that tracks an event for every event it sees', () => {
    const { t } = setup()
    let calls = 0
    t.subscribe(() => (calls++, t.track('app.opened')))
    t.track('app.opened')
    expect(calls).toBe(1000) // then it stops being shown more: the events are still queued and sent
    expect(t.stats().queued).toBe(200) // the queue's capacity, the oldest dropped
  })

  it('see an event a subscriber tracks after the event that caused it, as the wire does', async () => {
    const { t, sink } = setup()
    t.subscribe((e) => e.event == 'item.viewed' && t.track('item.rated', { item_id: 'i', rating: 5 })) // as the PSR does after a copy
    const seen: string[][] = [[], []]
    t.subscribe((e) => seen[0]!.push(e.event))
    t.subscribe((e) => seen[1]!.push(e.event))
    t.track('item.viewed', view)
    t.track('app.opened')
    await t.flush()
    const wire = sink.events().map((e) => e.event)
    expect(wire).toEqual(['item.viewed', 'item.rated', 'app.opened'])
    expect(seen).toEqual([wire, wire])
  })
})

describe('numeric options out of range', () => {
  it('fall back to the default or the nearest bound, so flushing and queueing still work', async () => {
    for (const bad of [0, -1, NaN, 1.5, Infinity]) {
      const sink = memorySink()
      const t = createTelemetry({ catalog, sink, host: fakeHost().host, batchSize: bad, capacity: bad, maxRetries: bad, flushInterval: bad })
      for (let i = 0; i < 60; i++) t.track('item.viewed', view)
      await t.flush()
      expect(sink.batches.length, `with ${bad}`).toBeGreaterThan(0)
      expect(sink.events()).toHaveLength(bad == 1.5 ? 1 : 60) // a capacity of 1.5 holds 1
      expect(t.stats().queued).toBe(0)
      await t.shutdown()
    }
  })

  it('say so in development', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    createTelemetry({ catalog, sink: memorySink(), host: fakeHost().host, batchSize: 0 })
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/batchSize: 0 is not an integer from 1 to 100000; using 50/)
  })
})

const throwing = () => {
  throw new Error('boom')
}
const cyclic = () => {
  const o: Record<string, unknown> = { ...view }
  o.self = o
  return o
}

const GARBAGE_NAMES: unknown[] = [
  undefined,
  null,
  42,
  NaN,
  {},
  [],
  Symbol('x'),
  Object.create(null),
  { toString: throwing },
  { [Symbol.toPrimitive]: throwing },
  'x'.repeat(1_000_000),
  'constructor',
  '__proto__',
  'toString',
]

const GARBAGE_ATTRS: unknown[] = [
  null,
  42,
  'a string',
  [1, 2],
  () => 1,
  Object.create(null),
  cyclic(),
  { ...view, topics: (() => { const a: unknown[] = []; a.push(a); return a })() },
  Object.defineProperty({ ...view }, 'rank', { get: throwing, enumerable: true }),
  Object.defineProperty({ ...view }, 'unknown_key', { get: throwing, enumerable: true }),
  Object.defineProperty({ ...view }, 'rank', {
    get() {
      throw Object.create(null) // a thrown value that cannot be printed
    },
    enumerable: true,
  }),
  new Proxy({}, { ownKeys: throwing }),
  new Proxy({}, { get: throwing, has: throwing, getOwnPropertyDescriptor: throwing }),
  { ...view, note: 'n'.repeat(5_000_000) },
  { ...view, label: 'l'.repeat(5_000_000) },
  { ...view, item_id: 'i'.repeat(5_000_000) },
  { ...view, ['k'.repeat(1_000_000)]: 1 },
  { ...view, rank: 10n },
  { ...view, place: Symbol('card') },
  JSON.parse('{"item_id":"i","place":"card","__proto__":{"rank":-1}}'),
]

describe('track() never throws', () => {
  it.each(GARBAGE_NAMES.map((n, i) => [i, n]))('with the garbage event name #%i', (_, name) => {
    const { t, track } = setup()
    expect(track(name, view)).toBeUndefined()
    expect(t.stats()).toMatchObject({ rejected: 1, queued: 0 })
  })

  it.each(GARBAGE_ATTRS.map((a, i) => [i, a]))('with the garbage attributes #%i', (_, attrs) => {
    const { t, track } = setup()
    expect(() => track('item.viewed', attrs)).not.toThrow()
    const s = t.stats()
    expect(s.rejected + s.queued).toBe(1)
  })

  it('with options whose getters throw', () => {
    const { t, track } = setup()
    expect(() => track('item.viewed', view, Object.defineProperty({}, 'userId', { get: throwing }))).not.toThrow()
    expect(t.stats().rejected + t.stats().queued).toBe(1)
  })

  it('when a subscriber throws, and the event still goes out', async () => {
    const { t, sink, track } = setup()
    t.subscribe(throwing)
    const seen: string[] = []
    t.subscribe((e) => seen.push(e.event))
    expect(() => track('item.viewed', view)).not.toThrow()
    await t.flush()
    expect(seen).toEqual(['item.viewed'])
    expect(sink.events()).toHaveLength(1)
    expect(t.stats()).toMatchObject({ sent: 1, rejected: 0 })
  })

  it('keeps working for valid events after garbage', async () => {
    const { t, sink, track } = setup()
    for (const n of GARBAGE_NAMES) track(n, view)
    for (const a of GARBAGE_ATTRS) track('item.viewed', a)
    track('item.viewed', view)
    await t.flush()
    expect(sink.events().at(-1)).toMatchObject({ event: 'item.viewed', ...view })
  })
})
