import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { catalog, fakeHost, view } from './fixtures'

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

describe('with neither sink nor endpoint', () => {
  it('prints batches to the console in development', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const t = createTelemetry({ catalog, host: fakeHost().host })
    t.track('item.viewed', view)
    await t.flush()
    expect(debug).toHaveBeenCalledWith('[prompt-telemetry]', 'item.viewed', expect.objectContaining(view))
    expect(t.stats()).toMatchObject({ sent: 1, failed: 0 })
  })

  it('prints nothing in production and counts every batch as failed', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const t = createTelemetry({ catalog, host: fakeHost().host })
    t.track('item.viewed', view)
    await t.flush()
    expect(debug).not.toHaveBeenCalled()
    expect(warn).not.toHaveBeenCalled()
    expect(t.stats()).toMatchObject({ sent: 0, failed: 1, queued: 0 })
  })
})
