import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Queryable, Store } from './types'

interface Reply {
  id: number
  rows?: unknown[]
  n?: number
  error?: { message: string; [field: string]: unknown }
}

/**
 * Embedded PostgreSQL (WebAssembly) in `dataDir`, or in memory when it is absent. PGlite runs
 * SQL synchronously on the thread that owns it, so it gets a worker thread of its own: the
 * event loop keeps parsing and validating requests while a commit runs, and the database work
 * uses the second core. One session, so statements run one at a time, a transaction's
 * statements without others in between.
 */
export async function openPglite(dataDir?: string): Promise<Store> {
  if (dataDir) makeDir(dataDir)
  const unlock = dataDir ? lockDir(dataDir) : () => {}
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir }, execArgv: [] })
  const pending = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>()
  let seq = 0
  let dead: Error | undefined
  worker.on('message', (r: Reply) => {
    const p = pending.get(r.id)
    pending.delete(r.id)
    if (pending.size == 0) worker.unref() // an idle database never holds the process open
    p?.resolve(r)
  })
  const fail = (e: Error) => {
    dead ??= e
    for (const p of pending.values()) p.reject(dead)
    pending.clear()
  }
  worker.on('error', (e) => fail(new Error(`the PGlite worker failed: ${e.message}`)))
  worker.on('exit', (code) => fail(new Error(`the PGlite worker stopped (exit code ${code})`)))

  const call = (m: Record<string, unknown>): Promise<Reply> => {
    if (dead) return Promise.reject(dead)
    const id = ++seq
    const at = new Error() // the caller's stack, for errors coming back from the worker
    return new Promise<Reply>((resolve, reject) => {
      pending.set(id, { resolve, reject })
      worker.ref()
      worker.postMessage({ ...m, id })
    }).then((r) => {
      if (!r.error) return r
      throw Object.assign(at, r.error)
    })
  }

  await call({ op: 'open' }).catch(async (e) => {
    await worker.terminate()
    unlock()
    throw e
  })

  const direct: Queryable = {
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await call({ op: 'query', sql, params })).rows as T[] }),
    exec: async (sql: string) => void (await call({ op: 'exec', sql })),
    copyIn: async (target: string, data: string, then?: string) => (await call({ op: 'copy', target, data, then })).n!,
  }
  // Statements outside a transaction wait for the one in progress to end.
  let lock: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn, fn)
    lock = run.catch(() => {})
    return run
  }
  let closing: Promise<void> | undefined
  return {
    kind: 'pglite',
    query: (sql, params) => exclusive(() => direct.query(sql, params)),
    exec: (sql) => exclusive(() => direct.exec(sql)),
    copyIn: (target, data, then) => exclusive(() => direct.copyIn(target, data, then)),
    transaction: (fn) =>
      exclusive(async () => {
        await direct.exec('BEGIN')
        try {
          const out = await fn(direct)
          await direct.exec('COMMIT')
          return out
        } catch (e) {
          await direct.exec('ROLLBACK').catch(() => {})
          throw e
        }
      }),
    close: () =>
      (closing ??= exclusive(async () => {
        if (!dead) await call({ op: 'close' })
        await worker.terminate()
        unlock()
      })),
  }
}

/**
 * One server per data folder. PGlite has no postmaster.pid: two servers on one folder each see
 * only their own writes, and acknowledged events are lost when they stop. The lock file holds
 * the owner's pid; one left by a process that is gone is taken over. Returns the release.
 */
export function lockDir(dir: string): () => void {
  const file = join(dir, 'server.lock')
  for (let tries = 0; ; tries++) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      held.add(file)
      return () => (held.delete(file), rmSync(file, { force: true }))
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code != 'EEXIST' || tries) throw e
      const pid = Number(readFileSync(file, 'utf8'))
      // Our own pid on a lock we do not hold: left by an earlier process that had the same pid
      // (a container restarted after a crash gets pid 1 again).
      if (pid > 0 && (pid == process.pid ? held.has(file) : alive(pid)))
        throw new Error(`${dir} is in use by another server (pid ${pid}): give each server its own DATA_DIR, or share a PostgreSQL server through DATABASE_URL`)
      rmSync(file, { force: true })
    }
  }
}

const held = new Set<string>() // lock files this process holds

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code == 'EPERM' // there, but not ours to signal
  }
}

/**
 * mkdir -p that fails where it cannot create: Node's recursive mkdirSync loops forever under
 * /proc (ENOENT although the parent exists), which hung start-up without a word.
 */
function makeDir(dir: string): void {
  try {
    mkdirSync(dir)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code == 'EEXIST') return // a file there fails clearly at the lock
    const parent = dirname(dir)
    if (code != 'ENOENT' || parent == dir || existsSync(parent)) throw e
    makeDir(parent)
    mkdirSync(dir)
  }
}
