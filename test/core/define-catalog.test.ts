import { describe, expect, it } from 'vitest'
import { attr, defineCatalog, FORBIDDEN_ATTRS } from '../../src/core/catalog'
import { validateEvent } from '../../src/core/validate'
import { wire } from './fixtures'

describe('defineCatalog', () => {
  it('returns the events it was given', () => {
    const events = { 'a.b': { attrs: { x: attr.int() } } }
    expect(defineCatalog(events).events).toBe(events)
  })

  it('forbids the content and credential names by default', () => {
    expect(FORBIDDEN_ATTRS).toEqual(expect.arrayContaining(['body', 'title', 'email', 'password', 'token', 'secret']))
  })

  it.each(['body', 'title', 'email', 'password', 'token', 'secret'])('throws at definition time on a "%s" attribute', (name) => {
    expect(() => defineCatalog({ 'a.b': { attrs: { [name]: attr.string() } } })).toThrow(TypeError)
    expect(() => defineCatalog({ 'a.b': { attrs: { [name]: attr.string() } } })).toThrow(name)
  })

  it('throws on a name the catalog adds to the forbidden list', () => {
    expect(() => defineCatalog({ 'a.b': { attrs: { phone: attr.string() } } }, { forbidden: ['phone'] })).toThrow(/phone/)
  })

  it.each(['id', 'event', 'ts', 'session_id', 'user_id'])('throws on the reserved envelope name "%s"', (name) => {
    expect(() => defineCatalog({ 'a.b': { attrs: { [name]: attr.string() } } })).toThrow(/not allowed/)
  })

  it.each(['Bad', '1x', 'a b', 'a..b', '', 'a-b'])('throws on the malformed event name "%s"', (name) => {
    expect(() => defineCatalog({ [name]: {} })).toThrow(/bad event name/)
  })

  it.each(['__proto__', 'Prompt', 'with space', 'a-b'])('throws on the malformed attribute name "%s"', (name) => {
    const attrs = Object.defineProperty({}, name, { value: attr.string(), enumerable: true })
    expect(() => defineCatalog({ 'a.b': { attrs } })).toThrow(/not allowed/)
  })

  it('rejects a catalog-forbidden name that arrives on the wire, even when not declared', () => {
    const c = defineCatalog({ 'item.viewed': { attrs: { item_id: attr.id(), place: attr.string() } } }, { forbidden: ['phone'] })
    const r = validateEvent(c, wire({ phone: '555' }), { unknownKeys: 'strip' })
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('phone') })
  })
})

describe('attr', () => {
  // `attr.string({ maxLength: cfg.max })` with cfg.max unset used to set a bound of undefined,
  // which every value failed: all of the event's calls were rejected.
  it('keeps the default of an option given as undefined', () => {
    expect(attr.string({ maxLength: undefined })).toEqual({ kind: 'string', maxLength: 128 })
    expect(attr.int({ min: undefined, max: undefined, optional: true })).toEqual({ kind: 'int', min: 0, max: 2147483647, optional: true })
    expect(attr.list({ maxItems: undefined, maxLength: 8 })).toEqual({ kind: 'list', maxItems: 20, maxLength: 8 })
    const c = defineCatalog({ e: { attrs: { s: attr.string({ maxLength: undefined }), n: attr.int({ max: undefined }) } } })
    expect(validateEvent(c, { id: '0190a0b1-c2d3-7e4f-8a9b-0c1d2e3f4a5b', event: 'e', ts: 1, session_id: 's', s: 'hi', n: 3 })).toMatchObject({ ok: true })
  })
})
