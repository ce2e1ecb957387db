import { openStore, migrate, type Store } from '../../examples/ingest-server/src/store/index'
import { startPostgres, type PostgresCluster } from './postgres'

export const ON_POSTGRES = process.env.TEST_POSTGRES == '1'

/** The server's store with every migration applied: PGlite in memory, or PostgreSQL when TEST_POSTGRES=1. */
export async function openMigratedStore(kind: 'pglite' | 'postgres'): Promise<{ store: Store; close(): Promise<void> }> {
  let cluster: PostgresCluster | undefined
  if (kind == 'postgres') cluster = await startPostgres()
  const store = await openStore({ databaseUrl: cluster?.url })
  await migrate(store)
  return {
    store,
    async close() {
      await store.close()
      await cluster?.stop()
    },
  }
}

/** The engines a report test runs on. */
export const ENGINES: ('pglite' | 'postgres')[] = ON_POSTGRES ? ['pglite', 'postgres'] : ['pglite']
