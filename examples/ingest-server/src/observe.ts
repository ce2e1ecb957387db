import { SpanStatusCode, type Span } from '@opentelemetry/api'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { EventWriter } from './store'
import type { Tracing } from './tracing'

declare module 'fastify' {
  interface FastifyRequest {
    span: Span
    traceId: string
    /** Set by the events route for the access log. */
    ingest: { accepted: number; rejected: number } | null
    /** Bytes of the body actually read and parsed: never the client's Content-Length claim. */
    bodyBytes: number
  }
  interface FastifyInstance {
    /** Requests being handled right now (close() waits for them before cutting connections). */
    inflight(): number
  }
}

/** The request line for logs: never the query string, where a write key may travel. */
export const pathOf = (req: FastifyRequest) => req.url.split('?', 1)[0]!.slice(0, 200)

/**
 * Per request: an OpenTelemetry server span (trace id in x-trace-id and traceparent), the
 * ingest counts of the events route, one JSON access line, and the in-flight count.
 */
export function observe(app: FastifyInstance, o: { tracing: Tracing; writer: EventWriter }) {
  const { tracing, writer } = o
  app.decorateRequest('span', null as unknown as Span)
  app.decorateRequest('traceId', '')
  app.decorateRequest('ingest', null)
  app.decorateRequest('bodyBytes', 0)
  let inflight = 0
  app.decorate('inflight', () => inflight)

  const started = new WeakMap<FastifyRequest, number>()
  app.addHook('onRequest', async (req, reply) => {
    inflight++
    started.set(req, performance.now())
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

  // Counted before the answer leaves, so a flush after it includes this request.
  app.addHook('onSend', async (req, reply) => {
    if (req.routeOptions.url === '/telemetry/events')
      writer.count({ requests: 1, requests_rejected: reply.statusCode >= 400 ? 1 : 0, bytes_received: req.bodyBytes })
  })

  // Once per request: when its answer has gone, or when its connection closed before one (the
  // client gave up, or a timeout cut it), which is logged with status 499 and as an error span.
  const done = new WeakSet<FastifyRequest>()
  const finish = (req: FastifyRequest, status: number, ms: number) => {
    if (done.has(req)) return
    done.add(req)
    inflight--
    const span = req.span
    if (span) {
      span.setAttribute('http.response.status_code', status)
      if (status >= 499) span.setStatus({ code: SpanStatusCode.ERROR })
      span.end()
    }
    req.log.info(
      {
        method: req.method,
        path: pathOf(req),
        route: req.routeOptions.url,
        status,
        ms: Math.round(ms * 10) / 10,
        bytes_in: req.bodyBytes,
        trace_id: req.traceId,
        ...(req.ingest ?? {}),
        ...(status == 499 ? { aborted: true } : {}),
      },
      'request',
    )
  }
  app.addHook('onResponse', async (req, reply) => finish(req, reply.statusCode, reply.elapsedTime))
  app.addHook('onRequestAbort', async (req) => finish(req, 499, performance.now() - (started.get(req) ?? performance.now())))
}
