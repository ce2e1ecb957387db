import { describe, expect, it } from 'vitest'
import { attr, defineCatalog, type AttrSpec } from '../../src/core/catalog'
import { validateEvent } from '../../src/core/validate'
import { catalog, wire } from './fixtures'

const check = (attrs: Record<string, unknown>) => validateEvent(catalog, wire(attrs))
const accepts = (attrs: Record<string, unknown>) => expect(check(attrs).ok, JSON.stringify(attrs).slice(0, 80)).toBe(true)
const rejects = (attrs: Record<string, unknown>, reason: RegExp | string) => {
  const r = check(attrs)
  expect(r.ok, JSON.stringify(attrs).slice(0, 80)).toBe(false)
  if (!r.ok) expect(r.reason).toMatch(reason)
}
/** Validates `v` as the only attribute of a one-attribute catalog. */
const one = (spec: AttrSpec, v: unknown) => {
  const c = defineCatalog({ r: { attrs: { a: spec } } })
  return validateEvent(c, { id: wire().id, event: 'r', ts: 1, session_id: 's', a: v })
}
const HEX = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'

describe('attribute kinds', () => {
  it('id: 1 to 128 of letters, digits and _ . : -', () => {
    for (const v of ['p', 'p-1', 'a_b.c:d', '0190a0b1-c2d3-7e4f-8a9b-0c1d2e3f4a5b', 'x'.repeat(128)]) accepts({ item_id: v })
    for (const v of ['', 'x'.repeat(129), 'a b', 'é', 'a/b', 'a@b', 7, null, ['p']]) rejects({ item_id: v }, /item_id/)
  })

  it('enum: only the declared values', () => {
    accepts({ place: 'detail' })
    for (const v of ['Detail', 'other', '', 1, true]) rejects({ place: v }, /place must be one of card\|detail/)
  })

  it('int: whole numbers within the bounds, 0..2^31-1 by default', () => {
    for (const v of [0, 1, 2147483647]) accepts({ rank: v })
    for (const v of [-1, 2147483648, 1.5, NaN, Infinity, '3', true]) rejects({ rank: v }, /rank/)
  })

  it('int: custom bounds are inclusive', () => {
    const spec = attr.int({ min: -2, max: 2 })
    for (const n of [-2, 0, 2]) expect(one(spec, n).ok).toBe(true)
    for (const n of [-3, 3]) expect(one(spec, n)).toEqual({ ok: false, reason: expect.stringMatching(/^a must be/) })
  })

  it('number: any finite number, bounded when bounds are given', () => {
    for (const v of [0, -1.5, 1e300]) accepts({ score: v })
    for (const v of [NaN, Infinity, -Infinity, '1', {}]) rejects({ score: v }, /score/)
    const spec = attr.number({ min: 0, max: 1 })
    expect([0, 0.5, 1].map((p) => one(spec, p).ok)).toEqual([true, true, true])
    expect([-0.01, 1.01].map((p) => one(spec, p).ok)).toEqual([false, false])
  })

  it('bool: true or false only', () => {
    accepts({ pinned: true })
    accepts({ pinned: false })
    for (const v of ['true', 1, 0, 'false']) rejects({ pinned: v }, /pinned/)
  })

  it('string: up to maxLength characters, never an email or a credential', () => {
    accepts({ label: 'x'.repeat(16) })
    rejects({ label: 'x'.repeat(17) }, /label/)
    rejects({ label: 42 }, /label/)
    rejects({ label: 'a@b.io' }, /email or a credential/)
    for (const v of ['sk-abcdefghij0123456789', 'Bearer abcdefghijklmnop', 'eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0'])
      expect(one(attr.string(), v)).toEqual({ ok: false, reason: expect.stringMatching(/email or a credential/) })
  })

  it('string: 128 characters by default', () => {
    expect(one(attr.string(), 'x'.repeat(128)).ok).toBe(true)
    expect(one(attr.string(), 'x'.repeat(129)).ok).toBe(false)
  })

  it('text: any string, cut to 280 characters', () => {
    const r = check({ note: 'n'.repeat(1000) })
    expect(r.ok && r.value.note).toBe('n'.repeat(280))
    rejects({ note: 5 }, /note/)
  })

  it('hash: exactly 64 lowercase hex digits', () => {
    accepts({ query_hash: HEX })
    for (const v of [HEX.slice(1), HEX + 'a', HEX.replace('b', 'g'), 'raw search query', 123]) rejects({ query_hash: v }, /query_hash.*SHA-256/)
  })

  it('list: at most 20 strings of at most 64 characters by default', () => {
    accepts({ topics: [] })
    accepts({ topics: Array.from({ length: 20 }, (_, i) => 't' + i) })
    accepts({ topics: ['x'.repeat(64)] })
    rejects({ topics: Array.from({ length: 21 }, (_, i) => 't' + i) }, /topics/)
    rejects({ topics: ['x'.repeat(65)] }, /topics/)
    rejects({ topics: ['a', 1] }, /topics/)
    rejects({ topics: 'a,b' }, /topics/)
    rejects({ topics: ['ok', 'me@example.com'] }, /email or a credential/)
  })

  it('list: custom item and length limits', () => {
    const spec = attr.list({ maxItems: 2, maxLength: 3 })
    expect(one(spec, ['abc', 'def']).ok).toBe(true)
    expect(one(spec, ['abc', 'def', 'g']).ok).toBe(false)
    expect(one(spec, ['abcd']).ok).toBe(false)
  })

  it('optional attributes may be absent or null, and null is not sent', () => {
    const r = check({ rank: null, note: undefined })
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.value).not.toHaveProperty('rank')
      expect(r.value).not.toHaveProperty('note')
    }
  })

  it('a required attribute that is absent or null is missing', () => {
    rejects({ place: undefined }, /missing attribute "place"/)
    rejects({ item_id: null }, /missing attribute "item_id"/)
  })
})
