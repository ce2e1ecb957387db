import { RESERVED_ATTRS, type AttrSpec, type Catalog, type EventSpec } from './catalog'
import { MAX_EVENT_BYTES, clamp, looksSensitive, roughSize, utf8Length } from './guardrails'

/** A validated event as it travels on the wire. */
export interface WireEvent {
  id: string
  event: string
  ts: number
  session_id: string
  user_id?: string | undefined
  [attr: string]: string | number | boolean | readonly string[] | undefined
}

export type Result<T> = { ok: true; value: T } | { ok: false; reason: string }

export interface ValidateOptions {
  /** Keys the catalog does not declare: the client strips them, the server rejects them. */
  unknownKeys?: 'strip' | 'reject' | undefined
}

const ID = /^[\w.:-]{1,128}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const HEX64 = /^[0-9a-f]{64}$/
// PostgreSQL's text and jsonb, like many stores, cannot hold NUL or half a surrogate pair. In
// `u` mode a whole pair is one code point outside the class, so only a lone half matches.
const UNSTORABLE = /[\0\ud800-\udfff]/u
export const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

/** A session or user id both sides accept: 1-128 of `A-Za-z0-9_.:-`, and no credential. */
export const isId = (v: unknown): v is string => typeof v == 'string' && ID.test(v) && !looksSensitive(v)

function valid(s: AttrSpec, v: unknown): boolean {
  switch (s.kind) {
    case 'id':
      return typeof v == 'string' && ID.test(v)
    case 'enum':
      return s.values!.includes(v as string)
    case 'bool':
      return typeof v == 'boolean'
    case 'hash':
      return typeof v == 'string' && HEX64.test(v)
    case 'text':
      return typeof v == 'string'
    case 'string':
      return typeof v == 'string' && v.length <= s.maxLength!
    case 'list':
      // Array.from: a gap in a sparse array is undefined, which every() would skip.
      return Array.isArray(v) && v.length <= s.maxItems! && v.every((x) => typeof x == 'string' && x.length <= s.maxLength!)
    default: // int, number: `!(v < undefined)` holds, so a missing bound passes
      return typeof v == 'number' && (s.kind == 'int' ? Number.isInteger(v) : isFinite(v)) && !(v < s.min!) && !(v > s.max!)
  }
}

/** What a kind expects, for the reason of a rejection: `rating must be int >= 1 <= 5`. */
const expected = (s: AttrSpec) =>
  s.values
    ? 'one of ' + s.values.join('|')
    : s.kind +
      (s.kind == 'hash' ? ' (SHA-256 hex, see hash())' : '') +
      (s.min != null ? ' >= ' + s.min : '') +
      (s.max != null ? ' <= ' + s.max : '') +
      (s.maxItems ? ` of <= ${s.maxItems} items` : '') +
      (s.maxLength ? ` of <= ${s.maxLength} chars` : '')

const required = new WeakMap<EventSpec, string[]>()

/** Why attributes are refused: the attribute, and what is wrong with it. */
export type Problem = [key: string, what: 'forbidden' | 'unknown' | 'invalid' | 'sensitive' | 'unstorable' | 'missing']

/**
 * Checks one event's attributes against its spec and writes the clean ones (declared keys
 * only, clamped text, no nulls) into `out`. Returns the problem when it is refused.
 * Walks only the keys given, plus the spec's required keys (cached per spec).
 */
export function checkAttrs(
  catalog: Catalog,
  spec: EventSpec,
  attrs: Record<string, unknown>,
  unknownKeys: 'strip' | 'reject',
  out: Record<string, unknown>,
): Problem | undefined {
  const specs = spec.attrs ?? {}
  let need = required.get(spec)
  if (!need) required.set(spec, (need = Object.keys(specs).filter((k) => !specs[k]!.optional)))
  for (const key in attrs) {
    if (!own(attrs, key)) continue
    let v = attrs[key]
    if (!own(specs, key)) {
      if (catalog.forbidden.includes(key)) return [key, 'forbidden']
      if (unknownKeys == 'reject') return [key, 'unknown']
    } else if (v != null) {
      const a = specs[key]!
      // A list is read once, index by index, into a copy that is checked and sent: a getter or an
      // iterator cannot show the checks one thing and the wire another; a hole fails as undefined.
      if (a.kind == 'list' && Array.isArray(v) && v.length <= a.maxItems!) v = Array.from({ length: v.length }, (_, i) => (v as unknown[])[i])
      if (!valid(a, v)) return [key, 'invalid']
      if (a.kind == 'text') out[key] = clamp(v as string, a.maxLength!)
      else if (a.kind == 'id' || a.kind == 'string' || a.kind == 'list') {
        const strings = a.kind == 'list' ? (v as string[]) : [v as string]
        if (strings.some(looksSensitive)) return [key, 'sensitive']
        // An id's pattern already rules NUL and surrogates out: only free strings are tested.
        if (a.kind != 'id' && strings.some((x) => UNSTORABLE.test(x))) return [key, 'unstorable']
        out[key] = a.kind == 'list' ? Object.freeze(v) : v
      } else out[key] = v
    }
  }
  for (const key of need) if (out[key] == null) return [key, 'missing']
}

/** A problem in words: `rating must be int >= 1 <= 5`, `forbidden attribute "body"`. */
export const describe = (spec: EventSpec, [key, what]: Problem): string =>
  what == 'invalid'
    ? `${key} must be ${expected(spec.attrs![key]!)}`
    : what == 'sensitive'
      ? `${key} looks like an email or a credential`
      : what == 'unstorable'
        ? `${key} must not contain NUL or unpaired surrogates`
      : `${what} attribute "${key.slice(0, 64)}"`

/**
 * An event's weight in UTF-8 bytes of JSON: exact when it might be near MAX_EVENT_BYTES, else
 * the rough size (below it, and near the bytes for mostly ASCII text).
 */
export function weigh(event: Record<string, unknown>): number {
  const n = roughSize(event)
  return n * 6 <= MAX_EVENT_BYTES ? n : utf8Length(JSON.stringify(event))
}

/**
 * Validates one wire event (envelope fields and attributes) with the catalog: the check a
 * server runs. Unknown keys are rejected unless `unknownKeys: 'strip'`.
 * @example const r = validateEvent(promptCatalog, JSON.parse(line)); if (!r.ok) console.log(r.reason)
 */
export function validateEvent(catalog: Catalog, raw: unknown, options: ValidateOptions = {}): Result<WireEvent> {
  if (raw === null || typeof raw != 'object' || Array.isArray(raw)) return { ok: false, reason: 'event must be an object' }
  const e = raw as Record<string, unknown>
  const name = e.event
  if (typeof name != 'string' || !own(catalog.events, name))
    // Only a string is quoted: String() of an array nested thousands deep overflows the stack.
    return { ok: false, reason: typeof name == 'string' ? `unknown event ${JSON.stringify(name.slice(0, 64))}` : 'unknown event (not a string)' }
  if (typeof e.id != 'string' || !UUID.test(e.id)) return { ok: false, reason: 'id must be a UUID' }
  if (typeof e.ts != 'number' || !Number.isInteger(e.ts) || e.ts < 0 || e.ts > 8.64e15)
    return { ok: false, reason: 'ts must be epoch milliseconds' }
  if (!isId(e.session_id)) return { ok: false, reason: 'session_id must be an id' }
  if (e.user_id != null && !isId(e.user_id))
    return { ok: false, reason: 'user_id must be an id' }
  // No prototype: a "__proto__" key stays a plain (unknown) key instead of a prototype.
  const attrs: Record<string, unknown> = Object.create(null)
  for (const k in e) if (own(e, k) && !RESERVED_ATTRS.includes(k)) attrs[k] = e[k]
  const out = { id: e.id.toLowerCase(), event: name, ts: e.ts, session_id: e.session_id } as WireEvent
  if (e.user_id != null) out.user_id = e.user_id as string
  const spec = catalog.events[name]!
  const problem = checkAttrs(catalog, spec, attrs, options.unknownKeys ?? 'reject', out)
  if (problem) return { ok: false, reason: describe(spec, problem) }
  return weigh(out) <= MAX_EVENT_BYTES ? { ok: true, value: out } : { ok: false, reason: `event is larger than ${MAX_EVENT_BYTES} bytes` }
}

export interface BatchResult {
  /** The events that passed, in order. */
  events: WireEvent[]
  rejected: { index: number; reason: string }[]
  /** Set when the envelope itself is unusable (not an object, no events, too many). */
  error?: string | undefined
}

/** The most events one batch may hold (seed AC-6). */
export const MAX_BATCH_EVENTS = 50

/**
 * Validates a whole envelope `{ events: [...] }`. Valid events survive invalid neighbours.
 * @example const { events, rejected, error } = validateBatch(promptCatalog, JSON.parse(body))
 */
export function validateBatch(catalog: Catalog, body: unknown, options: ValidateOptions = {}): BatchResult {
  const fail = (error: string): BatchResult => ({ events: [], rejected: [], error })
  if (body === null || typeof body != 'object' || Array.isArray(body)) return fail('body must be a JSON object')
  const list = (body as { events?: unknown }).events
  if (!Array.isArray(list)) return fail('events must be an array')
  if (list.length == 0) return fail('events must not be empty')
  if (list.length > MAX_BATCH_EVENTS) return fail(`at most ${MAX_BATCH_EVENTS} events per batch, got ${list.length}`)
  const res: BatchResult = { events: [], rejected: [] }
  // Every index, holes too (forEach would skip them): each event is accepted or rejected.
  for (let index = 0; index < list.length; index++) {
    const r = validateEvent(catalog, list[index], options)
    if (r.ok) res.events.push(r.value)
    else res.rejected.push({ index, reason: r.reason })
  }
  return res
}
