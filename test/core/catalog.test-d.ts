import { describe, expectTypeOf, it } from 'vitest'
import { attr, defineCatalog, type AttrSpec, type AttrsOf, type EventMap, type EventName } from '../../src/core/catalog'
import { createTelemetry, type Telemetry } from '../../src/core/client'
import { promptCatalog } from '../../src/catalogs/prompt'
import { memorySink } from '../../src/sinks/memory'

const catalog = defineCatalog({
  'item.viewed': {
    attrs: {
      item_id: attr.id(),
      place: attr.enum(['card', 'detail']),
      rank: attr.int({ optional: true }),
      score: attr.number({ optional: true }),
      pinned: attr.bool({ optional: true }),
      label: attr.string({ optional: true }),
      note: attr.text({ optional: true }),
      query_hash: attr.hash({ optional: true }),
      topics: attr.list({ optional: true }),
    },
  },
  'app.opened': {},
  'app.closed': { attrs: { reason: attr.enum(['idle', 'user'], { optional: true }) } },
})
const t = createTelemetry({ catalog, sink: memorySink() })

describe('track() typing', () => {
  it('knows the event names', () => {
    expectTypeOf<EventName<typeof catalog>>().toEqualTypeOf<'item.viewed' | 'app.opened' | 'app.closed'>()
    // @ts-expect-error an event outside the catalog
    t.track('item.clicked', { item_id: 'i', place: 'card' })
    // @ts-expect-error a near miss is still a typo
    t.track('item_viewed', { item_id: 'i', place: 'card' })
  })

  it('types each attribute from its kind', () => {
    type A = AttrsOf<(typeof catalog)['events']['item.viewed']>
    expectTypeOf<A['item_id']>().toEqualTypeOf<string>()
    expectTypeOf<A['place']>().toEqualTypeOf<'card' | 'detail'>()
    expectTypeOf<NonNullable<A['rank']>>().toEqualTypeOf<number>()
    expectTypeOf<NonNullable<A['score']>>().toEqualTypeOf<number>()
    expectTypeOf<NonNullable<A['pinned']>>().toEqualTypeOf<boolean>()
    expectTypeOf<NonNullable<A['label']>>().toEqualTypeOf<string>()
    expectTypeOf<NonNullable<A['note']>>().toEqualTypeOf<string>()
    expectTypeOf<NonNullable<A['query_hash']>>().toEqualTypeOf<string>()
    expectTypeOf<NonNullable<A['topics']>>().toEqualTypeOf<readonly string[]>()
  })

  it('refuses a wrong attribute type', () => {
    // @ts-expect-error rank is an int
    t.track('item.viewed', { item_id: 'i', place: 'card', rank: '3' })
    // @ts-expect-error pinned is a bool
    t.track('item.viewed', { item_id: 'i', place: 'card', pinned: 1 })
    // @ts-expect-error topics is a list of strings
    t.track('item.viewed', { item_id: 'i', place: 'card', topics: [1, 2] })
    // @ts-expect-error item_id is a string id
    t.track('item.viewed', { item_id: 42, place: 'card' })
  })

  it('checks enum values as literals', () => {
    t.track('item.viewed', { item_id: 'i', place: 'detail' })
    // @ts-expect-error not one of card | detail
    t.track('item.viewed', { item_id: 'i', place: 'sidebar' })
    const place: string = 'card'
    // @ts-expect-error a plain string is not the enum
    t.track('item.viewed', { item_id: 'i', place })
  })

  it('requires the required attributes', () => {
    // @ts-expect-error place is missing
    t.track('item.viewed', { item_id: 'i' })
    // @ts-expect-error the attributes are missing altogether
    t.track('item.viewed')
    // @ts-expect-error null is not a value for a required attribute
    t.track('item.viewed', { item_id: 'i', place: null })
  })

  it('lets optional attributes be left out or null', () => {
    t.track('item.viewed', { item_id: 'i', place: 'card' })
    t.track('item.viewed', { item_id: 'i', place: 'card', rank: null, note: undefined, topics: ['a'] })
    t.track('app.closed')
    t.track('app.closed', { reason: 'idle' })
    t.track('app.opened')
    t.track('app.opened', {})
  })

  it('refuses an attribute the event does not declare', () => {
    // @ts-expect-error body is not an attribute of item.viewed
    t.track('item.viewed', { item_id: 'i', place: 'card', body: 'text' })
  })

  it('takes per-call ids as a third argument', () => {
    t.track('app.opened', {}, { userId: 'u', sessionId: 's' })
    // @ts-expect-error ids are strings
    t.track('app.opened', {}, { userId: 7 })
  })

  it('returns nothing, never a promise', () => {
    expectTypeOf(t.track('app.opened')).toEqualTypeOf<void>()
    expectTypeOf(t.flush()).toEqualTypeOf<Promise<void>>()
    expectTypeOf(t).toMatchTypeOf<Telemetry<typeof catalog>>()
  })

  it('types the built-in catalog', () => {
    const p = createTelemetry({ catalog: promptCatalog, sink: memorySink() })
    p.track('prompt_copied', { prompt_id: 'p', variant: 'body', source: 'card' })
    // @ts-expect-error variant is body | front_matter | json
    p.track('prompt_copied', { prompt_id: 'p', variant: 'html', source: 'card' })
    // @ts-expect-error rating is an int
    p.track('psr.submitted', { prompt_id: 'p', rating: '5', source: 'copy' })
  })
})

describe('events without attributes', () => {
  it('take no attributes, a forbidden name least of all', () => {
    const c = defineCatalog({ 'auth.logout': {}, 'app.ready': { attrs: {} } })
    const t = createTelemetry({ catalog: c, sink: memorySink() })
    t.track('auth.logout')
    t.track('auth.logout', {})
    t.track('app.ready', {}, { userId: 'u-1' })
    // @ts-expect-error no attributes are declared
    t.track('auth.logout', { email: 'jo@example.com' })
    // @ts-expect-error no attributes are declared
    t.track('app.ready', { extra: 1 })
  })
})

describe('defineCatalog typing', () => {
  // Forbidden and reserved names throw at definition time (define-catalog.test.ts); the types
  // leave them to that, so a generic helper around defineCatalog still compiles.
  it('takes a catalog from a generic helper', () => {
    const withDefaults = <E extends EventMap>(events: E) => defineCatalog(events)
    expectTypeOf(withDefaults({ 'a.b': { attrs: { fine: attr.id() } } }).events).toHaveProperty('a.b')
  })

  it('types an attribute declared as the broad AttrSpec by any kind’s value', () => {
    const n: AttrSpec = attr.int()
    const c = defineCatalog({ 'e.one': { attrs: { n } } })
    const t = createTelemetry({ catalog: c, sink: memorySink() })
    t.track('e.one', { n: 1 })
    expectTypeOf<AttrsOf<(typeof c)['events']['e.one']>['n']>().toEqualTypeOf<string | number | boolean | readonly string[]>()
  })
})
