import { describe, expect, it, vi } from 'vitest'

// The headless layer must load where there is neither React nor a DOM (Node, workers, SSR).
vi.mock('react', () => {
  throw new Error('src/psr imported react')
})

describe('src/psr', () => {
  it('imports without React and without a DOM', async () => {
    expect(typeof document).toBe('undefined')
    const psr = await import('../../src/psr')
    expect(Object.keys(psr)).toEqual(expect.arrayContaining(['createPsr', 'createPromptRecorder', 'mountPsrView', 'psrStyles', 'canShowPsr', 'onPsrTrigger']))
  })
})
