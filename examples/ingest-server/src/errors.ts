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
