import cookie from '@fastify/cookie'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import { SpanStatusCode, type Span } from '@opentelemetry/api'
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify'
import { operatorAccess, readSession } from './auth'
import type { ServerConfig } from './config'
import dashboard from './dashboard/index'
import { HttpError } from './errors'
import reports from './reports/index'
import { authRoutes } from './routes/auth'
import { eventsRoute } from './routes/events'
import { healthRoute } from './routes/health'
import { psrRoute } from './routes/psr'
import { statsRoutes } from './routes/stats'
import type { EventWriter, Store } from './store'
import type { Tracing } from './tracing'

declare module 'fastify' {
  interface FastifyRequest {
    span: Span
    traceId: string
    /** Set by the events route for the access log. */
    ingest: { accepted: number; rejected: number } | null
  }
  interface FastifyInstance {
    /** Requests being handled right now (close() waits for them before cutting connections). */
    inflight(): number
  }
}

const RATE_LIMITED = new Set(['/telemetry/events', '/psr', '/auth/demo-login', '/auth/operator-login', '/auth/logout'])
const POSTS = RATE_LIMITED

/** The request line for logs: never the query string, where a write key may travel. */
const pathOf = (req: FastifyRequest) => req.url.split('?', 1)[0]!.slice(0, 200)

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

/** A browser POST from a page whose origin is neither allowed nor the server's own. */
function foreignOrigin(req: FastifyRequest, allowed: string[]): boolean {
  const origin = req.headers.origin
  if (!origin || allowed.includes(origin)) return false
  return origin !== `${req.protocol}://${req.host}`
}

/** Builds the Fastify app: plugins, hooks, routes. Listening and closing belong to startServer. */
export async function buildApp(o: { config: ServerConfig; store: Store; writer: EventWriter; tracing: Tracing }): Promise<FastifyInstance> {
  const { config, store, writer, tracing } = o
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    // One access line per request from our onResponse hook, with ingest counts and no query string.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    trustProxy: config.trustProxy ?? false,
  })
  app.decorateRequest('span', null as unknown as Span)
  app.decorateRequest('traceId', '')
  app.decorateRequest('ingest', null)
  let inflight = 0
  app.decorate('inflight', () => inflight)
  app.addHook('onRequest', async () => void inflight++)
  app.addHook('onResponse', async () => void inflight--)

  // Beacons send text/plain; the same secure parser (prototype poisoning refused) serves both.
  const json = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (req, body, done) =>
    json(req, body, (err, value) => done(err ? new HttpError(400, jsonError(String(body))) : null, value)),
  )

  app.addHook('onRequest', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown route'
    req.span = tracing.startRequest(`${req.method} ${route}`, req.headers, {
      'http.request.method': req.method,
      'http.route': route,
      'url.path': pathOf(req),
    })
    req.traceId = req.span.spanContext().traceId
    reply.header('x-trace-id', req.traceId)
    reply.header('traceparent', tracing.traceparent(req.span))
  })

  await app.register(cors, {
    origin: (origin, cb) => cb(null, !!origin && config.allowedOrigins.includes(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'traceparent', 'tracestate'],
    exposedHeaders: ['x-trace-id', 'traceparent', 'retry-after'],
    maxAge: 600,
  })
  await app.register(cookie, { secret: config.cookieSecret })
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    allowList: (req) => !RATE_LIMITED.has(req.routeOptions.url ?? ''),
    keyGenerator: (req) => {
      const s = readSession(req, config.now())
      return s ? `u:${s.userId}` : `ip:${req.ip}`
    },
    errorResponseBuilder: (_req, ctx) =>
      new HttpError(ctx.statusCode, `rate limit exceeded: at most ${ctx.max} requests per minute, retry in ${ctx.after}`),
  })

  app.addHook('onRequest', async (req) => {
    if (req.method === 'POST' && POSTS.has(req.routeOptions.url ?? '') && foreignOrigin(req, config.allowedOrigins))
      throw new HttpError(403, 'origin not allowed (set ALLOWED_ORIGINS)')
  })

  // Counted before the answer leaves, so a flush after it includes this request.
  app.addHook('onSend', async (req, reply) => {
    if (req.routeOptions.url === '/telemetry/events')
      writer.count({ requests: 1, requests_rejected: reply.statusCode >= 400 ? 1 : 0, bytes_received: Number(req.headers['content-length']) || 0 })
  })

  app.addHook('onResponse', async (req, reply) => {
    const status = reply.statusCode
    const route = req.routeOptions.url
    const span = req.span
    if (span) {
      span.setAttribute('http.response.status_code', status)
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
      span.end()
    }
    req.log.info(
      {
        method: req.method,
        path: pathOf(req),
        route,
        status,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        bytes_in: Number(req.headers['content-length']) || 0,
        trace_id: req.traceId,
        ...(req.ingest ?? {}),
      },
      'request',
    )
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
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${pathOf(req)}`, trace_id: req.traceId || null }))

  healthRoute(app, { store, started: Date.now() })
  authRoutes(app, { config })
  eventsRoute(app, { config, writer, tracing })
  psrRoute(app, { config, store })

  // Operator routes: the service token as a bearer, or an operator session cookie.
  await app.register(async (operator) => {
    operator.addHook('onRequest', async (req) => {
      const access = operatorAccess(req, config)
      if (access === 401) throw new HttpError(401, 'operator routes need Authorization: Bearer <service token>', {}, { 'www-authenticate': 'Bearer' })
      if (access === 403) throw new HttpError(403, 'not an operator')
    })
    statsRoutes(operator, { store })
    await operator.register(reports, { store, config })
  })
  await app.register(dashboard, { store, config })

  config.static?.forEach((s, i) =>
    app.register(fastifyStatic, {
      root: s.root,
      prefix: s.prefix.endsWith('/') ? s.prefix : s.prefix + '/',
      decorateReply: i === 0,
      index: ['index.html'],
      redirect: true,
      // At the root, serve the files that exist rather than claim every unknown GET.
      wildcard: s.prefix !== '/',
    }),
  )
  return app
}
