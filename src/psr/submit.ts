/** What `POST /psr` takes. */
export interface PsrBody {
  prompt_id: string
  version?: string | undefined
  rating: number
  note?: string | undefined
  source: PsrSource
  write_key?: string | undefined
}

/** What `POST /psr` answers: the prompt's aggregate after this rating. */
export interface PsrResult {
  avg_rating: number | null
  total_ratings: number | null
}

export type PsrSource = 'copy' | 'duplicate' | 'manual' | 'other'

export interface SubmitPsrOptions {
  /** The full URL of the PSR endpoint (see `psrUrl`). */
  url: string
  /** `include` sends cookies to another origin; the default leaves fetch's `same-origin`. */
  credentials?: 'omit' | 'same-origin' | 'include' | undefined
  /** Give up after this long, ms. Default 10000. */
  timeoutMs?: number | undefined
  fetch?: typeof fetch | undefined
}

const TEXT = 'text/plain;charset=UTF-8' // CORS-safelisted: no preflight

/**
 * The PSR endpoint next to the events endpoint: `/telemetry/events` -> `/psr`,
 * `https://api.example.com/v1/telemetry/events` -> `https://api.example.com/v1/psr`.
 * An endpoint that does not end in `/telemetry/events` gets `/psr` at its origin's root.
 * @example psrUrl(client.context().endpoint) // '/psr'
 */
export function psrUrl(eventsEndpoint?: string): string {
  const path = (eventsEndpoint ?? '').replace(/[?#].*$/, '')
  const tail = /\/telemetry\/events\/?$/
  if (tail.test(path)) return path.replace(tail, '/psr')
  const origin = /^[a-z][a-z\d+.-]*:\/\/[^/]+/i.exec(path)
  return (origin ? origin[0] : '') + '/psr'
}

/**
 * Sends one rating. Resolves with the server's aggregate; rejects on a network error,
 * a timeout or a non-2xx answer (the caller decides how quiet to be).
 * @example await submitPsr({ prompt_id: 'p-1', rating: 5, source: 'copy' }, { url: '/psr' })
 */
export async function submitPsr(body: PsrBody, o: SubmitPsrOptions): Promise<PsrResult> {
  const ctl = new AbortController()
  const timer = setTimeout(() => ctl.abort(), o.timeoutMs ?? 10_000)
  try {
    const init: RequestInit = { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': TEXT }, signal: ctl.signal }
    if (o.credentials) init.credentials = o.credentials
    const res = await (o.fetch ?? fetch)(o.url, init)
    if (!res.ok) throw new Error(`POST ${o.url} answered ${res.status}`)
    const json = (await res.json().catch(() => ({}))) as Partial<PsrResult>
    return { avg_rating: num(json.avg_rating), total_ratings: num(json.total_ratings) }
  } finally {
    clearTimeout(timer)
  }
}

// PostgreSQL's numeric arrives as a string from some drivers: "4.50".
const num = (v: unknown) => (v !== '' && v != null && typeof v != 'boolean' && isFinite(+v) ? +v : null)
