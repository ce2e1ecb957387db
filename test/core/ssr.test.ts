import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

// Plain Node, as during server-side rendering: no DOM globals. Each browser global is a trap
// that records who reads it, so the entry points can prove they read none at import time.
const SRC = fileURLToPath(new URL('../../src/', import.meta.url))
const GLOBALS = ['window', 'self', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'addEventListener', 'requestIdleCallback']
const touched: { name: string; stack: string }[] = []
const saved = new Map<string, PropertyDescriptor | undefined>()

beforeAll(() => {
  for (const name of GLOBALS) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name))
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push({ name, stack: new Error().stack ?? '' })
        return undefined
      },
    })
  }
})
afterAll(() => {
  for (const [name, d] of saved) {
    if (d) Object.defineProperty(globalThis, name, d)
    else delete (globalThis as Record<string, unknown>)[name]
  }
})

/** Reads of browser globals made by the project's own code. */
const ours = () => touched.filter((t) => t.stack.split('\n').slice(2).some((line) => line.includes(SRC))).map((t) => t.name)

describe('in plain Node', () => {
  it('imports every entry point without touching window, document, navigator or storage', async () => {
    vi.resetModules()
    touched.length = 0
    const entries = await Promise.all([import('../../src/index'), import('../../src/react/index'), import('../../src/vanilla/index')])
    for (const m of entries) expect(Object.keys(m).length).toBeGreaterThan(0)
    expect(ours()).toEqual([])
  })

  it('creates a client, tracks, flushes and shuts down', async () => {
    const { createTelemetry, memorySink, promptCatalog } = await import('../../src/index')
    const sink = memorySink()
    touched.length = 0
    const t = createTelemetry({ catalog: promptCatalog, sink })
    // The traps work: the default host looks for a document when a client is made, not before.
    expect(ours()).toContain('document')
    t.track('prompt_copied', { prompt_id: 'p-1', variant: 'body', source: 'card' })
    t.track('vault.search_performed', { result_count: 3, query_len: 12 }, { userId: 'u-1', sessionId: 'req-1' })
    t.identify('u-2')
    t.track('psr.submitted', { prompt_id: 'p-1', rating: 5, source: 'copy' })
    await t.flush()
    await t.shutdown()
    expect(sink.events().map((e) => e.event)).toEqual(['prompt_copied', 'vault.search_performed', 'psr.submitted'])
    expect(sink.events()[1]).toMatchObject({ user_id: 'u-1', session_id: 'req-1' })
    expect(t.stats()).toMatchObject({ sent: 3, queued: 0, rejected: 0 })
  })

  it('builds a client with the HTTP sink without sending anything until asked', async () => {
    const { createTelemetry, promptCatalog } = await import('../../src/index')
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    try {
      const t = createTelemetry({ catalog: promptCatalog, endpoint: 'http://127.0.0.1:9/telemetry/events' })
      t.track('auth.logout')
      expect(fetch).not.toHaveBeenCalled()
      expect(t.stats().queued).toBe(1)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
