import type { Store } from './store'

export interface Retention {
  /** Folds expiring events into the rollups, then deletes raw events received before the cutoff. */
  run(at?: Date): Promise<{ cutoff: Date; deleted: number }>
  start(): void
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>
}

const DAY = 86_400_000

/**
 * The retention job: raw events older than `days` (by received_at, the server's clock, so a
 * client cannot date an event out of reach) are deleted. Aggregates survive: in the same
 * transaction, every SQL function named `retention_rollup_*` is called first with the cutoff,
 * in name order, so a migration adds a rollup by defining one.
 */
export function createRetention(o: {
  store: Store
  days: number
  now: () => Date
  intervalMs: number
  onError?: (e: unknown) => void
  onRun?: (r: { cutoff: Date; deleted: number }) => void
}): Retention {
  let timer: ReturnType<typeof setInterval> | undefined
  let running: Promise<unknown> = Promise.resolve()

  const run = async (at = o.now()) => {
    const cutoff = new Date(at.getTime() - o.days * DAY)
    const deleted = await o.store.transaction(async (tx) => {
      // One run at a time across every server on the database: two runs would both fold the same
      // expiring events into the rollups before either deletes them, counting them twice.
      await tx.query('SELECT pg_advisory_xact_lock(7261930442)')
      const fns = await tx.query<{ name: string }>(
        `SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = current_schema() AND p.proname LIKE 'retention\\_rollup\\_%' ORDER BY p.proname`,
      )
      for (const { name } of fns.rows) await tx.query(`SELECT "${name.replace(/"/g, '""')}"($1::timestamptz)`, [cutoff.toISOString()])
      const r = await tx.query<{ n: number }>('WITH d AS (DELETE FROM events WHERE received_at < $1 RETURNING 1) SELECT count(*) AS n FROM d', [
        cutoff.toISOString(),
      ])
      return r.rows[0]!.n
    })
    const result = { cutoff, deleted }
    o.onRun?.(result)
    return result
  }
  const tick = () => (running = run().catch((e) => o.onError?.(e)))

  return {
    run: (at) => {
      const p = running.then(() => run(at))
      running = p.catch(() => {})
      return p
    },
    start() {
      tick()
      if (o.intervalMs > 0) (timer = setInterval(tick, o.intervalMs)).unref()
    },
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
