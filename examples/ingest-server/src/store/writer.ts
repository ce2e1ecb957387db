import type { Store } from './types'

/** One stored event: the validated wire event split into columns. */
export interface EventRow {
  id: string
  event: string
  /** Client time, epoch ms. */
  ts: number
  session_id: string
  user_id: string | null
  prompt_id: string | null
  attributes: Record<string, unknown>
  trace_id: string | null
}

/** Additions to one day's ingest_stats row. */
export interface IngestCounts {
  requests?: number
  requests_rejected?: number
  events_accepted?: number
  events_rejected?: number
  client_dropped?: number
  bytes_received?: number
}

export interface EventWriter {
  /** Resolves once the rows (and counts) are committed; rejects when the commit failed. */
  write(rows: EventRow[], counts: IngestCounts): Promise<void>
  /** Adds counts to the next commit without waiting for it. */
  count(counts: IngestCounts): void
  /** Resolves once everything queued so far is committed (counts included). */
  flush(): Promise<void>
  /** Commits everything pending, then refuses new writes. Idempotent. */
  close(): Promise<void>
  /**
   * Commits so far, rows they carried, rows queued, and commits that took the INSERT path
   * (duplicate ids, or a COPY the database refused) rather than COPY.
   */
  readonly stats: { commits: number; rows: number; pending: number; inserts: number }
}

interface Entry {
  rows: EventRow[]
  counts: IngestCounts
  at: number
  /** The rows in COPY text format, made when the request is queued; undefined when they cannot be. */
  copy?: string
  done?: { resolve(): void; reject(e: unknown): void }
}

const COUNT_KEYS = ['requests', 'requests_rejected', 'events_accepted', 'events_rejected', 'client_dropped', 'bytes_received'] as const

const COPY_TARGET = 'events (id, event, ts, received_at, session_id, user_id, prompt_id, attributes, trace_id)'

// Both commit paths add their counts to the day's row.
const ADD_TO_DAY = `
ON CONFLICT (day) DO UPDATE SET
  requests = s.requests + excluded.requests,
  requests_rejected = s.requests_rejected + excluded.requests_rejected,
  events_accepted = s.events_accepted + excluded.events_accepted,
  events_rejected = s.events_rejected + excluded.events_rejected,
  events_stored = s.events_stored + excluded.events_stored,
  client_dropped = s.client_dropped + excluded.client_dropped,
  bytes_received = s.bytes_received + excluded.bytes_received`

// The day's counts after a COPY: every copied row is new, so events_stored is known exactly.
// It runs right after the COPY in the same simple query, which takes no parameters: the
// counts travel as a JSON literal (numbers and dates this module makes, quotes escaped anyway).
const statsSql = (days: unknown[]) => `
INSERT INTO ingest_stats AS s (day, requests, requests_rejected, events_accepted, events_rejected, events_stored, client_dropped, bytes_received)
SELECT c.day, coalesce(c.requests, 0), coalesce(c.requests_rejected, 0), coalesce(c.events_accepted, 0),
       coalesce(c.events_rejected, 0), coalesce(c.events_stored, 0), coalesce(c.client_dropped, 0), coalesce(c.bytes_received, 0)
FROM jsonb_to_recordset('${JSON.stringify(days).replace(/'/g, "''")}'::jsonb) AS c(day date, requests bigint, requests_rejected bigint, events_accepted bigint,
  events_rejected bigint, events_stored bigint, client_dropped bigint, bytes_received bigint)
${ADD_TO_DAY}`

// The fallback, one statement: the events (duplicates skipped by primary key) and the day's
// counts, including how many rows were new, so ingest_stats always agrees with the table.
const INSERT_SQL = `
WITH ins AS (
  INSERT INTO events (id, event, ts, received_at, session_id, user_id, prompt_id, attributes, trace_id)
  SELECT x.id, x.event, to_timestamp(x.ts / 1000.0), to_timestamp(x.r / 1000.0), x.s, x.u, x.p, x.a, x.t
  FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, event text, ts float8, r float8, s text, u text, p text, a jsonb, t text)
  ORDER BY x.id -- every commit takes id locks in one order: two that share ids wait, never deadlock
  ON CONFLICT (id) DO NOTHING
  RETURNING received_at
), stored AS (
  SELECT (received_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM ins GROUP BY 1
), c AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS c(day date, requests bigint, requests_rejected bigint,
    events_accepted bigint, events_rejected bigint, client_dropped bigint, bytes_received bigint)
)
INSERT INTO ingest_stats AS s (day, requests, requests_rejected, events_accepted, events_rejected, events_stored, client_dropped, bytes_received)
SELECT coalesce(c.day, stored.day), coalesce(c.requests, 0), coalesce(c.requests_rejected, 0), coalesce(c.events_accepted, 0),
       coalesce(c.events_rejected, 0), coalesce(stored.n, 0), coalesce(c.client_dropped, 0), coalesce(c.bytes_received, 0)
FROM c FULL JOIN stored ON stored.day = c.day
${ADD_TO_DAY}`

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** An instant as timestamptz text: ISO 8601, without the `+0` that JS puts before years past 9999. */
function iso(ms: number): string {
  const s = new Date(ms).toISOString() // RangeError for what is not a date
  if (s.charCodeAt(0) === 43) return s.slice(1).replace(/^0+/, '') // '+'
  if (s.charCodeAt(0) === 45) throw new RangeError('a year before 0') // '-'
  return s
}

// COPY text format: backslash, tab, newline and carriage return are escaped, NULL is \N.
const SPECIAL = /[\\\t\n\r]/
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }
const field = (v: string | null) => (v == null ? '\\N' : SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : v)

/** One request's rows as COPY text lines (in COPY_TARGET's column order). */
function copyText(rows: EventRow[], at: number): string {
  const received = iso(at)
  let lastTs = NaN
  let ts = ''
  let out = ''
  for (const r of rows) {
    if (r.ts !== lastTs) (ts = iso(r.ts)), (lastTs = r.ts)
    out += `${field(r.id)}\t${field(r.event)}\t${ts}\t${received}\t${field(r.session_id)}\t${field(r.user_id)}\t${field(r.prompt_id)}\t${field(JSON.stringify(r.attributes))}\t${field(r.trace_id)}\n`
  }
  return out
}

/**
 * Group commit: rows from every request that arrives while a commit is running wait for the
 * next one, and a request is answered only after the commit that carries its rows. No timer:
 * an idle server commits at once, a busy one commits bigger groups.
 *
 * A commit is one transaction: COPY of the rows and the day's counts, sent as one simple query
 * on PostgreSQL and as one message to PGlite's thread. Each request's COPY text is made when
 * it is queued, so a commit only joins strings. COPY has no ON CONFLICT: a group that repeats
 * an id, or whose COPY fails (an id stored before, as when the SDK retries a batch whose answer
 * it lost), rolls back and goes through INSERT ... ON CONFLICT (id) DO NOTHING instead. Either
 * way a retried event is stored once and events_stored counts the new rows only.
 */
export function createEventWriter(
  store: Store,
  o: { now?: () => Date; maxRows?: number; concurrency?: number } = {},
): EventWriter {
  const now = o.now ?? (() => new Date())
  const maxRows = o.maxRows ?? 5000
  // PGlite is one session: a second commit would only queue behind the first. PostgreSQL
  // takes a few at once, which also hides each commit's round trips and WAL flush.
  const concurrency = o.concurrency ?? (store.kind === 'postgres' ? 4 : 1)
  const queue: Entry[] = []
  const stats = { commits: 0, rows: 0, pending: 0, inserts: 0 }
  let running = 0
  let scheduled = false
  let closed = false
  let idle: (() => void) | undefined

  const schedule = () => {
    if (scheduled || running >= concurrency || queue.length == 0) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      while (running < concurrency && queue.length) void commit(take())
    })
  }

  const take = () => {
    const batch: Entry[] = []
    let n = 0
    while (queue.length && (batch.length == 0 || n + queue[0]!.rows.length <= maxRows)) {
      const e = queue.shift()!
      n += e.rows.length
      batch.push(e)
    }
    return batch
  }

  /** Adds an entry's counts to its day. */
  const addCounts = (days: Map<string, Record<string, unknown>>, e: Entry, stored?: number) => {
    const day = utcDay(e.at)
    const d = days.get(day) ?? { day }
    for (const k of COUNT_KEYS) if (e.counts[k]) d[k] = ((d[k] as number) ?? 0) + e.counts[k]!
    if (stored) d.events_stored = ((d.events_stored as number) ?? 0) + stored
    days.set(day, d)
  }

  /** COPY, for a group whose ids are distinct; false when it cannot be used. */
  async function copy(batch: Entry[]): Promise<boolean> {
    const ids = new Set<string>()
    let n = 0
    for (const e of batch) {
      if (e.copy === undefined) return false
      for (const r of e.rows) ids.add(r.id)
      n += e.rows.length
    }
    if (ids.size !== n) return false // the same id twice in the group
    const days = new Map<string, Record<string, unknown>>()
    let text = ''
    for (const e of batch) {
      addCounts(days, e, e.rows.length)
      text += e.copy
    }
    const counts = statsSql([...days.values()])
    await (text ? store.copyIn(COPY_TARGET, text, counts) : store.exec(counts))
    return true
  }

  async function insert(batch: Entry[]) {
    const rows: unknown[] = []
    const days = new Map<string, Record<string, unknown>>()
    for (const e of batch) {
      for (const r of e.rows)
        rows.push({ id: r.id, event: r.event, ts: r.ts, r: e.at, s: r.session_id, u: r.user_id, p: r.prompt_id, a: r.attributes, t: r.trace_id })
      addCounts(days, e)
    }
    await store.query(INSERT_SQL, [JSON.stringify(rows), JSON.stringify([...days.values()])])
    stats.inserts++
  }

  async function commit(batch: Entry[], retry = false, tries = 0): Promise<void> {
    running++
    let rows = 0
    for (const e of batch) rows += e.rows.length
    if (!retry) stats.pending -= rows
    try {
      // A failed COPY (an id stored before, data the database refuses) rolls back: the same
      // group then goes through INSERT ... ON CONFLICT, which skips stored ids.
      if (!(await copy(batch).catch(() => false))) await insert(batch)
      stats.commits++
      stats.rows += rows
      for (const e of batch) e.done?.resolve()
    } catch (err) {
      // One bad request must not fail its neighbours: commit them one by one.
      if (batch.length > 1) {
        running--
        for (const e of batch) await commit([e], true)
        running++
      } else if ((err as { code?: string }).code == '40P01' && tries < 3) {
        // A deadlock with a concurrent COPY of the same ids (a batch the SDK sent twice) is
        // transient: the database rolled this one back, so it is simply tried again.
        running--
        await commit(batch, true, tries + 1)
        running++
      } else batch[0]!.done?.reject(err)
    } finally {
      running--
      if (queue.length) schedule()
      else if (running == 0) idle?.()
    }
  }

  const push = (e: Entry) => {
    if (e.rows.length) {
      try {
        e.copy = copyText(e.rows, e.at)
      } catch {} // not representable as COPY text: this entry's group takes the INSERT path
    } else e.copy = ''
    queue.push(e)
    stats.pending += e.rows.length
    schedule()
  }

  return {
    stats,
    write(rows, counts) {
      if (closed) return Promise.reject(new Error('the event writer is closed'))
      return new Promise<void>((resolve, reject) => push({ rows, counts, at: now().getTime(), done: { resolve, reject } }))
    },
    count(counts) {
      if (!closed) push({ rows: [], counts, at: now().getTime() })
    },
    flush() {
      if (closed || (queue.length == 0 && running == 0)) return Promise.resolve()
      return new Promise<void>((resolve) => push({ rows: [], counts: {}, at: now().getTime(), done: { resolve, reject: () => resolve() } }))
    },
    async close() {
      closed = true
      while (queue.length || running || scheduled) await new Promise<void>((r) => ((idle = r), schedule(), setTimeout(r, 50)))
    },
  }
}
