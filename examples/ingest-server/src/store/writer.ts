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
  /** Commits so far, and rows they carried (for logs and benchmarks). */
  readonly stats: { commits: number; rows: number; pending: number }
}

interface Entry {
  rows: EventRow[]
  counts: IngestCounts
  at: number
  done?: { resolve(): void; reject(e: unknown): void }
}

const COUNT_KEYS = ['requests', 'requests_rejected', 'events_accepted', 'events_rejected', 'client_dropped', 'bytes_received'] as const

// One statement per commit: the events (duplicates skipped by primary key) and the day's
// counts, including how many rows were new, so ingest_stats always agrees with the table.
const SQL = `
WITH ins AS (
  INSERT INTO events (id, event, ts, received_at, session_id, user_id, prompt_id, attributes, trace_id)
  SELECT x.id, x.event, to_timestamp(x.ts / 1000.0), to_timestamp(x.r / 1000.0), x.s, x.u, x.p, x.a, x.t
  FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, event text, ts float8, r float8, s text, u text, p text, a jsonb, t text)
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
ON CONFLICT (day) DO UPDATE SET
  requests = s.requests + excluded.requests,
  requests_rejected = s.requests_rejected + excluded.requests_rejected,
  events_accepted = s.events_accepted + excluded.events_accepted,
  events_rejected = s.events_rejected + excluded.events_rejected,
  events_stored = s.events_stored + excluded.events_stored,
  client_dropped = s.client_dropped + excluded.client_dropped,
  bytes_received = s.bytes_received + excluded.bytes_received`

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * Group commit: rows from every request that arrives while a commit is running wait for the
 * next one, and each commit is one multi-row INSERT ... ON CONFLICT (id) DO NOTHING. A request
 * is answered only after the commit that carries its rows. No timer: an idle server commits
 * at once, a busy one commits bigger batches.
 */
export function createEventWriter(
  store: Store,
  o: { now?: () => Date; maxRows?: number; concurrency?: number } = {},
): EventWriter {
  const now = o.now ?? (() => new Date())
  const maxRows = o.maxRows ?? 5000
  const concurrency = o.concurrency ?? (store.kind === 'postgres' ? 4 : 1)
  const queue: Entry[] = []
  const stats = { commits: 0, rows: 0, pending: 0 }
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

  async function commit(batch: Entry[], retry = false) {
    running++
    const rows: unknown[] = []
    const days = new Map<string, Record<string, unknown>>()
    for (const e of batch) {
      for (const r of e.rows)
        rows.push({ id: r.id, event: r.event, ts: r.ts, r: e.at, s: r.session_id, u: r.user_id, p: r.prompt_id, a: r.attributes, t: r.trace_id })
      const day = utcDay(e.at)
      const d = days.get(day) ?? { day }
      for (const k of COUNT_KEYS) if (e.counts[k]) d[k] = ((d[k] as number) ?? 0) + e.counts[k]!
      days.set(day, d)
    }
    if (!retry) stats.pending -= rows.length
    try {
      await store.query(SQL, [JSON.stringify(rows), JSON.stringify([...days.values()])])
      stats.commits++
      stats.rows += rows.length
      for (const e of batch) e.done?.resolve()
    } catch (err) {
      // One bad request must not fail its neighbours: commit them one by one.
      if (batch.length > 1) {
        running--
        for (const e of batch) await commit([e], true)
        running++
      } else batch[0]!.done?.reject(err)
    } finally {
      running--
      if (queue.length) schedule()
      else if (running == 0) idle?.()
    }
  }

  const push = (e: Entry) => {
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
