import { utf8Length } from '../core/guardrails'
import { encode, halves } from './encode'
import type { Envelope, ResultSink, SendResult } from './types'

export interface HttpSinkOptions {
  /** Where batches are POSTed, e.g. `/telemetry/events`. */
  endpoint: string
  /** Project write key, sent in the body (beacons cannot carry headers). */
  writeKey?: string
  /**
   * Abort a first attempt after this long (default 200 ms): telemetry never holds anything up.
   * Each retry of the batch waits twice as long as the one before, up to 10 s (or this, if
   * longer), so a server that is merely slow gets the batch once or twice, not once per retry.
   */
  timeoutMs?: number
  /** `same-origin` by default; `include` sends cookies cross-origin (the server must allow it). */
  credentials?: RequestCredentials
  /**
   * Extra request headers, for a server sending its own events: e.g. the ingest server's service
   * token, `{ authorization: 'Bearer …' }`, which lets the events' user ids through. Beacons
   * cannot carry them, and in a browser they cost a CORS preflight: for backends.
   * @example httpSink({ endpoint, headers: { authorization: `Bearer ${process.env.SERVICE_TOKEN}` } })
   */
  headers?: Record<string, string>
  fetch?: typeof fetch
  sendBeacon?: (url: string, data: Blob) => boolean
}

// Chrome caps the bodies of in-flight keepalive requests at 64 KiB per page; past 60 KB we
// send a plain fetch instead. One ledger for every sink on the page.
let inflight = 0

const TEXT = 'text/plain;charset=UTF-8' // a CORS-safelisted type: no preflight

// The answer's body is never read: cancelled, or Node's fetch keeps the connection open.
// Async, so a body without cancel() (a test double) is a rejection to ignore, not a throw.
const discard = async (res: Response) => res.body?.cancel()

/**
 * Sends batches to an HTTP endpoint: fetch with keepalive and a timeout while the page lives,
 * sendBeacon in <= 56 KiB chunks when it goes away (halved again, then fetch keepalive, when a
 * beacon is refused).
 * @example createTelemetry({ catalog, sink: httpSink({ endpoint: '/telemetry/events', writeKey }) })
 */
export /* @__NO_SIDE_EFFECTS__ */ function httpSink(o: HttpSinkOptions): ResultSink {
  const { endpoint } = o
  const timeoutMs = o.timeoutMs! > 0 ? Math.min(o.timeoutMs!, 6e4) : 200
  const post = (body: string, keepalive: boolean, signal?: AbortSignal) =>
    (o.fetch ?? fetch)(endpoint, { method: 'POST', body, headers: { 'content-type': TEXT, ...o.headers }, keepalive, credentials: o.credentials, signal })

  // Fire and forget: the page is going away. Chrome refuses beacons and keepalive fetches past
  // 64 KiB in flight per page: a refused beacon is halved and tried again, a single event goes by
  // keepalive fetch, and when that is refused too, by plain fetch (it completes while the page
  // is only hidden).
  const beacon = (env: Envelope): void => {
    for (const { env: part, body } of encode(env)) {
      let sent
      try {
        sent = (o.sendBeacon ?? navigator.sendBeacon.bind(navigator))(endpoint, new Blob([body], { type: TEXT }))
      } catch {}
      if (!sent) part.events.length > 1 ? halves(part).forEach(beacon) : post(body, true).catch(() => post(body, false).catch(() => {}))
    }
  }

  return {
    async send(batch, { unloading, attempt }) {
      const env = o.writeKey == null ? batch : { ...batch, write_key: o.writeKey }
      if (unloading) return beacon(env), { ok: true }
      let sent = 0
      for (const { env: part, body } of encode(env)) {
        const bytes = utf8Length(body)
        const keep = inflight + bytes <= 60_000
        const ctl = new AbortController()
        const timer = setTimeout(() => ctl.abort(), Math.min(timeoutMs * 2 ** (attempt! | 0), Math.max(timeoutMs, 1e4)))
        if (keep) inflight += bytes
        let r: SendResult
        try {
          const res = await post(body, keep, ctl.signal)
          const s = res.status
          const after = res.headers.get('retry-after') // delta-seconds or an HTTP date
          const wait = after ? (/^\d+$/.test(after) ? +after * 1000 : Date.parse(after) - Date.now()) : NaN
          r = res.ok ? { ok: true } : { ok: false, status: s, retryable: s == 408 || s == 429 || s >= 500, retryAfterMs: wait >= 0 ? Math.min(wait, 36e5) : undefined }
          discard(res).catch(() => {})
        } catch (e) {
          r = { ok: false, retryable: true, error: ctl.signal.aborted ? 'timeout' : String(e) }
        }
        clearTimeout(timer)
        if (keep) inflight -= bytes
        if (!r.ok) return sent ? { ...r, sent } : r // the parts before got through
        sent += part.events.length
      }
      return { ok: true }
    },
  }
}
