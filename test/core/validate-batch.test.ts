import { describe, expect, it } from 'vitest'
import { MAX_BATCH_EVENTS, validateBatch } from '../../src/core/validate'
import { catalog, wire } from './fixtures'

const id = (i: number) => `0190a0b1-c2d3-7e4f-8a9b-${String(i).padStart(12, '0')}`
const batch = (n: number) => ({ events: Array.from({ length: n }, (_, i) => wire({ id: id(i) })), sent_at: 1, dropped: 0, sdk: 'x' })

describe('validateBatch', () => {
  it('accepts 1 to 50 events', () => {
    expect(MAX_BATCH_EVENTS).toBe(50)
    for (const n of [1, 50]) {
      const r = validateBatch(catalog, batch(n))
      expect(r.error).toBeUndefined()
      expect(r.events).toHaveLength(n)
      expect(r.rejected).toEqual([])
    }
  })

  it('refuses an empty batch and one of 51 events as a whole', () => {
    expect(validateBatch(catalog, batch(0))).toEqual({ events: [], rejected: [], error: expect.stringMatching(/empty/) })
    expect(validateBatch(catalog, batch(51))).toEqual({ events: [], rejected: [], error: expect.stringMatching(/50/) })
  })

  it.each([null, 'text', 7, [], {}, { events: 'x' }, { events: {} }])('refuses the unusable envelope %j', (body) => {
    const r = validateBatch(catalog, body)
    expect(r.error).toEqual(expect.any(String))
    expect(r.events).toEqual([])
  })

  it('keeps the valid events of a batch and gives the index and reason of each invalid one', () => {
    const body = batch(5)
    body.events[1] = wire({ id: id(1), event: 'nope' })
    body.events[3] = wire({ id: id(3), body: 'the prompt text' })
    const r = validateBatch(catalog, body)
    expect(r.error).toBeUndefined()
    expect(r.events.map((e) => e.id)).toEqual([id(0), id(2), id(4)])
    expect(r.rejected).toEqual([
      { index: 1, reason: expect.stringMatching(/unknown event/) },
      { index: 3, reason: expect.stringMatching(/forbidden attribute "body"/) },
    ])
  })

  it('rejects unknown keys by default and strips them when asked', () => {
    const body = { events: [wire({ extra: 1 })] }
    expect(validateBatch(catalog, body).rejected).toEqual([{ index: 0, reason: expect.stringMatching(/unknown attribute/) }])
    expect(validateBatch(catalog, body, { unknownKeys: 'strip' }).events).toEqual([wire()])
  })

  it('ignores the envelope fields beside the events', () => {
    expect(validateBatch(catalog, { ...batch(1), write_key: 'k', whatever: true }).events).toHaveLength(1)
  })
})
