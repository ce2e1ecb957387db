import { basicHost, memoryStore, type Host, type KeyValue } from './types'

// Storage throws in private modes, sandboxed iframes and when the quota is full; every call
// is guarded and falls back to memory, so telemetry never breaks a page.
function guarded(name: 'localStorage' | 'sessionStorage'): KeyValue {
  const mem = memoryStore()
  const run = <T>(f: (s: Storage) => T) => {
    try {
      return f(globalThis[name])
    } catch {}
  }
  return {
    get: (k) => run((s) => s.getItem(k)) ?? mem.get(k),
    set: (k, v) => (mem.set(k, v), run((s) => s.setItem(k, v))),
    remove: (k) => (mem.remove(k), run((s) => s.removeItem(k))),
  }
}

/**
 * The browser host: timers, requestIdleCallback (timer fallback), visibilitychange and
 * pagehide, guarded storage, Global Privacy Control / Do Not Track. Reads no global until used.
 */
export /* @__NO_SIDE_EFFECTS__ */ function browserHost(): Host {
  const base = basicHost()
  return {
    ...base,
    idle(fn, timeout) {
      if (typeof requestIdleCallback == 'function') {
        const id = requestIdleCallback(fn, { timeout })
        return () => cancelIdleCallback(id)
      }
      const id = setTimeout(fn, Math.min(timeout, 50)) // Safari has no requestIdleCallback
      return () => clearTimeout(id)
    },
    onLifecycle(fn) {
      // visibilitychange -> hidden is the last event reliably fired on mobile; pagehide on
      // window backs it up on desktop and is bfcache-safe. Never unload/beforeunload.
      const vis = () => document.visibilityState == 'hidden' && fn('hidden')
      const hide = () => fn('pagehide')
      document.addEventListener('visibilitychange', vis)
      addEventListener('pagehide', hide)
      return () => {
        document.removeEventListener('visibilitychange', vis)
        removeEventListener('pagehide', hide)
      }
    },
    storage: guarded('localStorage'),
    session: guarded('sessionStorage'),
    privacySignal() {
      const n = globalThis.navigator as Navigator & { globalPrivacyControl?: boolean }
      return n?.globalPrivacyControl === true || n?.doNotTrack == '1'
    },
  }
}

/** The default host: the browser's when there is a document, else the basic one. */
export const defaultHost = (): Host =>
  typeof document != 'undefined' && typeof addEventListener == 'function' ? browserHost() : basicHost()
