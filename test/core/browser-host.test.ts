// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { browserHost } from '../../src/host/browser'
import { memorySink } from '../../src/sinks/memory'
import { catalog, view } from './fixtures'

beforeEach(() => {
  localStorage.clear()
  sessionStorage.clear()
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

const client = (more: { respectPrivacySignals?: boolean } = {}) => createTelemetry({ catalog, sink: memorySink(), host: browserHost(), ...more })
const signal = (name: 'globalPrivacyControl' | 'doNotTrack', value: unknown) =>
  Object.defineProperty(navigator, name, { configurable: true, get: () => value })

describe('browserHost', () => {
  afterEach(() => {
    delete (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl
    delete (navigator as { doNotTrack?: unknown }).doNotTrack
  })

  it('opts out under Global Privacy Control', () => {
    signal('globalPrivacyControl', true)
    expect(client().optedOut).toBe(true)
    expect(client({ respectPrivacySignals: false }).optedOut).toBe(false)
  })

  it('opts out under Do Not Track', () => {
    signal('doNotTrack', '1')
    expect(client().optedOut).toBe(true)
  })

  it('reads the older forms of Do Not Track', () => {
    signal('doNotTrack', 'yes') // Firefox before 32
    expect(client().optedOut).toBe(true)
    signal('doNotTrack', undefined)
    Object.assign(globalThis, { doNotTrack: '1' }) // Safari before 12.1, on window
    try {
      expect(client().optedOut).toBe(true)
    } finally {
      delete (globalThis as { doNotTrack?: string }).doNotTrack
    }
    expect(client().optedOut).toBe(false)
  })

  it('collects when neither signal is set', () => {
    signal('doNotTrack', 'unspecified')
    expect(client().optedOut).toBe(false)
  })

  it('remembers an opt-out in localStorage and the session in sessionStorage', () => {
    const a = client()
    expect(client().context().sessionId).toBe(a.context().sessionId)
    a.optOut()
    const b = client()
    expect(b.optedOut).toBe(true)
    expect(sessionStorage.getItem('pt:sid')).toBeNull() // nothing identifying is kept for an opted-out user
    localStorage.clear()
    sessionStorage.clear()
    const c = client()
    expect(c.optedOut).toBe(false)
    expect(c.context().sessionId).not.toBe(a.context().sessionId)
  })

  it('keeps working in memory when storage throws (private mode, sandboxed frames)', async () => {
    const broken = () => {
      throw new DOMException('denied', 'SecurityError')
    }
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(broken)
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(broken)
    vi.spyOn(Storage.prototype, 'removeItem').mockImplementation(broken)
    const sink = memorySink()
    const host = browserHost()
    const t = createTelemetry({ catalog, sink, host })
    t.identify('u-1')
    t.optOut()
    t.optIn()
    t.track('item.viewed', view)
    await t.flush()
    expect(sink.events()[0]).toMatchObject({ user_id: 'u-1' })
    expect(createTelemetry({ catalog, sink, host }).context().userId).toBe('u-1')
  })

  it('keeps working when the storage globals themselves throw', () => {
    const original = Object.getOwnPropertyDescriptor(globalThis, 'sessionStorage')!
    vi.stubGlobal('localStorage', undefined)
    Object.defineProperty(globalThis, 'sessionStorage', {
      configurable: true,
      get: () => {
        throw new DOMException('denied', 'SecurityError')
      },
    })
    try {
      const t = client()
      expect(() => t.optOut()).not.toThrow()
      expect(t.optedOut).toBe(true)
      expect(t.context().sessionId).toEqual(expect.any(String))
    } finally {
      Object.defineProperty(globalThis, 'sessionStorage', original)
    }
  })

  it('runs idle work on a short timer where requestIdleCallback is missing', () => {
    vi.useFakeTimers()
    const fn = vi.fn()
    browserHost().idle!(fn, 1000)
    vi.advanceTimersByTime(1000)
    expect(fn).toHaveBeenCalledOnce()
  })

  it('uses requestIdleCallback with the timeout when there is one', () => {
    const ric = vi.fn((_fn: () => void, _o?: { timeout?: number }) => 7)
    const cancel = vi.fn()
    vi.stubGlobal('requestIdleCallback', ric)
    vi.stubGlobal('cancelIdleCallback', cancel)
    const stop = browserHost().idle!(() => {}, 1000)
    expect(ric.mock.calls[0]![1]).toEqual({ timeout: 1000 })
    stop()
    expect(cancel).toHaveBeenCalledWith(7)
  })
})
