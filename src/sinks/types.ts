import type { WireEvent } from '../core/validate'

/** What one request carries (see docs/wire-format.md). */
export interface Envelope {
  events: WireEvent[]
  /** Epoch milliseconds when the batch left. */
  sent_at: number
  /** Events the queue dropped since the last batch that got through. */
  dropped: number
  /** `prompt-telemetry@<version>` */
  sdk: string
  /** A project write key, in the body because sendBeacon cannot set headers. */
  write_key?: string | undefined
}

export interface SendContext {
  /** The page is going away: no awaiting, no retries (sendBeacon / keepalive). */
  unloading: boolean
  /** How many times this batch was sent before and failed in a retryable way (0 on the first try). */
  attempt?: number | undefined
  /**
   * Aborted when `shutdown()` stops waiting: give up on the send (the batch is counted failed).
   * Pass it on (`fetch(url, { signal })`): a request still open keeps a Node process alive.
   */
  signal?: AbortSignal | undefined
}

export type SendResult =
  | { ok: true }
  | {
      ok: false
      retryable: boolean
      retryAfterMs?: number | undefined
      status?: number | undefined
      error?: string | undefined
      /** How many of the batch's first events got through before the failure (a batch sent in parts). */
      sent?: number | undefined
    }

/**
 * Where batches go. Resolve with a result (or with nothing, which counts as sent) rather than
 * reject: the client retries what is retryable with backoff and counts the rest as failed. A
 * sink that throws or rejects is retried like a network error.
 * @example const sink: Sink = { send: async (batch) => void (await myQueue.put(batch)) }
 */
export interface Sink {
  send(batch: Envelope, ctx: SendContext): Promise<SendResult | void>
}

/** A sink that always answers with a result, such as the HTTP sink. */
export interface ResultSink extends Sink {
  send(batch: Envelope, ctx: SendContext): Promise<SendResult>
}
