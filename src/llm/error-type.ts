import { idOf } from './attrs'

const CODE = /^[\w.:-]{1,64}$/

/**
 * A low-cardinality `error.type` for an error (OpenTelemetry's rule): the provider's or the
 * library's error code, else the exception's name, else the HTTP status, else `_OTHER`.
 * The message is never used: it can quote the prompt.
 * @example errorType(Object.assign(new Error('...'), { status: 429, code: 'rate_limit_exceeded' })) // 'rate_limit_exceeded'
 */
export function errorType(error: unknown): string {
  try {
    // The same cleaning as every other id of the call: at most 64 of A-Z a-z 0-9 _ . : -, never a credential.
    return idOf(classOf(error), 64) ?? '_OTHER'
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
    // Code-shaped only, as for a bare string: a library that puts a sentence there gets _OTHER.
    if (typeof e.code == 'string' && CODE.test(e.code)) return e.code
    if (typeof e.name == 'string' && CODE.test(e.name) && e.name != 'Error') return e.name
    if (typeof e.status == 'number' && Number.isInteger(e.status)) return String(e.status)
  }
}
