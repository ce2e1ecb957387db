/** A 4xx answer with a JSON body `{ error, ...extra }`, thrown from a handler or hook. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

/** 401 or 403 for a caller without a usable credential. */
export function authError(kind: 'none' | 'bad_key' | 'malformed_key', what = 'a session cookie or a project write key (write_key in the body or ?key=)') {
  if (kind === 'malformed_key') return new HttpError(400, 'the write key must be one string (write_key in the body or one ?key=)')
  return kind === 'none' ? new HttpError(401, `authentication required: ${what}`) : new HttpError(403, 'unknown write key')
}

/**
 * The promise, or a rejection once `ms` passed: a database that hangs (rather than refusing
 * connections) gets an answer, a 503 the SDK retries, before the connection is cut. The work goes
 * on; a retried event is stored once by id.
 */
export function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout>
  const late = new Promise<never>((_, no) => (timer = setTimeout(() => no(new Error(`the database did not answer in ${ms} ms`)), ms)))
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}

/** How long a request waits for the database: most of REQUEST_TIMEOUT_MS, which would cut it. */
export const dbWait = (requestTimeoutMs: number) => Math.max(50, Math.floor(requestTimeoutMs * 0.8))

/**
 * What a failed database write becomes: a 400 when PostgreSQL refused the data itself
 * (SQLSTATE class 22, data exception), else a 503 the SDK retries later.
 */
export function storageError(e: unknown): HttpError {
  const code = (e as { code?: unknown })?.code
  const err =
    typeof code == 'string' && code.startsWith('22')
      ? new HttpError(400, `the database refused the data: ${(e as Error).message}`)
      : new HttpError(503, 'storage unavailable, retry later', {}, { 'retry-after': '5' })
  err.cause = e
  return err
}
