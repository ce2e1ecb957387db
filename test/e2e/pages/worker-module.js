// A module worker with the ESM build.
import { createTelemetry, promptCatalog } from '/sdk/index.js'

onmessage = async ({ data: { sessionId, n, flush } }) => {
  const t = createTelemetry({ catalog: promptCatalog, endpoint: '/telemetry/events', writeKey: 'e2e-write-key', sessionId })
  for (let i = 0; i < n; i++) t.track('prompt_copied', { prompt_id: 'module-' + i, variant: 'body', source: 'card' })
  if (flush) await t.flush()
  postMessage(t.stats())
}
