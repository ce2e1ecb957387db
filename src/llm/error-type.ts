import { looksSensitive } from '../core/guardrails'

const SAFE = /[^\w.:-]+/g
const CODE = /^[\w.:-]{1,64}$/

/** Cleaned to an id, unless the raw value holds an email or a credential. */
const safe = (s: string) => (looksSensitive(s) ? undefined : clean(s))

const clean = (s: string): string | undefined => {
  const v = s.replace(SAFE, '_').slice(0, 64)
  return v && v != '_' ? v : undefined
}

/**
 * A low-cardinality `error.type` for an error (OpenTelemetry's rule): the provider's or the
 * library's error code, else the exception's name, else the HTTP status, else `_OTHER`.
 * The message is never used: it can quote the prompt.
 * @example errorType(Object.assign(new Error('...'), { status: 429, code: 'rate_limit_exceeded' })) // 'rate_limit_exceeded'
 */
export function errorType(error: unknown): string {
  try {
    const type = classOf(error)
    return type && !looksSensitive(type) ? type : '_OTHER'
  } catch {
    return '_OTHER' // a getter that throws, a revoked Proxy
  }
}

function classOf(error: unknown): string | undefined {
  // A bare string is taken only when it is shaped like a code (rate_limit_exceeded): a sentence
  // is a message, and a message can quote the prompt.
  if (typeof error == 'string') return CODE.test(error) ? error : undefined
  if (error && typeof error == 'object') {
    const e = error as { code?: unknown; name?: unknown; status?: unknown }
    if (typeof e.code == 'string' && e.code) return safe(e.code)
    if (typeof e.name == 'string' && e.name && e.name != 'Error') return safe(e.name)
    if (typeof e.status == 'number' && Number.isInteger(e.status)) return String(e.status)
  }
}
