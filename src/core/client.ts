import type { Catalog, EventName, TrackArgs } from './catalog'
import { createQueue } from './queue'
import { uuidv7 } from './uuid'
import { checkAttrs, describe, isId, own, weigh, type WireEvent } from './validate'
import { isDev, SDK } from './dev'
import { MAX_EVENT_BYTES, utf8Length } from './guardrails'
import { defaultHost } from '../host/browser'
import type { Host } from '../host/types'
import type { Envelope, SendResult, Sink } from '../sinks/types'
import { httpSink } from '../sinks/http'
import { consoleSink } from '../sinks/console'

export interface TelemetryOptions<C extends Catalog> {
  catalog: C
  /** POST batches here with the HTTP sink, e.g. `/telemetry/events`. */
  endpoint?: string | undefined
  /** Project write key, sent in the body. */
  writeKey?: string | undefined
  /** Where batches go; defaults to the HTTP sink with `endpoint`, else the console sink. */
  sink?: Sink | undefined
  /** The browser seams; defaults to the browser's when there is a document. */
  host?: Host | undefined
  /** `features.telemetry`: false makes every method a no-op. Default true. */
  enabled?: boolean | undefined
  /** Global Privacy Control and Do Not Track opt the user out until `optIn()`. Default true. */
  respectPrivacySignals?: boolean | undefined
  /** Queue capacity before the oldest events are dropped. Default 200. */
  capacity?: number | undefined
  /** Events per request. Default 50 (the most the server takes). */
  batchSize?: number | undefined
  /** The longest an event waits before a flush, in ms. Default 5000. */
  flushInterval?: number | undefined
  /** Times an event is sent again after a retryable failure before it is counted as failed. Default 5. */
  maxRetries?: number | undefined
  /** Request timeout of the default HTTP sink, ms. Default 200. */
  timeoutMs?: number | undefined
  sessionId?: string | undefined
  userId?: string | undefined
  /** Warn about rejected events even in production builds. */
  debug?: boolean | undefined
  /** Called once per burst of drops with how many events the full queue pushed out. */
  onDrop?: ((count: number) => void) | undefined
}

export interface TelemetryStats {
  /** Waiting to be sent (queue and retries) or being sent. */
  queued: number
  /** Accepted by the sink. */
  sent: number
  /** Pushed out of the full queue, or discarded by `optOut()`. */
  dropped: number
  /** Given up on: a non-retryable answer, out of retries, or still unanswered when `shutdown()` stops waiting. */
  failed: number
  /** Sent again after a retryable failure. */
  retried: number
  /** Refused by the catalog or the guardrails, or tracked after `shutdown()`; never queued. */
  rejected: number
}

/** Per-call ids, for a server tracking for many users. */
export interface TrackOptions {
  /** This event's user; `null` sends none (an anonymous request), whoever was identified. */
  userId?: string | null | undefined
  /** This event's session; an event whose session is not an id is refused. */
  sessionId?: string | undefined
}

export interface Telemetry<C extends Catalog = Catalog> {
  readonly catalog: C
  /** Queues a catalog event. Never throws; an invalid event is dropped and counted. */
  track<N extends EventName<C>>(name: N, ...args: TrackArgs<C, N, TrackOptions>): void
  /** Sends what is queued; resolves when the attempt ends (it never rejects). */
  flush(): Promise<void>
  /**
   * Flushes, retrying what is retryable, for at most `timeoutMs` (default 5000), then stops
   * timers and listeners. What is still unsent then is counted as failed. Idempotent.
   */
  shutdown(timeoutMs?: number): Promise<void>
  identify(userId: string | null): void
  /** Forgets the user and starts a new session. */
  reset(): void
  /**
   * Stops collection, clears the queue and removes the stored user and session ids; remembered
   * across visits. Until `optIn()`, ids given to `identify()` are kept in memory only.
   */
  optOut(): void
  optIn(): void
  readonly optedOut: boolean
  stats(): TelemetryStats
  /** Current ids and endpoint, for companions such as the PSR widget. */
  context(): { sessionId: string; userId?: string | undefined; endpoint?: string | undefined; writeKey?: string | undefined; host: Host }
  /** Called with every event that was queued; returns the unsubscribe. */
  subscribe(listener: (event: WireEvent) => void): () => void
}

const OPT = 'pt:optout'
const UID = 'pt:uid'
const SID = 'pt:sid'

declare const process: { env: { NODE_ENV?: string | undefined } }

// What a sink threw, in words, whatever it threw (an object without a prototype has no toString).
const text = (e: unknown) => {
  try {
    return String(e)
  } catch {
    return 'error'
  }
}

/**
 * Creates the telemetry client. Works in browsers, workers, Node and during SSR.
 * @example
 * const t = createTelemetry({ catalog: promptCatalog, endpoint: '/telemetry/events' })
 * t.track('prompt_copied', { prompt_id: id, variant: 'body', source: 'card' })
 */
export /* @__NO_SIDE_EFFECTS__ */ function createTelemetry<C extends Catalog>(options: TelemetryOptions<C>): Telemetry<C> {
  // Development builds: the console sink by default, warnings, and reasons in words. Written out
  // in full so that bundlers fold it and drop what production builds never run.
  const dev = (typeof process < 'u' ? process.env.NODE_ENV : 'production') !== 'production'
  const { catalog, endpoint, writeKey, onDrop } = options
  // Numbers from config files and data attributes: NaN, 0 or Infinity would loop, throw or
  // overflow a timer. Out of range takes the nearest bound; no number takes the default.
  const num = (k: 'capacity' | 'batchSize' | 'flushInterval' | 'maxRetries', d: number, min: number, max: number) => {
    const v = options[k]
    const n = v! >= min ? Math.min(Math.floor(v!), max) : d
    if (dev && v != null && n !== v) console.warn(`[prompt-telemetry] ${k}: ${v} is not an integer from ${min} to ${max}; using ${n}`)
    return n
  }
  const capacity = num('capacity', 200, 1, 1e5)
  const batchSize = num('batchSize', 50, 1, 1e5) // the HTTP sink sends at most 50 per request
  const flushInterval = num('flushInterval', 5000, 0, 864e5)
  const maxRetries = num('maxRetries', 5, 0, 100)
  const host = options.host ?? defaultHost()
  // Disabled (features.telemetry off): no storage read or written either.
  let closed = options.enabled === false
  const store = closed ? undefined : host.storage
  const session = closed ? undefined : host.session
  // With no endpoint: the console in development; in production nowhere, so every batch fails.
  const sink =
    options.sink ??
    (endpoint
      ? httpSink({ endpoint, writeKey, timeoutMs: options.timeoutMs })
      : dev
        ? consoleSink()
        : { send: async () => ({ ok: false, retryable: false, error: 'no sink or endpoint' }) })
  // Warnings follow the app's build at run time: the folded `dev` above is false in a browser
  // whose bundler replaced only process.env.NODE_ENV (Vite's development server), so warnings
  // (in terse words there) would never show in development. The full sentences stay folded away.
  const warnings = options.debug || dev || isDev()
  const queue = createQueue<WireEvent>(capacity)
  const listeners = new Set<(e: WireEvent) => void>()
  const notify: WireEvent[] = [] // events being handed to subscribers, in order
  const warned = new Set<string>()
  const s: TelemetryStats = { queued: 0, sent: 0, dropped: 0, failed: 0, retried: 0, rejected: 0 }
  const warn = (key: string, msg: string) => {
    // Once per key; the set is bounded, as keys can come from event names.
    if (warnings && !warned.has(key)) warned.size > 999 && warned.clear(), warned.add(key), console.warn('[prompt-telemetry] ' + msg)
  }
  // A custom privacy check that throws has not said no: collection goes on (with a warning in development).
  const signalled = () => {
    try {
      return !!host.privacySignal?.()
    } catch (e) {
      if (dev) warn('signal', `privacySignal threw: ${e}`)
    }
    return false
  }

  // An opted-out user has nothing identifying written: only the choice itself is remembered.
  const choice = store?.get(OPT)
  let optedOut = choice == '1' || (choice != '0' && !closed && options.respectPrivacySignals !== false && signalled())
  const newSession = () => {
    const id = uuidv7()
    optedOut || session?.set(SID, id)
    return id
  }
  // An id the server would refuse, such as an email address, is never used: warned about and left out.
  const asId = (v: unknown, what: string): string | undefined => {
    if (v == null || isId(v)) return v ?? undefined
    warn(what, what + (dev ? ' is not an id (A-Za-z0-9_.:-, no email); left out' : ' not an id'))
  }
  let sessionId = asId(options.sessionId, 'sessionId') ?? asId(session?.get(SID), SID) ?? newSession()
  let userId = asId(options.userId, 'userId') ?? asId(store?.get(UID), UID)

  let pending = 0 // drops reported in the next envelope
  let flying = 0 // events taken off the queue for a send not yet counted
  let failing = false // the last send was answered with a retryable status: the server is failing
  const leaving = new Set<Promise<void>>() // page-hide sends being answered
  let bytes = 0 // about how much was queued since the last flush began
  const tries = new WeakMap<WireEvent, number>() // how often each event was sent
  let burst = 0
  let attempts = 0
  let blockedUntil = 0 // backoff after a retryable failure
  let askedUntil = 0 // what the server's Retry-After asked, of that
  let timer: unknown
  let cancelIdle: (() => void) | undefined
  let running: Promise<void> | undefined
  let soon = false // a flush is already scheduled for this tick
  let done: Promise<void> | undefined
  const stop = new AbortController() // aborted when shutdown() stops waiting: sends in flight give up

  // Guarded: a garbage name or a thrown value may not even print.
  const reject = (name: unknown, reason: unknown) => {
    s.rejected++
    try {
      const label = String(name).slice(0, 64)
      warn('#' + label, `${label} not tracked: ${reason}`) // '#': no event name silences an internal warning
    } catch {}
  }
  // One report per burst of drops, not one per event.
  const drop = (n: number) => {
    if (!n) return
    s.dropped += n
    pending += n
    if (!burst)
      queueMicrotask(() => {
        const count = burst
        burst = 0
        warned.delete('drop')
        warn('drop', `queue full: dropped ${count} oldest`)
        try {
          onDrop?.(count)
        } catch {} // the app's callback must not break the next report
      })
    burst += n
  }

  const arm = (delay = flushInterval) => {
    if (timer == null && !closed)
      timer = host.setTimeout(() => {
        timer = undefined
        if (host.idle) cancelIdle = host.idle(() => ((cancelIdle = undefined), void flush()), 1000)
        else void flush()
      }, delay)
  }
  const disarm = () => {
    if (timer != null) host.clearTimeout(timer), (timer = undefined)
    cancelIdle?.(), (cancelIdle = undefined)
  }
  // Takes up to n events off the queue and sends them. A sink that throws, even synchronously,
  // is a retryable failure rather than a lost batch; one that resolves with nothing succeeded;
  // one that has not answered in 30 s failed (else no flush would ever run again). A last chance
  // (`charge` false) uses none of the events' retries.
  const send = (n: number, unloading: boolean, charge = true): [Envelope, Promise<SendResult>] => {
    const events = queue.take(n)
    // While the page lives, one request of 24 KB at most (UTF-8 bytes): if the page closes while
    // it is in flight, what it did not take is still queued and goes by beacon, within the quota.
    let k = 0
    let b = 0
    if (!unloading) {
      while (k < events.length && ((b += utf8Length(JSON.stringify(events[k]))) <= 24e3 || !k)) k++
      queue.unshift(events.splice(k))
    }
    flying += events.length
    const env: Envelope = { events, sent_at: Date.now(), dropped: pending, sdk: SDK }
    const { signal } = stop
    let timer: unknown
    let quit: () => void
    pending = 0
    let attempt = 0 // the most any of them was sent before
    for (const e of events) {
      const n = tries.get(e) ?? 0
      if (n) s.retried++
      if (n > attempt) attempt = n
      if (charge) tries.set(e, n + 1)
    }
    return [
      env,
      Promise.race([
        // A copy of the list: a sink may consume it, the counts here are of what was taken.
        new Promise<SendResult | void>((ok) => ok(sink.send({ ...env, events: events.slice() }, { unloading, attempt, signal }))),
        new Promise<never>((_, no) => {
          timer = host.setTimeout(() => no('sink timeout'), 3e4)
          signal.addEventListener('abort', (quit = () => no('shut down')))
        }),
      ])
        .then(
          (r): SendResult => r || { ok: true },
          (e) => ({ ok: false, retryable: true, error: text(e) }),
        )
        .finally(() => (host.clearTimeout(timer), signal.removeEventListener('abort', quit))),
    ]
  }
  // Counts what got through and returns the rest. A batch sent in parts can fail after its first
  // parts got through (SendResult.sent): they are not sent again, nor the drops they reported.
  const unsent = (env: Envelope, r: SendResult): Envelope => {
    const n = r.ok ? env.events.length : r.sent! > 0 ? Math.min(Math.floor(r.sent!), env.events.length) : 0
    s.sent += n
    return n > 0 ? { ...env, events: env.events.slice(n), dropped: 0 } : env
  }
  const putBack = (env: Envelope) => {
    if (optedOut) return void (s.dropped += env.events.length) // opted out while it was in flight: it does not come back
    if (closed) return void (s.failed += env.events.length) // shut down meanwhile: nothing would send it
    pending += env.dropped
    drop(queue.unshift(env.events))
  }

  // Counts a send's answer: what got through is sent; the rest is put back for a retry, after a
  // backoff, or counted failed.
  const settle = (batch: Envelope, r: SendResult) => {
    flying -= batch.events.length
    const env = unsent(batch, r)
    const n = env.events.length
    if (r.ok) return void ((attempts = 0), (failing = false))
    // An event is sent at most 1 + maxRetries times, however batches are cut around it (a
    // page-hide send and the retries after it take different events).
    const retry = r.retryable && !optedOut ? env.events.filter((e) => tries.get(e)! <= maxRetries) : []
    const lost = n - retry.length
    if (lost) {
      s.failed += lost
      warn('fail', `${lost} events failed: ${r.status ?? r.error}`)
    }
    if (retry.length) {
      attempts++
      failing = r.status! > 0 // answered, not a network error (which a page unloading also gives)
      putBack({ ...env, events: retry })
      // Exponential backoff with full jitter, and at least what Retry-After asks.
      // A custom sink's NaN or Infinity cannot make it spin or stall: at most an hour.
      const asked = Math.min(+r.retryAfterMs! || 0, 36e5)
      askedUntil = Date.now() + asked
      blockedUntil = Date.now() + Math.max(Math.random() * Math.min(30_000, 1000 * 2 ** attempts), asked)
    } else {
      pending += env.dropped // the count never got through: report it with the next batch
      attempts = 0
      failing = false
    }
  }

  // Sends batch after batch until the queue is empty; events tracked meanwhile join the loop.
  async function drain(): Promise<void> {
    while (queue.size && !optedOut) {
      const wait = blockedUntil - Date.now()
      // Longer than any backoff: the clock stepped back. Sending now beats waiting for it.
      if (wait > 0 && wait <= 36e5) return arm(wait)
      const [batch, sent] = send(batchSize, false)
      const r = await sent
      if (closed) return // shutdown stopped waiting for it and counted it failed
      settle(batch, r)
    }
  }

  function flush(): Promise<void> {
    disarm()
    bytes = 0
    return (running ??= drain()
      .catch(() => {})
      .finally(() => {
        running = undefined
        if (queue.size) arm()
      }))
  }

  // The page is going away: everything goes to the sink at once (sendBeacon), unawaited.
  // Listened for from the first queued event on: a client that never tracks (React StrictMode
  // makes one and drops it) leaves no listener behind.
  let stopLifecycle: (() => void) | undefined
  const onLeave = () => {
    if (!queue.size || optedOut) return
    disarm()
    // The server answered the last batch with a retryable status (5xx, 429): a beacon's fate is
    // unknown and likely the same. It goes anyway (the page may be closing), and the events stay
    // queued for the retry, which the server dedups by id. The drop count, which it would not
    // dedup, waits for the retry alone.
    const drops = failing ? pending : 0
    pending -= drops
    const [env, sent] = send(queue.size, true, !failing)
    if (failing) {
      // A last chance, not an attempt: it uses none of the events' retries.
      return (flying -= env.events.length), putBack(env), (pending += drops), arm()
    }
    bytes = 0
    // What fails while the page is only hidden is retried as a flush's would be.
    const answered = sent.then((r) => {
      leaving.delete(answered)
      if (closed) return // shutdown stopped waiting for it and counted it failed
      settle(env, r)
      if (queue.size) arm(Math.max(blockedUntil - Date.now(), 0))
    })
    leaving.add(answered)
  }

  const t: Telemetry<C> = {
    catalog,
    track(name: string, attrs?: Record<string, unknown>, opts?: TrackOptions) {
      // After shutdown() an event is refused, and counted: it would otherwise vanish without a
      // trace. `enabled: false` is a no-op, as an opted-out user is.
      if (optedOut || closed) return void (closed && options.enabled !== false && !optedOut && reject(name, 'client shut down'))
      try {
        const spec = typeof name == 'string' && own(catalog.events, name) && catalog.events[name]
        if (!spec) return reject(name, 'not in the catalog')
        const now = Date.now()
        // A per-call session id that is not an id refuses the event: it belongs to someone else's
        // session, not this client's. A per-call user id that is not one, or null, sends none.
        const sid = opts?.sessionId ?? sessionId
        if (sid !== sessionId && !isId(sid)) return reject(name, 'sessionId is not an id')
        const e = { id: uuidv7(now), event: name, ts: now, session_id: sid } as WireEvent
        const uid = opts?.userId !== undefined ? asId(opts.userId, 'userId') : userId
        if (uid) e.user_id = uid
        // Production builds say which attribute and what is wrong in one word (`body forbidden`).
        const problem = checkAttrs(catalog, spec, attrs ?? {}, 'strip', e)
        if (problem) return reject(name, dev ? describe(spec, problem) : problem.join(' '))
        const w = weigh(e)
        if (w > MAX_EVENT_BYTES) return reject(name, `larger than ${MAX_EVENT_BYTES} bytes`)
        drop(+queue.push(e))
        if (!stopLifecycle) {
          stopLifecycle = () => {}
          try {
            stopLifecycle = host.onLifecycle?.(onLeave) ?? stopLifecycle
          } catch {} // a host without a working document: no page-hide send, the rest works
        }
        // Frozen first: a subscriber cannot change what is sent after the guardrails ran. An
        // event a subscriber tracks (the PSR's psr.shown after prompt_copied) reaches every
        // subscriber after the event that caused it, as on the wire.
        // At most 1000 in a row: a subscriber that tracks an event for every event it sees must
        // not hang the page (the events are still sent).
        if (listeners.size && notify.length < 1e3 && notify.push(Object.freeze(e)) == 1) {
          for (const n of notify)
            listeners.forEach((l) => {
              try {
                l(n)
              } catch {} // a subscriber's bug must not lose the event
            })
          notify.length = 0
        }
        // A batch is full at batchSize events or 12,000 characters (up to 36 KB of UTF-8): with a
        // 24 KB request in flight, what is queued when the page goes away usually fits the 64 KiB
        // quota.
        if (spec.priority || queue.size >= batchSize || (bytes += w) > 12e3) {
          if (!soon) (soon = true), queueMicrotask(() => ((soon = false), void flush()))
        } else arm()
      } catch (err) {
        reject(name, err)
      }
    },
    flush,
    shutdown: (timeoutMs = 5000) =>
      (done ??= (async () => {
        stopLifecycle?.()
        // A referenced timer, unlike the host's: it keeps Node alive while shutdown waits, and
        // is cleared after, so it does not keep it alive longer.
        let nap: ReturnType<typeof setTimeout> | undefined
        const sleep = (ms: number) => new Promise<0>((ok) => (nap = setTimeout(ok, ms, 0)))
        const end = Date.now() + (timeoutMs >= 0 ? Math.min(timeoutMs, 2 ** 31 - 1) : 5000) // a timer's longest
        // The first attempt goes at once, unless the server asked to wait (Retry-After) and that
        // fits in the deadline; retries wait as backoff and Retry-After ask, until the deadline.
        // A sink that never answers cannot hold shutdown past it.
        blockedUntil = askedUntil < end ? askedUntil : 0
        // A flush already sending is waited for too: its batch may still get through, or be retried.
        while ((queue.size || running || leaving.size) && !optedOut) {
          const wait = Math.max(blockedUntil - Date.now(), 0)
          const left = end - Date.now() - wait
          if (left < 0) break
          if (wait) await sleep(wait)
          const sent = await Promise.race([Promise.all([flush(), ...leaving]).then(() => 1), sleep(left)])
          clearTimeout(nap)
          if (!sent) break
        }
        closed = true
        disarm()
        // Still queued, or sent but not answered by the deadline: counted failed now, and a late
        // answer changes nothing.
        const lost = queue.size + flying
        stop.abort()
        if (lost) {
          s.failed += lost
          warn('fail', `shutdown: ${lost} events unsent`)
          queue.clear()
          flying = 0
        }
      })()),
    identify(id) {
      userId = asId(id, 'identify()')
      userId && !optedOut ? store?.set(UID, userId) : store?.remove(UID)
    },
    reset() {
      t.identify(null)
      sessionId = newSession()
    },
    optOut() {
      optedOut = true
      bytes = 0
      s.dropped += queue.size
      store?.set(OPT, '1')
      store?.remove(UID)
      session?.remove(SID)
      queue.clear()
    },
    optIn() {
      optedOut = false
      store?.set(OPT, '0')
      t.identify(userId ?? null)
      session?.set(SID, sessionId)
    },
    get optedOut() {
      return optedOut
    },
    stats: () => ({ ...s, queued: queue.size + flying }),
    context: () => ({ sessionId, userId, endpoint, writeKey, host }),
    subscribe(l) {
      listeners.add(l)
      return () => void listeners.delete(l)
    },
  } as Telemetry<C>
  return t
}
