import { startServer, type RunningServer } from '../../examples/ingest-server/src/index'
import { startPostgres, type PostgresCluster } from './postgres'
import { TEST_PRICES } from './dataset'

export const TOKEN = 'operator-token-for-tests-0123456789'
export const WRITE_KEY = 'pk_reports_test_key'

/** The whole ingest server on 127.0.0.1 and a free port, priced with the test table. */
export async function startTestServer(kind: 'pglite' | 'postgres', extra: Record<string, unknown> = {}): Promise<RunningServer & { stop(): Promise<void> }> {
  let cluster: PostgresCluster | undefined
  if (kind == 'postgres') cluster = await startPostgres()
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: cluster?.url,
    serviceToken: TOKEN,
    writeKeys: [WRITE_KEY],
    logLevel: 'silent',
    retentionIntervalMs: 0,
    retentionDays: 36500,
    llmPrices: { replace: true, ...TEST_PRICES },
    ...extra,
  } as Parameters<typeof startServer>[0])
  return {
    ...server,
    async stop() {
      await server.close()
      await cluster?.stop()
    },
  }
}
