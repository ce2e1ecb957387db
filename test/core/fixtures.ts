import { attr, defineCatalog } from '../../src/core/catalog'
import { memoryStore, type Host, type LifecycleState } from '../../src/host/types'

/** A small catalog with one attribute of every kind. */
export const catalog = defineCatalog({
  'item.viewed': {
    attrs: {
      item_id: attr.id(),
      place: attr.enum(['card', 'detail']),
      rank: attr.int({ optional: true }),
      score: attr.number({ optional: true }),
      pinned: attr.bool({ optional: true }),
      label: attr.string({ maxLength: 16, optional: true }),
      note: attr.text({ optional: true }),
      query_hash: attr.hash({ optional: true }),
      topics: attr.list({ optional: true }),
    },
  },
  'item.rated': { priority: true, attrs: { item_id: attr.id(), rating: attr.int({ min: 1, max: 5 }) } },
  'app.opened': {},
  'blob.sent': { attrs: { data: attr.text({ maxLength: 8000 }) } },
})

export type TestCatalog = typeof catalog

/** A loosely typed track, for feeding the client what its types forbid. */
export type AnyTrack = (name: unknown, attrs?: unknown, options?: unknown) => void

/** A host with timers from the global clock (fake under vi.useFakeTimers), memory storage, and hand-driven idle and lifecycle. */
export function fakeHost(over: Partial<Host> = {}) {
  const idles: (() => void)[] = []
  const lifecycle = new Set<(s: LifecycleState) => void>()
  const host: Host = {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    idle(fn) {
      idles.push(fn)
      return () => idles.splice(idles.indexOf(fn) >>> 0, 1)
    },
    onLifecycle(fn) {
      lifecycle.add(fn)
      return () => lifecycle.delete(fn)
    },
    storage: memoryStore(),
    session: memoryStore(),
    ...over,
  }
  return {
    host,
    idles,
    listeners: () => lifecycle.size,
    /** Runs every pending idle callback. */
    runIdle() {
      for (const fn of idles.splice(0)) fn()
    },
    emit(state: LifecycleState) {
      for (const fn of lifecycle) fn(state)
    },
  }
}

export function deferred<T>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/** Lets pending promise callbacks and microtasks run. */
export const settle = async (rounds = 10) => {
  for (let i = 0; i < rounds; i++) await Promise.resolve()
}

/** A valid wire event of `item.viewed`, with overrides. */
export const wire = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: '0190a0b1-c2d3-7e4f-8a9b-0c1d2e3f4a5b',
  event: 'item.viewed',
  ts: 1_700_000_000_000,
  session_id: 's-1',
  item_id: 'i-1',
  place: 'card',
  ...over,
})

export const view = { item_id: 'i-1', place: 'card' } as const
