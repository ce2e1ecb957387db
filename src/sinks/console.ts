import type { Sink } from './types'

/**
 * Prints each batch to the console: the default sink when no endpoint is given.
 * @example createTelemetry({ catalog, sink: consoleSink() })
 */
export /* @__NO_SIDE_EFFECTS__ */ function consoleSink(log: (...a: unknown[]) => void = (...a) => console.debug(...a)): Sink {
  return {
    async send(batch) {
      for (const e of batch.events) log('[prompt-telemetry]', e.event, e)
      if (batch.dropped) log('[prompt-telemetry] dropped', batch.dropped)
      return { ok: true }
    },
  }
}
