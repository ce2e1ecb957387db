import { UNSTORABLE } from '../text'

/** A rejected query parameter: the route answers 400 with this message. */
export class BadParam extends Error {
  override name = 'BadParam'
}

export interface TimeRange {
  from: Date
  to: Date
}

const DAY = 86_400_000
const EARLIEST_INVALID = Date.UTC(9000, 0, 1)
/** The longest range one report covers. */
export const MAX_RANGE_DAYS = 400
const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/

/** A bound as epoch milliseconds, fractions of one kept (Date keeps whole ones). */
function instant(name: string, v: string, endOfDay: boolean): number {
  const dateOnly = DATE.test(v)
  if (!dateOnly && !DATETIME.test(v))
    throw new BadParam(`${name} must be an ISO 8601 date (2025-01-31) or date-time with a zone (2025-01-31T12:00:00Z)`)
  const d = new Date(dateOnly ? v + 'T00:00:00Z' : v)
  // Date accepts 2025-02-30 and rolls it over; a date that does not exist is an error.
  const day = new Date(v.slice(0, 10) + 'T00:00:00Z')
  if (Number.isNaN(+d) || Number.isNaN(+day) || day.toISOString().slice(0, 10) != v.slice(0, 10)) throw new BadParam(`${name} is not a real date: ${v}`)
  // Years the database and ISO strings both handle, with room for a range around them.
  if (+d < 0 || +d >= EARLIEST_INVALID) throw new BadParam(`${name} must be from 1970 to 8999: ${v}`)
  return dateOnly && endOfDay ? +d + DAY : +d + +('0.' + (/\.\d{3}(\d+)/.exec(v)?.[1] ?? 0))
}

/**
 * The half-open range [from, to) of a report. A date-only `to` includes that whole UTC day.
 * Defaults: the last `defaultDays` days up to now.
 */
export function parseRange(q: { from?: string; to?: string }, now = new Date(), defaultDays = 30): TimeRange {
  const to = q.to != null ? instant('to', q.to, true) : +now
  const from = q.from != null ? instant('from', q.from, false) : to - defaultDays * DAY
  if (from >= to) throw new BadParam('from must be before to')
  if (to - from > MAX_RANGE_DAYS * DAY) throw new BadParam(`the range must not exceed ${MAX_RANGE_DAYS} days`)
  // Events have whole milliseconds: a finer bound rounds up and keeps [from, to) exact (`from`
  // at .0005 leaves out an event at .000, `to` at .0005 takes it in).
  return { from: new Date(Math.ceil(from)), to: new Date(Math.ceil(to)) }
}


/**
 * A filter on a stored value (lens, source): any text the catalog lets through, such as the
 * source "home page" the facets list; it is bound as a parameter, never spliced into SQL.
 */
export function parseId(name: string, v: string | undefined): string | null {
  if (v == null || v === '') return null
  if (v.length > 128 || UNSTORABLE.test(v)) throw new BadParam(`${name} must be 1-128 characters, without NUL or unpaired surrogates`)
  return v
}

export function parseLimit(v: string | undefined, max: number, fallback: number): number {
  if (v == null) return fallback
  if (!/^\d{1,7}$/.test(v) || +v < 1 || +v > max) throw new BadParam(`limit must be an integer from 1 to ${max}`)
  return +v
}

/** Reads a query object that must hold only known, single-valued string parameters. */
export function readQuery(raw: unknown, allowed: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  if (raw == null) return out
  if (typeof raw != 'object') throw new BadParam('bad query string')
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!allowed.includes(k)) throw new BadParam(`unknown parameter "${k.slice(0, 32)}"; allowed: ${allowed.join(', ')}`)
    if (typeof v != 'string') throw new BadParam(`${k} must be given once`)
    out[k] = v
  }
  return out
}
