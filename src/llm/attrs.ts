import { isDev } from '../core/dev'
import { clamp, looksSensitive } from '../core/guardrails'
import { HEX64 } from '../core/validate'
import { GEN_AI_OPERATIONS, type GenAiOperation } from './events'
import type { GenerationUsage } from './usage'

/** What is known when a call starts. */
export interface GenerationInit {
  /** `gen_ai.provider.name`: openai, anthropic, gcp.gemini, aws.bedrock, ... */
  provider: string
  /** `gen_ai.request.model`: the model asked for. */
  model: string
  /** `gen_ai.operation.name`. Default `chat`. */
  operation?: GenAiOperation | undefined
  streaming?: boolean | undefined
  promptId?: string | undefined
  promptVersion?: string | undefined
  conversationId?: string | undefined
  /** W3C trace id (32 hex) of the request, to join server traces. */
  traceId?: string | undefined
  /** SHA-256 hex of a normalized generated query (see `hash()`); never the query itself. */
  queryFingerprint?: string | undefined
  /** The user the call was made for, on a server serving many (as `track(…, { userId })`); default the client's. */
  userId?: string | undefined
  /** Their session, likewise; default the client's. */
  sessionId?: string | undefined
}

/** What is known when a call ends. */
export interface GenerationResult {
  usage?: GenerationUsage | undefined
  /** `gen_ai.response.model`: the model that answered. */
  responseModel?: string | undefined
  /** `gen_ai.response.id`, e.g. `chatcmpl-123`. */
  responseId?: string | undefined
  finishReasons?: readonly string[] | undefined
  offTopic?: boolean | undefined
  /**
   * SHA-256 hex of the normalized generated query, for a query made during the call (the SQL of
   * an `nl_to_sql` step); `GenerationInit.queryFingerprint` when it is known at the start.
   */
  queryFingerprint?: string | undefined
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
  track(name: 'llm.generation' | 'llm.step', attrs: any, options?: { userId?: string | undefined; sessionId?: string | undefined }): void
}

/** The per-call ids of a call, as track() options; none when the client's own apply. */
export const whoOf = (init: GenerationInit | null | undefined) =>
  init?.userId != null || init?.sessionId != null ? { userId: init.userId, sessionId: init.sessionId } : undefined

// What the catalog allows (events.ts). Everything is cut or cleaned to fit rather than letting
// one odd value (ten finish reasons, a 101-character model ARN) cost the whole call's event.
const DAY_MS = 86_400_000
const MAX_INT = 2_147_483_647

/** A measured time in whole ms, at least 1; null when not measured (never 0). */
export const measured = (ms: number | null | undefined): number | undefined =>
  typeof ms == 'number' && Number.isFinite(ms) && ms > 0 ? Math.min(Math.max(1, Math.round(ms)), DAY_MS) : undefined

/**
 * A duration in whole ms, at most a day; 0 allowed (a step quicker than the clock's resolution).
 * Absent when the clock gave no reading (NaN, or time running backwards): never 0, which the
 * percentiles would take for an instant call.
 */
export const duration = (ms: number): number | undefined => (ms >= 0 ? Math.min(Math.round(ms), DAY_MS) : undefined)

const fingerprint = (...v: unknown[]) => v.find((f): f is string => typeof f == 'string' && HEX64.test(f))

const count = (v: number | null | undefined): number | undefined =>
  typeof v == 'number' && Number.isFinite(v) && v >= 0 ? Math.min(Math.round(v), MAX_INT) : undefined

/** Text cut to max whole characters; an email or a credential is left out. */
const text = (v: unknown, max: number): string | undefined =>
  typeof v == 'string' && !looksSensitive(v) ? clamp(v, max) || undefined : undefined

/**
 * An identifier made to fit: other characters become _, at most max. Judged before cleaning, so
 * an email (jane@example.com) is left out rather than sent as jane_example.com.
 */
export const idOf = (v: unknown, max = 128): string | undefined => {
  const s = typeof v == 'string' && !looksSensitive(v) ? v.replace(/[^\w.:-]+/g, '_').slice(0, max) : ''
  return s && s != '_' ? s : undefined
}

const bool = (v: unknown) => (typeof v == 'boolean' ? v : undefined)

let warned = false

export function generationAttrs(
  id: string,
  init: GenerationInit,
  result: GenerationResult,
  timing: { durationMs: number; ttfbMs?: number | null | undefined; ttftMs?: number | null | undefined },
  failure?: { type: string; step?: string | undefined },
): GenerationAttrs {
  init ??= {} as GenerationInit
  result ??= {}
  const u = result.usage ?? {}
  const input = count(u.inputTokens)
  const read = count(u.cacheReadTokens)
  const write = count(u.cacheCreationTokens)
  const ttfb = measured(timing.ttfbMs)
  const ttft = measured(timing.ttftMs)
  const total = duration(timing.durationMs)
  if (isDev() && !warned && input != null && (read ?? 0) + (write ?? 0) > input) {
    warned = true
    console.warn('[prompt-telemetry] inputTokens must include cache reads and writes (see usageFromAnthropic())')
  }
  return {
    generation_id: id,
    'gen_ai.operation.name': GEN_AI_OPERATIONS.includes(init.operation!) ? init.operation : 'chat',
    'gen_ai.provider.name': text(init.provider, 32) ?? '_OTHER',
    'gen_ai.request.model': text(init.model, 96) ?? '_OTHER',
    'gen_ai.response.model': text(result.responseModel, 96),
    'gen_ai.response.id': idOf(result.responseId),
    'gen_ai.response.finish_reasons': reasons(result.finishReasons),
    'gen_ai.conversation.id': idOf(init.conversationId),
    'gen_ai.usage.input_tokens': input,
    'gen_ai.usage.output_tokens': count(u.outputTokens),
    'gen_ai.usage.cache_read.input_tokens': read,
    'gen_ai.usage.cache_creation.input_tokens': write,
    'gen_ai.usage.reasoning.output_tokens': count(u.reasoningTokens),
    'error.type': failure?.type,
    status: failure ? 'error' : 'ok',
    streaming: bool(init.streaming),
    // The first chunk never comes after the end (a clock that did not move in between).
    duration_ms: total == null ? total : Math.max(total, ttfb ?? 0, ttft ?? 0),
    ttfb_ms: ttfb,
    ttft_ms: ttft,
    failed_step: idOf(failure?.step),
    off_topic: bool(result.offTopic),
    query_fingerprint: fingerprint(result.queryFingerprint, init.queryFingerprint),
    prompt_id: idOf(init.promptId),
    version: text(init.promptVersion, 32),
    trace_id: idOf(init.traceId),
  }
}

/** At most 8 finish reasons of at most 32 characters (OpenAI's n > 1 gives one per choice). */
const reasons = (v: unknown): string[] | undefined => {
  const out = Array.isArray(v) ? v.slice(0, 8).map((r) => text(r, 32)).filter((r): r is string => !!r) : []
  return out.length ? out : undefined
}

export function stepAttrs(id: string, init: GenerationInit, step: string, durationMs: number, ok: boolean): GenerationAttrs {
  init ??= {} as GenerationInit
  return {
    generation_id: id,
    step: idOf(step) ?? 'unnamed', // 'nl to sql' is sent as nl_to_sql
    duration_ms: duration(durationMs),
    status: ok ? 'ok' : 'error',
    'gen_ai.request.model': text(init.model, 96),
    trace_id: idOf(init.traceId),
    prompt_id: idOf(init.promptId),
  }
}
