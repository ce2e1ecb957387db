import { utf8Length } from '../core/guardrails'
import { encode, halves } from './encode'
import type { Envelope, ResultSink, SendResult } from './types'

export interface HttpSinkOptions {
  /** Where batches are POSTed, e.g. `/telemetry/events`. */
  endpoint: string
  /** Project write key, sent in the body (beacons cannot carry headers). */
  writeKey?: string | undefined
  /**
   * Abort a first attempt after this long (default 200 ms): telemetry never holds anything up.
   * Each retry of the batch waits five times as long as the one before, up to 10 s (or this, if
   * longer), so a server answering within a second gets the batch at most twice.
   */
  timeoutMs?: number | undefined
  /** `same-origin` by default; `include` sends cookies cross-origin (the server must allow it). */
  credentials?: 'omit' | 'same-origin' | 'include' | undefined
  /**
   * Extra request headers, for a server sending its own events: e.g. the ingest server's service
   * token, `{ authorization: 'Bearer …' }`, which lets the events' user ids through. Beacons
   * cannot carry them, and in a browser they cost a CORS preflight: for backends.
   * @example httpSink({ endpoint, headers: { authorization: `Bearer ${process.env.SERVICE_TOKEN}` } })
   */
  headers?: Record<string, string> | undefined
  fetch?: typeof fetch | undefined
  sendBeacon?: ((url: string, data: Blob) => boolean) | undefined
}

// Chrome caps the bodies of in-flight keepalive requests and beacons at 64 KiB per page; past
// 60 KB we send a plain fetch instead. One ledger for every sink on the page. A beacon's answer
// is never seen, so its bytes are held for 10 s: a page shown again soon after it was hidden
// does not have its next keepalive request refused. A refusal holds the whole quota for 10 s.
let inflight = 0
const hold = (bytes: number) => {
  inflight += bytes
  ;(setTimeout(() => (inflight -= bytes), 1e4) as { unref?: () => void }).unref?.() // Node exits on time
}

const TEXT = 'text/plain;charset=UTF-8' // a CORS-safelisted type: no preflight

// The answer's body is read to its end before the request's bytes leave the ledger: Chrome
// counts a keepalive request against its quota until then (a cancelled body, for one more task)
// and refuses the next one, and Node's fetch keeps the connection open. Async, so a test
// double without a body is a rejection to ignore, not a throw.
const drain = async (res: Response) => res.arrayBuffer()

/**
 * Sends batches to an HTTP endpoint: fetch with keepalive and a timeout while the page lives,
 * sendBeacon in <= 56 KiB chunks when it is hidden or goes away (a refused beacon is halved and
 * tried again; past the browser's quota, the rest goes by fetch and its answer is read).
 * @example createTelemetry({ catalog, sink: httpSink({ endpoint: '/telemetry/events', writeKey }) })
 */
export /* @__NO_SIDE_EFFECTS__ */ function httpSink(o: HttpSinkOptions): ResultSink {
  const { endpoint } = o
  const timeoutMs = o.timeoutMs! > 0 ? Math.min(o.timeoutMs!, 6e4) : 200
  const post = (body: string, keepalive: boolean, signal?: AbortSignal) =>
    (o.fetch ?? fetch)(endpoint, { method: 'POST', body, headers: { 'content-type': TEXT, ...o.headers }, keepalive, credentials: o.credentials, signal })

  // The page is hidden or going away: beacons, which the browser sends even after the page is
  // gone. Chrome refuses beacons and keepalive fetches past 64 KiB in flight per page: a refused
  // beacon is halved and tried again, and once a single event is refused the quota is spent, so
  // every event after it goes to `rest` (sent by fetch, whose answer is read while the page lives).
  const beacon = (env: Envelope, rest: Envelope['events']): void => {
    for (const { env: part, body } of encode(env)) {
      let sent
      try {
        sent = !rest.length && (o.sendBeacon ?? navigator.sendBeacon.bind(navigator))(endpoint, new Blob([body], { type: TEXT }))
      } catch {}
      if (sent) hold(utf8Length(body))
      else rest.length || part.events.length < 2 ? rest.push(...part.events) : halves(part).forEach((h) => beacon(h, rest))
    }
  }

  // POSTs one part. Leaving, a refused beacon has spent the browser's keepalive quota, so a
  // keepalive fetch that fails without an answer goes again at once as a plain fetch (the page may
  // still be alive), and nothing is aborted. While the page lives, a failure is one attempt,
  // retried later: going again at once would send twice whatever reached the server (a blocked
  // CORS answer, a dropped connection).
  const request = async (body: string, attempt: number, signal?: AbortSignal, leaving?: boolean): Promise<SendResult> => {
    const bytes = utf8Length(body)
    const keep = leaving || inflight + bytes <= 60_000
    const ctl = new AbortController()
    const abort = () => ctl.abort()
    const timer = leaving ? 0 : setTimeout(abort, Math.min(timeoutMs * 5 ** attempt, Math.max(timeoutMs, 1e4)))
    signal?.addEventListener('abort', abort) // shutdown() stopped waiting
    if (keep) inflight += bytes
    let r: SendResult
    try {
      const got = await post(body, keep, ctl.signal).catch((e) => (leaving ? post(body, false, ctl.signal) : Promise.reject(e)))
      const s = got.status
      const after = got.headers.get('retry-after') // delta-seconds or an HTTP date
      const wait = after ? (/^\d+$/.test(after) ? +after * 1000 : Date.parse(after) - Date.now()) : NaN
      r = got.ok ? { ok: true } : { ok: false, status: s, retryable: s == 408 || s == 429 || s >= 500, retryAfterMs: wait >= 0 ? Math.min(wait, 36e5) : undefined }
      // Leaving, the body is not waited for: there is no timeout to cut one that never ends.
      const read = drain(got).catch(() => {})
      if (!leaving) await Promise.race([read, new Promise((ok) => ctl.signal.addEventListener('abort', ok))])
    } catch (e) {
      r = { ok: false, retryable: true, error: ctl.signal.aborted ? 'timeout' : String(e) }
      // Refused without an answer: maybe the quota, spent by what the ledger cannot see (another
      // script's beacons, ours answered after more than 10 s). Plain fetches for the next 10 s.
      if (keep && !leaving && !ctl.signal.aborted) hold(6e4)
    }
    clearTimeout(timer)
    signal?.removeEventListener('abort', abort)
    if (keep) inflight -= bytes
    return r
  }

  // POSTs a batch in parts; a failed part ends it, with how many events the parts before carried.
  // While the page lives they go one after the other; leaving, all at once, or a slow server
  // would hold the last ones past what a closing page allows (and past a sink's 30 s).
  const deliver = async (env: Envelope, attempt: number, signal?: AbortSignal, leaving?: boolean): Promise<SendResult> => {
    const parts = encode(env)
    const all = leaving && Promise.all(parts.map((p) => request(p.body, 0, undefined, true)))
    let sent = 0
    for (const [i, { env: part, body }] of parts.entries()) {
      const r = all ? (await all)[i]! : await request(body, attempt, signal)
      if (!r.ok) return sent ? { ...r, sent } : r // the parts before got through
      sent += part.events.length
    }
    return { ok: true }
  }

  return {
    async send(batch, { unloading, attempt, signal }) {
      const env = o.writeKey == null ? batch : { ...batch, write_key: o.writeKey }
      if (!unloading) return deliver(env, attempt! | 0, signal)
      const rest: Envelope['events'] = []
      beacon(env, rest)
      const n = env.events.length - rest.length // beaconed: the first n events
      if (!rest.length) return { ok: true }
      const r = await deliver({ ...env, events: rest, dropped: n ? 0 : env.dropped }, 0, undefined, true)
      return r.ok || !n ? r : { ...r, sent: n + (r.sent ?? 0) }
    },
  }
}
