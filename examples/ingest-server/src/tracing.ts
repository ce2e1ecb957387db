import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace, type Span, type Tracer } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-node'

export interface Tracing {
  tracer: Tracer
  /** A server span continuing the caller's `traceparent` when there is one. */
  startRequest(name: string, headers: Record<string, unknown>, attributes: Record<string, string | number>): Span
  /** A child of `parent`, ended when fn settles. */
  child<T>(parent: Span, name: string, fn: (span: Span) => Promise<T>): Promise<T>
  /** The `traceparent` value that names this span, for the response. */
  traceparent(span: Span): string
  shutdown(): Promise<void>
}

/**
 * OpenTelemetry for one server: its own provider (nothing global, so several servers can
 * live in one process), W3C trace context in and out, spans handed to `exporter` in batches.
 * Without an exporter spans are still made, so every response carries a trace id.
 */
export function createTracing(exporter?: SpanExporter): Tracing {
  const provider = new NodeTracerProvider({ spanProcessors: exporter ? [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })] : [] })
  const tracer = provider.getTracer('prompt-telemetry-ingest-server')
  const propagator = new W3CTraceContextPropagator()
  return {
    tracer,
    startRequest(name, headers, attributes) {
      const parent = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter)
      return tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent)
    },
    async child(parent, name, fn) {
      const span = tracer.startSpan(name, {}, trace.setSpan(ROOT_CONTEXT, parent))
      try {
        return await fn(span)
      } catch (e) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(e) })
        throw e
      } finally {
        span.end()
      }
    },
    traceparent(span) {
      const carrier: Record<string, string> = {}
      propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter)
      return carrier.traceparent ?? ''
    },
    shutdown: () => provider.shutdown(),
  }
}
