import { describe, expect, it, vi } from 'vitest'
import { init } from 'prompt-telemetry/vanilla'
import { recordingSink } from './setup'

vi.mock('react', () => ({}))

describe('init without a DOM (server-side rendering)', () => {
  it('creates a working client and skips click capture', async () => {
    expect(typeof document).toBe('undefined')
    const rec = recordingSink()
    const t = init({ sink: rec.sink, autocapture: true })
    t.track('auth.logout')
    await t.shutdown()
    expect(rec.events().map((e) => e.event)).toEqual(['auth.logout'])
  })
})
