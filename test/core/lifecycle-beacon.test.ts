// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry, type Telemetry } from '../../src/core/client'
import { browserHost } from '../../src/host/browser'
import { catalog, view, type TestCatalog } from './fixtures'
import { envelopes, fetchedIds, pagehide, pageshow, quotaBeacons, setVisibility, spyBeacons, spyFetch } from './dom'

const ENDPOINT = 'https://127.0.0.1/telemetry/events'
let t: Telemetry<TestCatalog> | undefined

beforeEach(() => {
  vi.useFakeTimers()
  setVisibility('visible')
})
afterEach(async () => {
  spyFetch() // whatever is left goes nowhere
  await t?.shutdown()
  vi.useRealTimers()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

/** A browser client whose queue never fills a batch on its own. */
const client = (over: { host?: ReturnType<typeof browserHost> } = {}) =>
  (t = createTelemetry({ catalog, endpoint: ENDPOINT, writeKey: 'pk_1', host: browserHost(), batchSize: 1000, capacity: 1000, ...over }))

/** Tracks n events of about 1 KB each and returns their ids in order. */
const trackKb = (c: Telemetry<TestCatalog>, n: number) => {
  const ids: string[] = []
  const off = c.subscribe((e) => ids.push(e.id))
  for (let i = 0; i < n; i++) c.track('blob.sent', { data: `${i} `.padEnd(1000, 'x') })
  off()
  return ids
}

describe('when the page goes away', () => {
  it('sends the queue with sendBeacon when the page becomes hidden', async () => {
    const beacons = spyBeacons()
    const c = client()
    c.track('item.viewed', view)
    c.track('item.viewed', view)
    setVisibility('hidden')
    expect(beacons).toHaveLength(1)
    expect(beacons[0]!.url).toBe(ENDPOINT)
    expect(beacons[0]!.blob.type).toMatch(/^text\/plain;charset=utf-8$/i)
    const [env] = await envelopes(beacons)
    expect(env!.events).toHaveLength(2)
    expect(env!.write_key).toBe('pk_1')
    expect(c.stats()).toMatchObject({ queued: 2, sent: 0 }) // until the sink answers
    await vi.advanceTimersByTimeAsync(0)
    expect(c.stats()).toMatchObject({ queued: 0, sent: 2 })
  })

  it('sends the queue with sendBeacon on pagehide', async () => {
    const beacons = spyBeacons()
    const c = client()
    c.track('item.viewed', view)
    pagehide()
    expect((await envelopes(beacons)).flatMap((e) => e.events)).toHaveLength(1)
  })

  it('splits a queue over 64 KB into beacons of at most 56 KB, every event once', async () => {
    const beacons = spyBeacons()
    const c = client()
    const ids = trackKb(c, 150)
    setVisibility('hidden')
    expect(beacons.length).toBeGreaterThan(2)
    for (const b of beacons) expect(b.blob.size).toBeLessThanOrEqual(56 * 1024)
    const sent = (await envelopes(beacons)).flatMap((e) => e.events.map((x) => x.id))
    expect(sent).toEqual(ids)
  })

  it('sends nothing twice when both hidden and pagehide fire', async () => {
    const beacons = spyBeacons()
    const c = client()
    c.track('item.viewed', view)
    c.track('item.viewed', view)
    setVisibility('hidden')
    pagehide()
    pagehide(true)
    expect(beacons).toHaveLength(1)
    expect((await envelopes(beacons))[0]!.events).toHaveLength(2)
  })

  it('sends nothing when the queue is empty', () => {
    const beacons = spyBeacons()
    client()
    setVisibility('hidden')
    pagehide()
    expect(beacons).toHaveLength(0)
  })

  it('falls back to fetch with keepalive when sendBeacon refuses, every event once', async () => {
    const beacons = spyBeacons(() => false)
    const requests = spyFetch()
    const c = client()
    const ids = trackKb(c, 80)
    setVisibility('hidden')
    await vi.advanceTimersByTimeAsync(0)
    expect(beacons.length).toBeGreaterThan(0)
    expect(requests.length).toBeGreaterThan(0)
    for (const r of requests) {
      expect(r.init).toMatchObject({ method: 'POST', keepalive: true })
      expect(new Headers(r.init.headers).get('content-type')).toMatch(/^text\/plain/i)
      expect(Buffer.byteLength(String(r.init.body))).toBeLessThanOrEqual(56 * 1024)
    }
    const sent = requests.flatMap((r) => (JSON.parse(String(r.init.body)) as { events: { id: string }[] }).events.map((e) => e.id))
    expect(sent).toEqual(ids)
  })

  it('sends every event once when sendBeacon takes only small bodies', async () => {
    const beacons = spyBeacons((blob) => blob.size < 20_000)
    const requests = spyFetch()
    const c = client()
    const ids = trackKb(c, 120)
    setVisibility('hidden')
    await vi.advanceTimersByTimeAsync(0)
    const sent = (await envelopes(beacons)).flatMap((e) => e.events.map((x) => x.id))
    expect(requests).toHaveLength(0)
    expect([...sent].sort()).toEqual([...ids].sort())
    expect(sent).toHaveLength(ids.length)
  })
})

describe('past the beacon quota', () => {
  it('sends what the quota leaves by a few fetches of <= 56 KB, every event once, and counts them when answered', async () => {
    const beacons = quotaBeacons()
    const requests = spyFetch()
    const c = client()
    const ids = trackKb(c, 150)
    setVisibility('hidden')
    // Halving stops at the first refused single event: a handful of beacons, not one per event.
    expect(beacons.length).toBeLessThan(12)
    await vi.advanceTimersByTimeAsync(0)
    expect(requests.length).toBeGreaterThan(0)
    expect(requests.length).toBeLessThanOrEqual(3)
    for (const r of requests) expect(Buffer.byteLength(String(r.init.body))).toBeLessThanOrEqual(56 * 1024)
    const beaconed = (await envelopes(beacons)).flatMap((e) => e.events.map((x) => x.id))
    expect([...beaconed, ...fetchedIds(requests)]).toEqual(ids)
    expect(c.stats()).toMatchObject({ sent: 150, queued: 0, failed: 0 })
  })

  it('puts back what the fetch after the beacons could not deliver while the page is only hidden', async () => {
    const beacons = quotaBeacons()
    let status = 503
    const requests = spyFetch(() => status)
    const c = client()
    const ids = trackKb(c, 100)
    setVisibility('hidden')
    await vi.advanceTimersByTimeAsync(0)
    const beaconed = (await envelopes(beacons)).flatMap((e) => e.events.map((x) => x.id))
    const rest = ids.slice(beaconed.length)
    expect(rest.length).toBeGreaterThan(0)
    expect(c.stats()).toMatchObject({ sent: beaconed.length, queued: rest.length, failed: 0 })
    status = 204
    setVisibility('visible')
    requests.length = 0
    await vi.advanceTimersByTimeAsync(7000)
    expect(fetchedIds(requests)).toEqual(rest)
    expect(c.stats()).toMatchObject({ sent: 100, queued: 0, failed: 0 })
  })
})

describe('hidden while a failed batch waits for its retry', () => {
  it('beacons the events but keeps them queued, and sends them once the server answers', async () => {
    const beacons = spyBeacons()
    let status = 503
    const requests = spyFetch(() => status)
    const c = client()
    c.track('item.viewed', { ...view, rank: 1 })
    c.track('item.viewed', { ...view, rank: 2 })
    await c.flush()
    expect(requests).toHaveLength(1)
    setVisibility('hidden') // a tab switch during the outage
    const [env] = await envelopes(beacons)
    expect(env!.events.map((e) => e.rank)).toEqual([1, 2]) // a last chance, if the page is closing
    expect(c.stats()).toMatchObject({ sent: 0, queued: 2, failed: 0 })
    status = 204
    setVisibility('visible')
    await vi.advanceTimersByTimeAsync(35_000) // the longest first backoff, then the 5 s timer
    expect(JSON.parse(String(requests.at(-1)!.init.body)).events.map((e: { rank: number }) => e.rank)).toEqual([1, 2])
    expect(c.stats()).toMatchObject({ sent: 2, queued: 0, failed: 0 })
  })
})

describe('the back/forward cache', () => {
  it('keeps working after pagehide (persisted) and pageshow', async () => {
    const beacons = spyBeacons()
    const requests = spyFetch()
    const c = client()
    c.track('item.viewed', { ...view, rank: 1 })
    pagehide(true)
    pageshow(true)
    c.track('item.viewed', { ...view, rank: 2 })
    await vi.advanceTimersByTimeAsync(6000) // the 5 s timer, then the idle fallback
    expect(requests).toHaveLength(1)
    c.track('item.viewed', { ...view, rank: 3 })
    setVisibility('hidden')
    const ranks = (await envelopes(beacons)).map((e) => e.events.map((x) => x.rank))
    expect(ranks).toEqual([[1], [3]])
    expect(JSON.parse(String(requests[0]!.init.body)).events.map((e: { rank: number }) => e.rank)).toEqual([2])
  })

  it('sends again each time the page is hidden', async () => {
    const beacons = spyBeacons()
    const c = client()
    for (let i = 0; i < 3; i++) {
      setVisibility('visible')
      c.track('item.viewed', { ...view, rank: i })
      setVisibility('hidden')
    }
    expect((await envelopes(beacons)).map((e) => e.events.map((x) => x.rank))).toEqual([[0], [1], [2]])
  })
})

describe('the default host', () => {
  it('is the browser host when there is a document', async () => {
    const beacons = spyBeacons()
    t = createTelemetry({ catalog, endpoint: ENDPOINT })
    t.track('item.viewed', view)
    setVisibility('hidden')
    expect(beacons).toHaveLength(1)
  })
})
