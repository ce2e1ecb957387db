// The PGlite database of one ingest server, on a thread of its own (see pglite.ts). Plain
// JavaScript so that it starts the same way under node, tsx and vitest. Messages are handled
// one at a time, in order: { id, op: 'open' | 'query' | 'exec' | 'copy' | 'close', ... }; each gets
// { id, rows?, n?, error? } back.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'

// int8 and numeric as JS numbers, as on the pg side (see types.ts).
const parsers = { 20: Number, 1700: Number }

/**
 * initdb dominates an in-memory start (seconds), so the first in-memory database of a given
 * PGlite build leaves a tarball of its fresh cluster in the temp folder and later ones load it.
 */
async function inMemory() {
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
      const tmp = `${cache}.${process.pid}.${Date.now()}`
      writeFileSync(tmp, new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer()))
      renameSync(tmp, cache) // atomic, so concurrent starts never read half a file
    } catch {}
  }
  return db
}

/** What crosses the thread boundary of an error: its message and PostgreSQL's fields (code...). */
function plain(e) {
  const out = { message: e instanceof Error ? e.message : String(e) }
  if (e && typeof e == 'object')
    for (const [k, v] of Object.entries(e)) if (typeof v == 'string' || typeof v == 'number') out[k] = v
  return out
}

let db
async function handle(m) {
  try {
    if (m.op === 'open') {
      db = workerData.dataDir ? await PGlite.create(workerData.dataDir, { parsers }) : await inMemory()
      parentPort.postMessage({ id: m.id })
    } else if (m.op === 'query') {
      parentPort.postMessage({ id: m.id, rows: (await db.query(m.sql, m.params)).rows })
    } else if (m.op === 'exec') {
      await db.exec(m.sql)
      parentPort.postMessage({ id: m.id })
    } else if (m.op === 'copy') {
      const copy = (q) => q.query(`COPY ${m.target} FROM '/dev/blob'`, [], { blob: new Blob([m.data]) })
      const r = m.then
        ? await db.transaction(async (tx) => {
            const r = await copy(tx)
            await tx.exec(m.then)
            return r
          })
        : await copy(db)
      parentPort.postMessage({ id: m.id, n: r.affectedRows ?? 0 })
    } else if (m.op === 'close') {
      if (db && !db.closed) await db.close()
      parentPort.postMessage({ id: m.id })
    } else throw new Error(`unknown operation ${m.op}`)
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: plain(e) })
  }
}

let chain = Promise.resolve()
parentPort.on('message', (m) => (chain = chain.then(() => handle(m))))
