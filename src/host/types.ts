/** A key-value store: localStorage, sessionStorage, or memory. Never throws. */
export interface KeyValue {
  get(key: string): string | null
  set(key: string, value: string): void
  remove(key: string): void
}

export type LifecycleState = 'hidden' | 'pagehide'

/**
 * The browser seams the core uses, passed in so Node, workers and tests give their own.
 * Every member but the timers is optional.
 */
export interface Host {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(id: unknown): void
  /** Runs fn when the runtime is idle, at the latest after timeoutMs; returns a cancel. */
  idle?: ((fn: () => void, timeoutMs: number) => () => void) | undefined
  /** Subscribes to the page going hidden or away; returns the cleanup. */
  onLifecycle?: ((fn: (state: LifecycleState) => void) => () => void) | undefined
  /** Persistent storage (opt-out, user id, PSR cap). */
  storage?: KeyValue | undefined
  /** Per-tab storage (session id). */
  session?: KeyValue | undefined
  /** True when the user sent Global Privacy Control or Do Not Track. */
  privacySignal?: (() => boolean) | undefined
}

/**
 * A store in memory over an optional Web Storage: it reads the storage first and writes both,
 * so when the storage throws (private modes, sandboxed iframes, a full quota) nothing breaks
 * and the value still lasts as long as the page.
 */
export /* @__NO_SIDE_EFFECTS__ */ function storeOver(storage?: () => Storage): KeyValue {
  const m = new Map<string, string>()
  const run = <T>(f: (s: Storage) => T) => {
    try {
      return storage && f(storage())
    } catch {}
  }
  return {
    get: (k) => run((s) => s.getItem(k)) ?? m.get(k) ?? null,
    set: (k, v) => void (m.set(k, v), run((s) => s.setItem(k, v))),
    remove: (k) => void (m.delete(k), run((s) => s.removeItem(k))),
  }
}

/** A store in memory, for Node, workers and tests. */
export const memoryStore = (): KeyValue => storeOver()

/**
 * The host for Node, workers and server-side rendering: timers, memory storage, and Global
 * Privacy Control or Do Not Track where the runtime has them (a worker's navigator).
 */
export /* @__NO_SIDE_EFFECTS__ */ function basicHost(): Host {
  return {
    privacySignal() {
      // Old Firefox says "yes", old Safari has it on window.
      const n = globalThis.navigator as Navigator & { globalPrivacyControl?: boolean | undefined }
      return n?.globalPrivacyControl === true || /^(1|yes)$/.test(n?.doNotTrack ?? (globalThis as { doNotTrack?: string | undefined }).doNotTrack!)
    },
    setTimeout: (fn, ms) => {
      const id = setTimeout(fn, ms) as unknown as { unref?: () => void }
      id.unref?.() // a pending flush must not keep a Node process alive; shutdown() flushes
      return id
    },
    clearTimeout: (id) => clearTimeout(id as number),
    storage: memoryStore(),
    session: memoryStore(),
  }
}
