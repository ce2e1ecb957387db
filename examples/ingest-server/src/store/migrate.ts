import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Store } from './types'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url))
const FILE = /^(\d{4})_([\w-]+)\.sql$/

/**
 * Applies every `NNNN_name.sql` of the folder not yet recorded in schema_migrations, in
 * file-name order, in one transaction under an advisory lock: safe to run twice, and safe
 * when several servers start at once. Returns the versions it applied.
 */
export async function migrate(store: Store, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => FILE.test(f))
    .sort()
  const seen = new Set<string>()
  for (const f of files) {
    const v = FILE.exec(f)![1]!
    if (seen.has(v)) throw new Error(`two migrations share the number ${v} in ${dir}`)
    seen.add(v)
  }
  await store.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7261930441)')
    const done = new Set((await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version))
    const applied: string[] = []
    for (const f of files) {
      const [, version, name] = FILE.exec(f)!
      if (done.has(version!)) continue
      try {
        await tx.exec(readFileSync(join(dir, f), 'utf8'))
      } catch (e) {
        throw new Error(`migration ${f} failed: ${(e as Error).message}`)
      }
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, name])
      applied.push(version!)
    }
    return applied
  })
}
