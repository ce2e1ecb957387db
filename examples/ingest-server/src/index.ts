import type { FastifyInstance } from 'fastify'
import { resolveConfig, type ServerConfig } from './config'
import { buildApp } from './app'
import { createRetention, type Retention } from './retention'
import { createEventWriter, migrate, openStore, type EventWriter, type Store } from './store'
import { createTracing } from './tracing'

export { ConfigError, resolveConfig } from './config'
export type { ServerConfig } from './config'
export type { Queryable, Store } from './store'

export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  url: string
  app: FastifyInstance
  store: Store
  /** The resolved configuration (generated secrets included). */
  config: ServerConfig
  writer: EventWriter
  retention: Retention
  /** Stops accepting requests, answers those in flight, commits pending writes, closes the database. */
  close(): Promise<void>
}

/**
 * Starts the ingest server: opens the store (PostgreSQL with `databaseUrl`, else PGlite),
 * applies migrations, starts the retention job and listens.
 * @example const { url, close } = await startServer({ port: 0, writeKeys: ['pk_demo_123456'] })
 */
export async function startServer(options: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const config = resolveConfig(options)
  const store = await openStore(config)
  let app: FastifyInstance | undefined
  try {
    await migrate(store, config.migrationsDir)
    const tracing = createTracing(config.spanExporter)
    const writer = createEventWriter(store, { now: config.now })
    app = await buildApp({ config, store, writer, tracing })
    const log = app.log
    const retention = createRetention({
      store,
      days: config.retentionDays,
      now: config.now,
      intervalMs: config.retentionIntervalMs,
      onError: (err) => log.error({ err }, 'retention job failed'),
      onRun: ({ cutoff, deleted }) => log.info({ cutoff, deleted }, 'retention'),
    })
    await app.listen({ port: config.port, host: config.host })
    retention.start()
    const addr = app.server.address()
    const port = typeof addr == 'object' && addr ? addr.port : config.port
    const host = config.host.includes(':') ? `[${config.host}]` : config.host
    let closing: Promise<void> | undefined
    const running: RunningServer = {
      url: `http://${host}:${port}`,
      app,
      store,
      config,
      writer,
      retention,
      close: () =>
        (closing ??= (async () => {
          await retention.stop()
          // Requests in flight are answered (their commits included); then keep-alive
          // connections that would otherwise hold close() for the keep-alive timeout are cut.
          // A client that never finishes its request is cut after the request timeout.
          const closed = app!.close()
          const cutAt = Date.now() + config.requestTimeoutMs
          const reaper = setInterval(() => (app!.inflight() == 0 || Date.now() > cutAt) && app!.server.closeAllConnections(), 25)
          await closed.finally(() => clearInterval(reaper))
          await writer.close()
          await tracing.shutdown()
          await store.close()
        })()),
    }
    return running
  } catch (e) {
    await app?.close().catch(() => {})
    await store.close().catch(() => {})
    throw e
  }
}
