import type { Store } from './types'

export type { Queryable, Store } from './types'
export { migrate, MIGRATIONS_DIR } from './migrate'
export { createEventWriter } from './writer'
export type { EventRow, EventWriter, IngestCounts } from './writer'

/** PostgreSQL through pg when a URL is given, else embedded PGlite (in `dataDir`, or in memory). */
export async function openStore(o: { databaseUrl?: string; dataDir?: string }): Promise<Store> {
  if (o.databaseUrl) return (await import('./postgres')).openPostgres(o.databaseUrl)
  return (await import('./pglite')).openPglite(o.dataDir)
}
