const SAFE = /[^\w.:-]+/g

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
  if (typeof error == 'string') return clean(error) ?? '_OTHER'
  if (error && typeof error == 'object') {
    const e = error as { code?: unknown; name?: unknown; status?: unknown }
    if (typeof e.code == 'string' && e.code) return clean(e.code) ?? '_OTHER'
    if (typeof e.name == 'string' && e.name && e.name != 'Error') return clean(e.name) ?? '_OTHER'
    if (typeof e.status == 'number' && Number.isInteger(e.status)) return String(e.status)
  }
  return '_OTHER'
}
