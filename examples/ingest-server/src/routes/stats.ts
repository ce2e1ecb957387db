import type { FastifyInstance } from 'fastify'
import { ID } from '../auth'
import { HttpError, storageError } from '../errors'
import { BadParam, readQuery } from '../reports/params'
import type { Store } from '../store'

const COLUMNS = `pp.prompt_id, pp.impressions, pp.selections, pp.completions, pp.selection_rate, pp.avg_dwell_time_ms,
  pp.avg_entropy_delta, pp.last_surfaced, r.avg_rating, coalesce(r.total_ratings, 0) AS total_ratings`
const RATINGS = `LEFT JOIN (SELECT prompt_id, round(avg(rating), 2) AS avg_rating, count(*) AS total_ratings
  FROM psr_ratings GROUP BY prompt_id) r ON r.prompt_id = pp.prompt_id`

/** The columns GET /telemetry/prompts/performance may sort on. */
export const SORTABLE = [
  'impressions',
  'selections',
  'completions',
  'selection_rate',
  'avg_dwell_time_ms',
  'avg_entropy_delta',
  'last_surfaced',
  'avg_rating',
  'total_ratings',
  'prompt_id',
]

const zero = (prompt_id: string) => ({
  prompt_id,
  impressions: 0,
  selections: 0,
  completions: 0,
  selection_rate: 0,
  avg_dwell_time_ms: null,
  avg_entropy_delta: null,
  last_surfaced: null,
  avg_rating: null,
  total_ratings: 0,
})

const intParam = (v: unknown, name: string, min: number, max: number, fallback: number) => {
  if (v == null || v === '') return fallback
  const n = /^\d{1,10}$/.test(String(v)) ? +v : NaN // digits only, as the reports: no 0x10, 1e2 or spaces
  if (!(n >= min && n <= max)) throw new HttpError(400, `${name} must be an integer from ${min} to ${max}`)
  return n
}

/** The operator's read routes over prompt_performance (registered behind the operator guard). */
export function statsRoutes(app: FastifyInstance, o: { store: Store }) {
  const { store } = o
  app.get('/telemetry/prompt/:id/stats', async (req) => {
    const { id } = req.params as { id: string }
    if (!ID.test(id)) throw new HttpError(400, 'prompt id must be 1-128 of A-Z a-z 0-9 _ . : -')
    const r = await store
      .query(`SELECT ${COLUMNS} FROM prompt_performance pp ${RATINGS} WHERE pp.prompt_id = $1`, [id])
      .catch((e) => Promise.reject(storageError(e)))
    if (r.rows[0]) return r.rows[0]
    // A prompt rated but never surfaced still has its ratings.
    const psr = await store.query<{ avg_rating: number | null; total_ratings: number }>(
      'SELECT round(avg(rating), 2) AS avg_rating, count(*) AS total_ratings FROM psr_ratings WHERE prompt_id = $1',
      [id],
    )
    return { ...zero(id), ...psr.rows[0] }
  })

  app.get('/telemetry/prompts/performance', async (req) => {
    // The same strictness as the reports: an unknown or repeated parameter is a 400, not ignored.
    let q: Record<string, string | undefined>
    try {
      q = readQuery(req.query, ['limit', 'offset', 'sort', 'order'])
    } catch (e) {
      throw e instanceof BadParam ? new HttpError(400, e.message) : e
    }
    const limit = intParam(q.limit, 'limit', 1, 500, 50)
    const offset = intParam(q.offset, 'offset', 0, 1e9, 0)
    const sort = q.sort == null || q.sort === '' ? 'impressions' : String(q.sort)
    if (!SORTABLE.includes(sort)) throw new HttpError(400, `sort must be one of ${SORTABLE.join(', ')}`)
    const order = q.order == null || q.order === '' ? 'desc' : String(q.order).toLowerCase()
    if (order !== 'asc' && order !== 'desc') throw new HttpError(400, 'order must be asc or desc')
    const col = sort === 'total_ratings' ? 'coalesce(r.total_ratings, 0)' : sort === 'avg_rating' ? 'r.avg_rating' : `pp.${sort}`
    try {
      const [rows, total] = await Promise.all([
        store.query(`SELECT ${COLUMNS} FROM prompt_performance pp ${RATINGS}
          ORDER BY ${col} ${order} NULLS LAST, pp.prompt_id LIMIT $1 OFFSET $2`, [limit, offset]),
        store.query<{ n: number }>('SELECT count(*) AS n FROM prompt_performance'),
      ])
      return { prompts: rows.rows, total: total.rows[0]!.n, limit, offset, sort, order }
    } catch (e) {
      throw storageError(e)
    }
  })
}
