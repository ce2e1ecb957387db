import { BadParam, parseId, parseLimit, parseRange, readQuery, type TimeRange } from './params'
import type { ReportDef } from './definitions'
import type { Report } from 'prompt-telemetry'

export interface Store {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
}

/** The answer of a report endpoint: the shape the SDK's stats client reads. */
export type ReportAnswer = Report<Record<string, unknown>>

export const MAX_LIMIT = 5000
const BASE = ['from', 'to', 'sort', 'order', 'limit'] as const

export interface ReportQuery {
  range: TimeRange
  sort: string
  order: 'asc' | 'desc'
  limit: number
  filters: Record<string, string | null>
}

/** Validates a report's query string; throws BadParam (a 400) on anything off. */
export function parseReportQuery(def: ReportDef, raw: unknown, now = new Date()): ReportQuery {
  const q = readQuery(raw, [...BASE, ...(def.filters ?? [])])
  const range = parseRange(q, now)
  const sort = q.sort ?? def.sort
  if (!def.columns.includes(sort)) throw new BadParam(`sort must be one of ${def.columns.join(', ')}`)
  const order = (q.order?.toLowerCase() || def.order) as 'asc' | 'desc' // ASC as well, as the prompt routes take it
  if (order != 'asc' && order != 'desc') throw new BadParam('order must be asc or desc')
  const filters: Record<string, string | null> = {}
  for (const f of def.filters ?? []) filters[f] = parseId(f, q[f])
  return { range, sort, order, limit: parseLimit(q.limit, MAX_LIMIT, 1000), filters }
}

/**
 * Runs a report. Only whitelisted names reach the SQL text (the function, the sort column and
 * the direction); every value travels as a bound parameter.
 */
export async function runReport(store: Store, def: ReportDef, q: ReportQuery): Promise<ReportAnswer> {
  const params: unknown[] = [q.range.from.toISOString(), q.range.to.toISOString()]
  for (const f of def.filters ?? []) params.push(q.filters[f])
  const args = params.map((_, i) => `$${i + 1}`).join(', ')
  params.push(q.limit)
  const col = def.columns.indexOf(q.sort) + 1
  const sql = `SELECT * FROM ${def.fn}(${args}) ORDER BY ${col} ${q.order == 'asc' ? 'ASC' : 'DESC'} NULLS LAST, 1, 2 LIMIT $${params.length}`
  const { rows } = await store.query(sql, params)
  return {
    report: def.name,
    from: q.range.from.toISOString(),
    to: q.range.to.toISOString(),
    sort: q.sort,
    order: q.order,
    filters: q.filters,
    rows: rows.map(plain),
  }
}

// Timestamps as ISO strings whichever driver answered (pg and PGlite both give Date objects).
const plain = (row: Record<string, unknown>) => {
  const out: Record<string, unknown> = {}
  for (const k in row) out[k] = row[k] instanceof Date ? (row[k] as Date).toISOString() : row[k]
  return out
}
