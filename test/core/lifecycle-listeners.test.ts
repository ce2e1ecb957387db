// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { browserHost } from '../../src/host/browser'
import { memorySink } from '../../src/sinks/memory'
import { catalog, view } from './fixtures'
import { pagehide, pageshow, setVisibility, spyBeacons, spyFetch } from './dom'

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

/** Every addEventListener / removeEventListener call on window and document. */
const spyListeners = () => {
  const added: { target: string; type: string }[] = []
  const removed: { target: string; type: string }[] = []
  for (const [target, name] of [[window, 'window'], [document, 'document']] as const) {
    const add = target.addEventListener.bind(target)
    const remove = target.removeEventListener.bind(target)
    vi.spyOn(target, 'addEventListener').mockImplementation((type: string, ...rest: [EventListenerOrEventListenerObject, unknown?]) => {
      added.push({ target: name, type })
      add(type, ...(rest as [EventListenerOrEventListenerObject]))
    })
    vi.spyOn(target, 'removeEventListener').mockImplementation((type: string, ...rest: [EventListenerOrEventListenerObject, unknown?]) => {
      removed.push({ target: name, type })
      remove(type, ...(rest as [EventListenerOrEventListenerObject]))
    })
  }
  return { added, removed }
}

describe('page lifecycle listeners', () => {
  it('never registers unload or beforeunload, through a whole page life', async () => {
    spyBeacons()
    const { added } = spyListeners()
    const t = createTelemetry({ catalog, sink: memorySink(), host: browserHost() })
    t.track('item.viewed', view)
    setVisibility('hidden')
    pagehide(true)
    pageshow(true)
    setVisibility('visible')
    t.track('item.viewed', view)
    await t.shutdown()
    expect(added.length).toBeGreaterThan(0)
    expect(added.map((a) => a.type)).not.toContain('unload')
    expect(added.map((a) => a.type)).not.toContain('beforeunload')
  })

  it('listens for visibilitychange on document and pagehide on window, from the first queued event', () => {
    const { added } = spyListeners()
    const t = createTelemetry({ catalog, sink: memorySink(), host: browserHost() })
    expect(added).toEqual([]) // a client that never tracks (React StrictMode drops one) adds nothing
    t.track('item.viewed', view)
    expect(added).toContainEqual({ target: 'document', type: 'visibilitychange' })
    expect(added).toContainEqual({ target: 'window', type: 'pagehide' })
    expect(added).not.toContainEqual({ target: 'document', type: 'pagehide' })
    void t.shutdown()
  })

  it('registers nothing until a client subscribes, and removes what it added on shutdown', async () => {
    const { added, removed } = spyListeners()
    const host = browserHost()
    expect(added).toEqual([])
    const t = createTelemetry({ catalog, sink: memorySink(), host })
    t.track('item.viewed', view)
    const mine = [...added]
    expect(mine.length).toBeGreaterThan(0)
    await t.shutdown()
    expect(removed).toEqual(expect.arrayContaining(mine))
  })

  it('registers nothing for a disabled client', () => {
    const { added } = spyListeners()
    createTelemetry({ catalog, sink: memorySink(), host: browserHost(), enabled: false })
    expect(added).toEqual([])
  })

  it('ignores visibilitychange back to visible', () => {
    const beacons = spyBeacons()
    spyFetch()
    const t = createTelemetry({ catalog, endpoint: 'https://127.0.0.1/e', host: browserHost() })
    t.track('item.viewed', view)
    setVisibility('visible')
    expect(beacons).toHaveLength(0)
    expect(t.stats().queued).toBe(1)
    void t.shutdown()
  })
})
