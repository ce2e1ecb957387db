import { describe, expect, it, vi } from 'vitest'
import { uuidv7 } from '../../src/core/uuid'
import { createTelemetry } from '../../src/core/client'
import { memorySink } from '../../src/sinks/memory'
import { catalog, fakeHost, view } from './fixtures'


const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const firstUnsorted = (ids: string[]) => ids.findIndex((id, i) => i > 0 && ids[i - 1]! >= id)
/** A generator with its own state, so times given here do not leak into other tests. */
const freshUuidv7 = async () => {
  vi.resetModules()
  return (await import('../../src/core/uuid')).uuidv7
}
const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16)

describe('uuidv7', () => {
  it('takes the clock instead of a time outside 48 bits, and later ids stay valid', async () => {
    const fresh = await freshUuidv7()
    for (const bad of [2 ** 48, -1, NaN, Infinity]) expect(fresh(bad)).toMatch(V7)
    const id = fresh()
    expect(id).toMatch(V7)
    expect(Math.abs(msOf(id) - Date.now())).toBeLessThan(1000)
  })

  it('is a version 7, variant 10 UUID', () => {
    for (let i = 0; i < 1000; i++) expect(uuidv7()).toMatch(V7)
  })

  it('carries the millisecond it was made at', async () => {
    const fresh = await freshUuidv7()
    for (const ms of [0, 1, 1_700_000_000_000, 2 ** 48 - 1]) expect(msOf(fresh(ms))).toBe(ms)
    const before = Date.now()
    const id = uuidv7()
    expect(msOf(id)).toBeGreaterThanOrEqual(before)
    expect(msOf(id)).toBeLessThanOrEqual(Date.now())
  })

  it('never repeats', () => {
    const ids = Array.from({ length: 100_000 }, () => uuidv7())
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('sorts in the order the ids were made, within one millisecond too', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7())
    expect(firstUnsorted(ids)).toBe(-1)
  })

  it('stays ordered when more ids are made in one millisecond than the counter holds', async () => {
    const fresh = await freshUuidv7()
    const ids = Array.from({ length: 10_000 }, () => fresh(1_700_000_000_000))
    expect(firstUnsorted(ids)).toBe(-1)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('makes ids without WebCrypto at all (some embedded engines)', async () => {
    vi.stubGlobal('crypto', undefined)
    try {
      const fresh = await freshUuidv7()
      const ids = Array.from({ length: 2000 }, () => fresh())
      for (const id of ids) expect(id).toMatch(V7)
      expect(new Set(ids).size).toBe(2000)
      expect(new Set(ids.map((id) => id.slice(-12))).size).toBeGreaterThan(1990)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('makes ids without randomUUID (insecure contexts)', () => {
    const c = globalThis.crypto
    vi.stubGlobal('crypto', { getRandomValues: (a: Uint8Array) => c.getRandomValues(a) })
    try {
      const ids = Array.from({ length: 1000 }, () => uuidv7())
      for (const id of ids) expect(id).toMatch(V7)
      expect(new Set(ids).size).toBe(1000)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('event ids', () => {
  it('are UUIDv7 made at track time, unique and in track order', async () => {
    const sink = memorySink()
    const t = createTelemetry({ catalog, sink, host: fakeHost().host, batchSize: 1000, capacity: 1000 })
    for (let i = 0; i < 500; i++) t.track('item.viewed', view)
    await t.flush()
    const events = sink.events()
    for (const e of events) {
      expect(e.id).toMatch(V7)
      expect(msOf(e.id)).toBe(e.ts)
    }
    const ids = events.map((e) => e.id)
    expect(new Set(ids).size).toBe(500)
    expect(firstUnsorted(ids)).toBe(-1)
  })
})
