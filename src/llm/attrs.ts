import { isDev } from '../core/dev'
import type { GenAiOperation } from './events'
import type { GenerationUsage } from './usage'

/** What is known when a call starts. */
export interface GenerationInit {
  /** `gen_ai.provider.name`: openai, anthropic, gcp.gemini, aws.bedrock, ... */
  provider: string
  /** `gen_ai.request.model`: the model asked for. */
  model: string
  /** `gen_ai.operation.name`. Default `chat`. */
  operation?: GenAiOperation
  streaming?: boolean
  promptId?: string
  promptVersion?: string
  conversationId?: string
  /** W3C trace id (32 hex) of the request, to join server traces. */
  traceId?: string
  /** SHA-256 hex of a normalized generated query (see `hash()`); never the query itself. */
  queryFingerprint?: string
}

/** What is known when a call ends. */
export interface GenerationResult {
  usage?: GenerationUsage
  /** `gen_ai.response.model`: the model that answered. */
  responseModel?: string
  /** `gen_ai.response.id`, e.g. `chatcmpl-123`. */
  responseId?: string
  finishReasons?: readonly string[]
  offTopic?: boolean
}

/** The attributes of one `llm.generation` event, before the catalog check. */
export type GenerationAttrs = Record<string, string | number | boolean | readonly string[] | undefined>

/**
 * The part of a telemetry client the LLM helpers need: any client whose catalog holds the
 * `llm.*` events (the built-in catalog does). The helpers build the attributes themselves.
 */
export interface LlmTracker {
  // `any`: the attributes are typed per event by the client's own catalog, and built right here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  track(name: 'llm.generation' | 'llm.step', attrs: any): void
}

/** A measured time in whole ms, at least 1; null when not measured (never 0). */
export const measured = (ms: number | null | undefined): number | undefined =>
  typeof ms == 'number' && Number.isFinite(ms) && ms > 0 ? Math.max(1, Math.round(ms)) : undefined

/** A duration in whole ms (0 allowed: a step can be quicker than the clock's resolution). */
export const duration = (ms: number): number => (Number.isFinite(ms) && ms > 0 ? Math.round(ms) : 0)

const count = (v: number | null | undefined): number | undefined =>
  typeof v == 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined

let warned = false

export function generationAttrs(
  id: string,
  init: GenerationInit,
  result: GenerationResult,
  timing: { durationMs: number; ttfbMs?: number | null; ttftMs?: number | null },
  failure?: { type: string; step?: string },
): GenerationAttrs {
  const u = result.usage ?? {}
  const input = count(u.inputTokens)
  const read = count(u.cacheReadTokens)
  const write = count(u.cacheCreationTokens)
  if (isDev() && !warned && input != null && (read ?? 0) + (write ?? 0) > input) {
    warned = true
    console.warn('[prompt-telemetry] inputTokens must include cache reads and writes (see usageFromAnthropic())')
  }
  return {
    generation_id: id,
    'gen_ai.operation.name': init.operation ?? 'chat',
    'gen_ai.provider.name': init.provider,
    'gen_ai.request.model': init.model,
    'gen_ai.response.model': result.responseModel,
    'gen_ai.response.id': result.responseId,
    'gen_ai.response.finish_reasons': result.finishReasons,
    'gen_ai.conversation.id': init.conversationId,
    'gen_ai.usage.input_tokens': input,
    'gen_ai.usage.output_tokens': count(u.outputTokens),
    'gen_ai.usage.cache_read.input_tokens': read,
    'gen_ai.usage.cache_creation.input_tokens': write,
    'gen_ai.usage.reasoning.output_tokens': count(u.reasoningTokens),
    'error.type': failure?.type,
    status: failure ? 'error' : 'ok',
    streaming: init.streaming,
    duration_ms: duration(timing.durationMs),
    ttfb_ms: measured(timing.ttfbMs),
    ttft_ms: measured(timing.ttftMs),
    failed_step: failure?.step,
    off_topic: result.offTopic,
    query_fingerprint: init.queryFingerprint,
    prompt_id: init.promptId,
    version: init.promptVersion,
    trace_id: init.traceId,
  }
}

export function stepAttrs(id: string, init: GenerationInit, step: string, durationMs: number, ok: boolean): GenerationAttrs {
  return {
    generation_id: id,
    step,
    duration_ms: duration(durationMs),
    status: ok ? 'ok' : 'error',
    'gen_ai.request.model': init.model,
    trace_id: init.traceId,
    prompt_id: init.promptId,
  }
}
