import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { INT8, NUMERIC, type Queryable, type Store } from './types'

const parsers = { [INT8]: Number, [NUMERIC]: Number }

/**
 * initdb dominates an in-memory start (seconds), so the first in-memory database of a given
 * PGlite build leaves a tarball of its fresh cluster in the temp folder and later ones load it.
 */
async function inMemory(): Promise<PGlite> {
  const wasm = join(createRequire(import.meta.url).resolve('@electric-sql/pglite'), '../pglite.wasm')
  const st = existsSync(wasm) ? statSync(wasm) : undefined
  const cache = st && join(tmpdir(), `prompt-telemetry-pglite-${st.size}-${Math.round(st.mtimeMs)}.tar`)
  if (cache && existsSync(cache)) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([readFileSync(cache)]), parsers })
    } catch {} // a damaged cache: fall through to initdb
  }
  const db = await PGlite.create({ parsers })
  if (cache) {
    try {
      const tmp = `${cache}.${process.pid}`
      writeFileSync(tmp, new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer()))
      renameSync(tmp, cache) // atomic, so concurrent starts never read half a file
    } catch {}
  }
  return db
}

/** Embedded PostgreSQL (WebAssembly) in `dataDir`, or in memory when it is absent. */
export async function openPglite(dataDir?: string): Promise<Store> {
  let db: PGlite
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true })
    db = await PGlite.create(dataDir, { parsers })
  } else db = await inMemory()
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await q.query<T>(sql, params)).rows }),
    exec: async (sql: string) => void (await q.exec(sql)),
  })
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  }
}
