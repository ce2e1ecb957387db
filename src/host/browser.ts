import { basicHost, storeOver, type Host } from './types'

/**
 * The browser host: the basic one's timers and privacy signals, with requestIdleCallback
 * (timer fallback), visibilitychange and pagehide, and guarded storage. Reads no global until
 * used.
 */
export /* @__NO_SIDE_EFFECTS__ */ function browserHost(): Host {
  const base = basicHost()
  return {
    ...base,
    idle(fn, timeout) {
      // Safari has no requestIdleCallback.
      const ric = typeof requestIdleCallback == 'function'
      const id = ric ? requestIdleCallback(fn, { timeout }) : setTimeout(fn, Math.min(timeout, 50))
      return () => (ric ? cancelIdleCallback : clearTimeout)(id as number)
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
    storage: storeOver(() => localStorage),
    session: storeOver(() => sessionStorage),
  }
}

/** The default host: the browser's when there is a document, else the basic one. */
export const defaultHost = (): Host =>
  typeof document != 'undefined' && typeof addEventListener == 'function' ? browserHost() : basicHost()
