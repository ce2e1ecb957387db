import { afterEach, describe, expect, it, vi } from 'vitest'
import { memoryStore } from 'prompt-telemetry'
import { canShowPsr, markPsrShown, psrCapKey, utcDay } from '../../src/psr'

afterEach(() => vi.useRealTimers())

describe('PSR frequency cap', () => {
  it('keys the last day shown by prompt id', () => {
    expect(psrCapKey('prompt-42')).toBe('psr:last:prompt-42')
  })

  it('allows a prompt once per UTC day and again the next UTC day', () => {
    vi.useFakeTimers({ now: Date.UTC(2025, 2, 10, 23, 59) })
    const storage = memoryStore()
    expect(canShowPsr('p1', { storage })).toBe(true)
    markPsrShown('p1', { storage })
    expect(storage.get('psr:last:p1')).toBe('2025-03-10')
    expect(canShowPsr('p1', { storage })).toBe(false)
    expect(canShowPsr('p2', { storage })).toBe(true)
    vi.setSystemTime(Date.UTC(2025, 2, 11, 0, 0, 1))
    expect(canShowPsr('p1', { storage })).toBe(true)
  })

  it('uses the UTC day, not the local one', () => {
    expect(utcDay(Date.UTC(2025, 0, 1, 0, 30))).toBe('2025-01-01')
    expect(utcDay(Date.UTC(2024, 11, 31, 23, 30))).toBe('2024-12-31')
  })

  it('takes an injected clock', () => {
    const storage = memoryStore()
    let now = Date.UTC(2025, 5, 1, 12)
    markPsrShown('p1', { storage, now: () => now })
    expect(canShowPsr('p1', { storage, now: () => now })).toBe(false)
    now += 24 * 3600_000
    expect(canShowPsr('p1', { storage, now: () => now })).toBe(true)
  })

  it('falls back to a shared memory store when there is no storage', () => {
    markPsrShown('no-storage')
    expect(canShowPsr('no-storage')).toBe(false)
  })

  it('answers true when the storage throws instead of crashing', () => {
    const broken = { get: () => { throw new Error('SecurityError') }, set: () => { throw new Error('QuotaExceededError') }, remove: () => {} }
    expect(() => markPsrShown('p1', { storage: broken })).not.toThrow()
    expect(canShowPsr('p1', { storage: broken })).toBe(true)
  })
})
