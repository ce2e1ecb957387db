import type { WireEvent } from '../core/validate'
import type { Envelope, SendResult, Sink } from './types'

export interface MemorySink extends Sink {
  /** Every batch received, in order. */
  readonly batches: Envelope[]
  /** Every event received, in order. */
  events(): WireEvent[]
  clear(): void
}

/**
 * Keeps batches in memory: for tests (yours and ours) and for piping events elsewhere.
 * `respond` decides each result, to simulate an outage.
 * @example const sink = memorySink(); const t = createTelemetry({ catalog, sink })
 */
export /* @__NO_SIDE_EFFECTS__ */ function memorySink(
  respond: (batch: Envelope) => SendResult = () => ({ ok: true }),
): MemorySink {
  const batches: Envelope[] = []
  return {
    batches,
    async send(batch) {
      const r = respond(batch)
      if (r.ok) batches.push(batch)
      return r
    },
    events: () => batches.flatMap((b) => b.events),
    clear: () => void (batches.length = 0),
  }
}
