import { describe, expect, it } from 'vitest'
import { validateBatch, validateEvent } from '../../src/core/validate'
import { catalog, wire } from './fixtures'

const reason = (raw: unknown, strip = false) => {
  const r = validateEvent(catalog, raw, strip ? { unknownKeys: 'strip' } : {})
  return r.ok ? 'ok' : r.reason
}

describe('validateEvent', () => {
  it('returns the clean event for a valid one', () => {
    const r = validateEvent(catalog, wire({ user_id: 'u-1', rank: 2 }))
    expect(r).toEqual({ ok: true, value: wire({ user_id: 'u-1', rank: 2 }) })
  })

  it.each([null, 'event', 42, [], undefined])('refuses a non-object event (%s)', (raw) => {
    expect(reason(raw)).toBe('event must be an object')
  })

  it('refuses an event outside the catalog, including inherited object keys', () => {
    for (const name of ['nope', 'toString', 'constructor', '__proto__', 'hasOwnProperty', 7, undefined])
      expect(reason(wire({ event: name }))).toMatch(/^unknown event/)
  })

  // String() of an array nested this deep overflows the stack: a server answered 500 and lost
  // the valid events beside it.
  it('refuses a name nested thousands of arrays deep without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(20_000) + ']'.repeat(20_000))
    expect(reason(wire({ event: deep }))).toBe('unknown event (not a string)')
    const r = validateBatch(catalog, { events: [wire({ event: deep }), wire({})] })
    expect(r.events).toHaveLength(1)
    expect(r.rejected).toEqual([{ index: 0, reason: 'unknown event (not a string)' }])
  })

  it('checks the envelope fields', () => {
    expect(reason(wire({ id: 'not-a-uuid' }))).toMatch(/id/)
    expect(reason(wire({ id: undefined }))).toMatch(/id/)
    for (const ts of [-1, 1.5, '1700000000000', 9e15, undefined]) expect(reason(wire({ ts }))).toMatch(/ts/)
    for (const session_id of ['', 'a b', 'x'.repeat(129), 5, undefined]) expect(reason(wire({ session_id }))).toMatch(/session_id/)
    for (const user_id of ['a b', 'me@example.com', 5]) expect(reason(wire({ user_id }))).toMatch(/user_id/)
  })

  it('rejects keys the catalog does not declare by default, and strips them on request', () => {
    expect(reason(wire({ extra: 1 }))).toMatch(/unknown attribute "extra"/)
    const r = validateEvent(catalog, wire({ extra: 1 }), { unknownKeys: 'strip' })
    expect(r.ok && r.value).not.toHaveProperty('extra')
  })

  it.each(['body', 'title', 'email', 'password', 'token', 'secret'])('rejects the forbidden attribute "%s" even when stripping', (key) => {
    expect(reason(wire({ [key]: 'x' }))).toMatch(`forbidden attribute "${key}"`)
    expect(reason(wire({ [key]: 'x' }), true)).toMatch(`forbidden attribute "${key}"`)
  })

  it('treats __proto__ and constructor keys as harmless unknown keys', () => {
    const text = JSON.stringify(wire()).replace('{', '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},')
    const event = JSON.parse(text)
    expect(reason(event)).toMatch(/unknown attribute "(__proto__|constructor)"/)
    const stripped = validateEvent(catalog, event, { unknownKeys: 'strip' })
    expect(stripped.ok).toBe(true)
    if (stripped.ok) {
      expect(Object.keys(stripped.value)).toEqual(Object.keys(wire()))
      expect(Object.getPrototypeOf(stripped.value)).toBe(Object.prototype)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('refuses a lone __proto__ key as unknown', () => {
    const event = JSON.parse(JSON.stringify(wire()).replace('{', '{"__proto__":{"x":1},'))
    expect(Object.keys(event)).toContain('__proto__')
    expect(reason(event)).toMatch(/unknown attribute "__proto__"/)
  })

  it('normalises the id to lower case', () => {
    const r = validateEvent(catalog, wire({ id: '0190A0B1-C2D3-7E4F-8A9B-0C1D2E3F4A5B' }))
    expect(r.ok && r.value.id).toBe('0190a0b1-c2d3-7e4f-8a9b-0c1d2e3f4a5b')
  })

  it('refuses NUL and lone surrogate halves in strings, which stores such as PostgreSQL cannot hold', () => {
    for (const bad of ['a\u0000b', 'a\ud800', '\udc00b'])
      for (const over of [{ label: bad }, { topics: ['ok', bad] }])
        expect(reason(wire(over))).toMatch(/^(label|topics) must not contain NUL or unpaired surrogates$/)
    expect(reason(wire({ label: 'a\u{1F600}' }))).toBe('ok')
    const { item_id, place, ...envelope } = wire({ event: 'blob.sent', data: 'note\u0000\ud800!' })
    const r = validateEvent(catalog, envelope)
    expect(r).toMatchObject({ ok: true, value: { data: 'note\ufffd\ufffd!' } }) // free text is cleaned, as in the client
  })

  it('never echoes a huge unknown key or event name in full', () => {
    expect(reason(wire({ ['k'.repeat(10_000)]: 1 })).length).toBeLessThan(200)
    expect(reason(wire({ event: 'e'.repeat(10_000) })).length).toBeLessThan(200)
  })
})
