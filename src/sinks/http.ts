import { utf8Length } from '../core/guardrails'
import { encode } from './encode'
import type { Envelope, SendResult, Sink } from './types'

export interface HttpSinkOptions {
  /** Where batches are POSTed, e.g. `/telemetry/events`. */
  endpoint: string
  /** Project write key, sent in the body (beacons cannot carry headers). */
  writeKey?: string
  /** Abort a request after this long (default 200 ms): telemetry never holds anything up. */
  timeoutMs?: number
  /** `same-origin` by default; `include` sends cookies cross-origin (the server must allow it). */
  credentials?: RequestCredentials
  fetch?: typeof fetch
  sendBeacon?: (url: string, data: Blob) => boolean
}

// Chrome caps the bodies of in-flight keepalive requests at 64 KiB per page; past 60 KB we
// send a plain fetch instead. One ledger for every sink on the page.
const KEEPALIVE_BUDGET = 60_000
let inflight = 0

const TEXT = 'text/plain;charset=UTF-8' // a CORS-safelisted type: no preflight

function retryAfter(h: string | null): number | undefined {
  if (!h) return
  const s = Number(h)
  const ms = Number.isFinite(s) ? s * 1000 : Date.parse(h) - Date.now()
  return ms >= 0 ? Math.min(ms, 3_600_000) : undefined
}

/**
 * Sends batches to an HTTP endpoint: fetch with keepalive and a timeout while the page lives,
 * sendBeacon in <= 56 KiB chunks when it goes away (fetch keepalive when a beacon is refused).
 * @example createTelemetry({ catalog, sink: httpSink({ endpoint: '/telemetry/events', writeKey }) })
 */
export /* @__NO_SIDE_EFFECTS__ */ function httpSink(o: HttpSinkOptions): Sink {
  const { endpoint, timeoutMs = 200, credentials = 'same-origin' } = o
  const doFetch = (body: string, keepalive: boolean, signal?: AbortSignal) =>
    (o.fetch ?? fetch)(endpoint, { method: 'POST', body, headers: { 'content-type': TEXT }, keepalive, credentials, signal })

  async function post(body: string): Promise<SendResult> {
    const bytes = utf8Length(body)
    const keep = inflight + bytes <= KEEPALIVE_BUDGET
    if (keep) inflight += bytes
    const ctl = new AbortController()
    const timer = setTimeout(() => ctl.abort(), timeoutMs)
    try {
      const res = await doFetch(body, keep, ctl.signal)
      if (res.ok) return { ok: true }
      const s = res.status
      return { ok: false, status: s, retryable: s == 408 || s == 429 || s >= 500, retryAfterMs: retryAfter(res.headers.get('retry-after')) }
    } catch (e) {
      return { ok: false, retryable: true, error: ctl.signal.aborted ? 'timeout' : String(e) }
    } finally {
      clearTimeout(timer)
      if (keep) inflight -= bytes
    }
  }

  // Fire and forget: the page is going away. A refused beacon (quota) is split in two and
  // tried again; a single event that is still refused goes by fetch keepalive.
  function beacon(env: Envelope): void {
    const send = o.sendBeacon ?? (typeof navigator != 'undefined' && navigator.sendBeacon ? (u: string, d: Blob) => navigator.sendBeacon(u, d) : undefined)
    let at = 0
    for (const { body, count } of encode(env)) {
      const dropped = at ? 0 : env.dropped
      const events = env.events.slice(at, (at += count))
      let sent = false
      try {
        sent = !!send?.(endpoint, new Blob([body], { type: TEXT }))
      } catch {}
      if (sent) continue
      if (count > 1) {
        const half = count >> 1
        beacon({ ...env, events: events.slice(0, half), dropped })
        beacon({ ...env, events: events.slice(half), dropped: 0 })
      } else doFetch(body, true).catch(() => {})
    }
  }

  return {
    async send(batch, { unloading }) {
      const env = o.writeKey == null ? batch : { ...batch, write_key: o.writeKey }
      if (unloading) return beacon(env), { ok: true }
      for (const { body } of encode(env)) {
        const r = await post(body)
        if (!r.ok) return r // the whole batch is retried; the server dedups by event id
      }
      return { ok: true }
    },
  }
}
