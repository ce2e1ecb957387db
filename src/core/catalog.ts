/** The kinds of attribute a catalog can declare. */
export type AttrKind = 'id' | 'enum' | 'int' | 'number' | 'bool' | 'string' | 'text' | 'hash' | 'list'

export interface AttrOptions {
  /** Optional attributes may be omitted or null (null is not sent). */
  optional?: boolean | undefined
  description?: string | undefined
}

export interface AttrSpec extends AttrOptions {
  kind: AttrKind
  values?: readonly string[] | undefined
  min?: number | undefined
  max?: number | undefined
  /** Longest string (characters) for string, text and list items. */
  maxLength?: number | undefined
  /** Most items in a list. */
  maxItems?: number | undefined
}

export interface EventSpec {
  description?: string | undefined
  /** Priority events are flushed at once instead of waiting for the next batch. */
  priority?: boolean | undefined
  attrs?: Readonly<Record<string, AttrSpec>> | undefined
}

export type EventMap = Readonly<Record<string, EventSpec>>

export interface Catalog<E extends EventMap = EventMap> {
  readonly events: E
  /** Attribute names that are never allowed, on top of the built-in list. */
  readonly forbidden: readonly string[]
}

/** Names that never travel as attributes: content and credentials (seed AC-3). */
export const FORBIDDEN_ATTRS = ['body', 'title', 'email', 'password', 'token', 'secret']
/** Envelope fields the SDK owns. */
export const RESERVED_ATTRS = ['id', 'event', 'ts', 'session_id', 'user_id']

const NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/

type Spec<K extends AttrKind, O> = { kind: K } & O

// An option given as undefined keeps the kind's default (a bound of undefined would fail every value).
const spec = (kind: AttrKind, base: object, o: object = {}): any => {
  const s: Record<string, unknown> = { kind, ...base }
  for (const [k, v] of Object.entries(o)) if (v !== undefined) s[k] = v
  return s
}

/**
 * Attribute kinds for `defineCatalog`.
 * @example attr.enum(['card', 'detail'], { optional: true })
 */
export const attr = {
  /** An identifier: 1-128 of `A-Z a-z 0-9 _ . : -` (UUIDs, slugs). */
  id: <const O extends AttrOptions = {}>(o?: O) => spec('id', {}, o) as Spec<'id', O>,
  enum: <const V extends readonly string[], const O extends AttrOptions = {}>(values: V, o?: O) =>
    spec('enum', { values }, o) as Spec<'enum', O & { values: V }>,
  /** An integer, by default 0 <= n <= 2^31-1. */
  int: <const O extends AttrOptions & { min?: number | undefined; max?: number | undefined } = {}>(o?: O) =>
    spec('int', { min: 0, max: 2147483647 }, o) as Spec<'int', O>,
  /** A finite number. */
  number: <const O extends AttrOptions & { min?: number | undefined; max?: number | undefined } = {}>(o?: O) =>
    spec('number', {}, o) as Spec<'number', O>,
  bool: <const O extends AttrOptions = {}>(o?: O) => spec('bool', {}, o) as Spec<'bool', O>,
  /** A short string, rejected when longer than maxLength (default 128). */
  string: <const O extends AttrOptions & { maxLength?: number | undefined } = {}>(o?: O) =>
    spec('string', { maxLength: 128 }, o) as Spec<'string', O>,
  /** Free text such as a PSR note: cut to maxLength (default 280), emails and tokens redacted. */
  text: <const O extends AttrOptions & { maxLength?: number | undefined } = {}>(o?: O) =>
    spec('text', { maxLength: 280 }, o) as Spec<'text', O>,
  /** A SHA-256 hex digest of a raw value (see `hash()`); the raw value never leaves the page. */
  hash: <const O extends AttrOptions = {}>(o?: O) => spec('hash', {}, o) as Spec<'hash', O>,
  /** A list of short strings (default at most 20 items of 64 characters). */
  list: <const O extends AttrOptions & { maxItems?: number | undefined; maxLength?: number | undefined } = {}>(o?: O) =>
    spec('list', { maxItems: 20, maxLength: 64 }, o) as Spec<'list', O>,
}

/**
 * Declares every event an app may send and the kind of each attribute.
 * The same object types `track()`, checks events in the browser and on the server, and
 * generates the docs. Throws at definition time on a forbidden or reserved attribute name.
 * @example
 * const catalog = defineCatalog({
 *   prompt_copied: { attrs: { prompt_id: attr.id(), variant: attr.enum(['body', 'json']) } },
 * })
 */
export /* @__NO_SIDE_EFFECTS__ */ function defineCatalog<const E extends EventMap>(
  events: E,
  options: { forbidden?: readonly string[] | undefined } = {},
): Catalog<E> {
  const forbidden = [...FORBIDDEN_ATTRS, ...(options.forbidden ?? [])]
  for (const name in events) {
    if (!NAME.test(name)) throw new TypeError(`prompt-telemetry: bad event name "${name}"`)
    for (const key in events[name]!.attrs) {
      if (forbidden.includes(key) || RESERVED_ATTRS.includes(key) || !NAME.test(key))
        throw new TypeError(`prompt-telemetry: attribute "${key}" of "${name}" is not allowed`)
    }
  }
  return { events, forbidden }
}

// ---- types derived from a catalog ----

type KindValue = { id: string; enum: string; int: number; number: number; bool: boolean; string: string; text: string; hash: string; list: readonly string[] }
// A spec typed only as `AttrSpec` takes any kind's value.
type ValueOf<S> = S extends { kind: 'enum'; values: readonly (infer V)[] } ? V : S extends { kind: infer K extends AttrKind } ? KindValue[K] : never

type IsOptional<S> = S extends { optional: true } ? true : false
type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** The attributes `track()` accepts for one event spec. */
/** What an event without attributes takes: nothing, so `{ email }` is a compile error there too. */
type NoAttrs = { [key: string]: never }

export type AttrsOf<S extends EventSpec> = S extends EventSpec // one event at a time, for a union of names
  ? [NonNullable<S['attrs']>] extends [never] // no attrs, or attrs: undefined
    ? NoAttrs
    : // A catalog typed only as `Catalog`: any attributes, checked at run time.
      string extends keyof NonNullable<S['attrs']>
    ? Record<string, unknown>
    : S['attrs'] extends Readonly<Record<string, AttrSpec>>
      ? keyof S['attrs'] extends never
        ? NoAttrs
        : Simplify<
            { [K in keyof S['attrs'] as IsOptional<S['attrs'][K]> extends true ? never : K]: ValueOf<S['attrs'][K]> } & {
              [K in keyof S['attrs'] as IsOptional<S['attrs'][K]> extends true ? K : never]?: ValueOf<S['attrs'][K]> | null | undefined
            }
          >
      : NoAttrs
  : never

export type EventName<C extends Catalog> = keyof C['events'] & string

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T]

/** `track(name, attrs?, options?)`: attrs may be left out when every attribute is optional. */
export type TrackArgs<C extends Catalog, N extends EventName<C>, Opt> =
  RequiredKeys<AttrsOf<C['events'][N]>> extends never
    ? [attrs?: AttrsOf<C['events'][N]>, options?: Opt]
    : [attrs: AttrsOf<C['events'][N]>, options?: Opt]
