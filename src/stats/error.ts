/**
 * Thrown by the stats client when the server answers anything but 2xx, or cannot be reached
 * (`status` 0). `message` names the request and the server's own reason.
 * @example try { await stats.llmCost() } catch (e) { if (e instanceof StatsError && e.status == 401) relogin() }
 */
export class StatsError extends Error {
  override name = 'StatsError'
  constructor(
    message: string,
    /** The HTTP status; 0 when no answer came (network error, timeout). */
    readonly status: number,
    readonly url: string,
    /** The parsed JSON error body, or its text. */
    readonly body?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
