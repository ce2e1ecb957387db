import type { FastifyInstance } from 'fastify'
import type { ServerConfig } from './config'
import { HttpError } from './errors'
import { pathOf } from './observe'

/** Says why a body did not parse; runs only on failure. */
function jsonError(body: string): string {
  if (body.length == 0) return 'body is empty'
  try {
    JSON.parse(body)
    return 'body must not contain "__proto__" or "constructor": {"prototype"} keys'
  } catch (e) {
    return `body is not valid JSON: ${(e as Error).message.slice(0, 120)}`
  }
}

/**
 * JSON bodies as application/json or text/plain (beacons), parsed by Fastify's secure parser
 * (prototype poisoning refused); every error answered as `{ error, trace_id }`, never a stack.
 */
export function jsonHttp(app: FastifyInstance, config: ServerConfig) {
  // Beacons send text/plain; the same secure parser (prototype poisoning refused) serves both.
  const json = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (req, body, done) => {
    req.bodyBytes = Buffer.byteLength(body as string)
    // The body is read as UTF-8: another charset would be stored as replacement characters.
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1]
    if (charset != null && !/^(utf-?8|us-ascii)$/i.test(charset)) return done(new HttpError(415, `charset ${charset.slice(0, 32)} is not supported; send UTF-8`))
    // Signing out reads no body: an empty one with a JSON content type is no error.
    if (!body && req.routeOptions.url == '/auth/logout') return done(null, undefined)
    json(req, body as string, (err, value) => {
      if (!err) return done(null, value)
      // On the events route a poisoning key costs only the event that holds it: plain JSON.parse
      // makes it an own property (no prototype is touched), the envelope check and the catalog
      // refuse it as an unknown key, and the valid events beside it are stored.
      if (req.routeOptions.url == '/telemetry/events')
        try {
          return done(null, JSON.parse(body as string))
        } catch {}
      done(new HttpError(400, jsonError(String(body))))
    })
  })

  // Bodies are read as they come: a compressed one would be parsed as garbage or, worse, as
  // plain JSON while its header says otherwise.
  app.addHook('preParsing', async (req) => {
    const encoding = req.headers['content-encoding']
    if (encoding && encoding.toLowerCase() !== 'identity') throw new HttpError(415, `content-encoding ${encoding.slice(0, 32)} is not supported; send the body uncompressed`)
  })

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
    if (status >= 500) req.log.error({ err: err.cause ?? err, path: pathOf(req) }, 'request failed')
    const known = err instanceof HttpError || status < 500
    const message =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `body larger than ${req.routeOptions.bodyLimit ?? config.bodyLimit} bytes`
        : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'content type must be application/json or text/plain'
          : known
            ? err.message
            : 'internal error'
    const extra = err instanceof HttpError ? err.extra : err.code?.startsWith('FST_') ? { code: err.code } : {}
    if (err instanceof HttpError) reply.headers(err.headers)
    return reply.code(status).send({ error: message, ...extra, trace_id: req.traceId || null })
  })
  // A path that exists under other methods is a 405 naming them (RFC 9110), not a 404.
  const routes: { method: string; path: RegExp }[] = []
  app.addHook('onRoute', (r) => {
    const path = new RegExp('^' + r.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+') + '/?$')
    for (const method of [r.method].flat()) routes.push({ method, path })
  })
  app.setNotFoundHandler((req, reply) => {
    const path = pathOf(req)
    const allow = [...new Set(routes.filter((r) => r.path.test(path)).map((r) => r.method))]
    // A CORS preflight the CORS plugin let through came from an origin that is not allowed.
    if (allow.length && req.method == 'OPTIONS' && req.headers['access-control-request-method'])
      return reply.code(403).send({ error: `origin ${String(req.headers.origin).slice(0, 100)} is not allowed (ALLOWED_ORIGINS)`, trace_id: req.traceId || null })
    // The method is served one slash away: a 404 that says where (not a 405 that names the method).
    if (allow.includes(req.method)) {
      const other = path.endsWith('/') ? path.slice(0, -1) : path + '/'
      return reply.code(404).send({ error: `no route ${req.method} ${path}; did you mean ${other}?`, trace_id: req.traceId || null })
    }
    if (allow.length)
      return reply
        .code(405)
        .header('allow', allow.join(', '))
        .send({ error: `${req.method} is not allowed on ${path}; use ${allow.join(', ')}`, trace_id: req.traceId || null })
    return reply.code(404).send({ error: `no route ${req.method} ${path}`, trace_id: req.traceId || null })
  })
}
