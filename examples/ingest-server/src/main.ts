import { ConfigError, resolveConfig, startServer } from './index'
import { configFromEnv, ENV_OF, ENV_VARS } from './env'

// The command line: settings from the environment, a clear line and exit 1 when one is wrong.
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log('prompt-telemetry ingest server\n\nEnvironment variables:')
  for (const [k, v] of Object.entries(ENV_VARS)) console.log(`  ${k.padEnd(22)} ${v}`)
  process.exit(0)
}

let server: Awaited<ReturnType<typeof startServer>>
try {
  const options = configFromEnv()
  resolveConfig(options) // every setting checked before the database is touched
  server = await startServer(options)
} catch (e) {
  const message =
    e instanceof ConfigError
      ? `configuration error: ${e.message.replace(/^\w+/, (w) => ENV_OF[w] ?? w)}`
      : `could not start: ${(e as Error).message}`
  console.error(`${message}\nRun with --help for the settings.`)
  process.exit(1)
}

const { config } = server
server.app.log.info(
  { url: server.url, store: server.store.kind, data_dir: config.dataDir ?? null, write_keys: config.writeKeys.length },
  'ingest server listening',
)
if (config.writeKeys.length == 0) server.app.log.warn('WRITE_KEYS is empty: only signed-in sessions can send events')

let stopping = false
const stop = async (signal: string) => {
  if (stopping) process.exit(1) // a second Ctrl-C: give up waiting
  stopping = true
  server.app.log.info({ signal }, 'stopping: answering requests in flight and committing pending writes')
  try {
    await server.close()
    process.exit(0)
  } catch (e) {
    console.error(`could not stop cleanly: ${(e as Error).message}`)
    process.exit(1)
  }
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
