import cookie from '@fastify/cookie'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { operatorAccess, readSession, serviceCall } from './auth'
import type { ServerConfig } from './config'
import dashboard from './dashboard/index'
import { dbWait, HttpError } from './errors'
import { jsonHttp } from './http'
import { observe } from './observe'
import { trustHops } from './proxy'
import reports from './reports/index'
import { authRoutes } from './routes/auth'
import { eventsRoute } from './routes/events'
import { healthRoute } from './routes/health'
import { psrRoute } from './routes/psr'
import { statsRoutes } from './routes/stats'
import type { EventWriter, Store } from './store'
import type { Tracing } from './tracing'

const RATE_LIMITED = new Set(['/telemetry/events', '/psr', '/auth/demo-login', '/auth/operator-login', '/auth/logout'])
const POSTS = RATE_LIMITED

/** A browser POST from a page whose origin is neither allowed nor the server's own. */
function foreignOrigin(req: FastifyRequest, allowed: string[]): boolean {
  const origin = req.headers.origin
  if (!origin || allowed.includes(origin)) return false
  return origin !== `${req.protocol}://${req.host}`
}

/** Builds the Fastify app: plugins, hooks, routes. Listening and closing belong to startServer. */
export async function buildApp(o: { config: ServerConfig; store: Store; writer: EventWriter; tracing: Tracing }): Promise<FastifyInstance> {
  const { config, store, writer, tracing } = o
  const tp = config.trustProxy
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    // One access line per request from our onResponse hook, with ingest counts and no query string.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    routerOptions: {
      // Ids are up to 128 characters (the stats route takes one in the path), percent-encoded up to 3x.
      maxParamLength: 400,
    },
    // A malformed or over-long path answers in the same shape as every other error.
    frameworkErrors: (err, req, reply) => {
      const status = (err as { statusCode?: number }).statusCode ?? 400
      void (reply as FastifyReply).code(status >= 400 && status < 500 ? status : 400).send({ error: err.message, code: (err as { code?: string }).code, trace_id: req.traceId || null })
    },
    // A request that is not HTTP (a bad chunk size, Content-Length beside Transfer-Encoding, a
    // header name with a space) answers in that shape too, with a reason, before the socket closes.
    clientErrorHandler: (err, socket) => {
      const code = (err as NodeJS.ErrnoException).code
      if (code == 'ECONNRESET' || socket.destroyed) return
      const [status, text, reason] =
        code == 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'the request did not arrive in time']
        : code == 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'the request headers are too large']
        : [400, 'Bad Request', `malformed HTTP request (${String(code ?? 'unknown').slice(0, 40)})`]
      const body = JSON.stringify({ error: reason, trace_id: null })
      if (socket.writable) socket.write(`HTTP/1.1 ${status} ${text}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`)
      socket.destroy(err)
    },
    // Node checks requestTimeout only every few seconds; the socket timeout cuts a silent client
    // at once, and requestTimeout one that trickles a byte now and then.
    connectionTimeout: config.requestTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    // Node's own 60 s headers timeout, above the request timeout, would keep a request whose
    // headers came whole but whose body trickles in a byte at a time open forever; and it checks
    // every 30 s unless told otherwise.
    http: { headersTimeout: config.requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs) },
    // A hop count or addresses, never Fastify's `true`: that takes the first X-Forwarded-For
    // address, which the client writes itself (a fresh one per request escaped the rate limit).
    // Fastify refuses a bare count, as it cannot tell a proxy from a client: a counted proxy must
    // connect from a private or loopback address.
    trustProxy: typeof tp == 'string' ? tp : tp ? trustHops(+tp) : false,
  })
  observe(app, { tracing, writer })
  jsonHttp(app, config)

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
    // A backend with the service token is one trusted caller for many users: not limited per IP.
    allowList: (req) => !RATE_LIMITED.has(req.routeOptions.url ?? '') || serviceCall(req, config),
    // Sign-ins count per IP: keyed by session, each new demo session would be a fresh allowance
    // (and the service token's login could be guessed without end).
    keyGenerator: (req) => {
      const s = !req.routeOptions.url?.startsWith('/auth/') && readSession(req, config.now())
      return s ? `u:${s.userId}` : `ip:${req.ip}`
    },
    errorResponseBuilder: (_req, ctx) =>
      new HttpError(ctx.statusCode, `rate limit exceeded: at most ${ctx.max} requests per minute, retry in ${ctx.after}`),
  })

  app.addHook('onRequest', async (req) => {
    if (req.method === 'POST' && POSTS.has(req.routeOptions.url ?? '') && foreignOrigin(req, config.allowedOrigins))
      throw new HttpError(403, 'origin not allowed (set ALLOWED_ORIGINS)')
  })

  healthRoute(app, { store, started: Date.now(), waitMs: dbWait(config.requestTimeoutMs) })
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
      // '/examples/basic' redirects to '/examples/basic/'
      prefix: s.prefix === '/' ? '/' : s.prefix.replace(/\/+$/, ''),
      decorateReply: i === 0,
      index: ['index.html'],
      // At the root, serve the files that exist rather than claim every unknown GET.
      redirect: s.prefix !== '/',
      wildcard: s.prefix !== '/',
    }),
  )
  return app
}
