/**
 * Token counts of one call, in the OpenTelemetry GenAI convention: `inputTokens` counts ALL
 * input tokens, cache reads and cache writes included; `cacheReadTokens` and
 * `cacheCreationTokens` are parts of it, never added to it. `outputTokens` counts all output
 * tokens, reasoning included; `reasoningTokens` is a part of it.
 */
export interface GenerationUsage {
  inputTokens?: number | null | undefined
  outputTokens?: number | null | undefined
  cacheReadTokens?: number | null | undefined
  cacheCreationTokens?: number | null | undefined
  reasoningTokens?: number | null | undefined
}

type N = number | null | undefined
const num = (v: N): number | undefined => (typeof v == 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined)
const sum = (...v: N[]): number | undefined => (v.some((x) => num(x) != null) ? v.reduce<number>((a, x) => a + (num(x) ?? 0), 0) : undefined)

/**
 * From an OpenAI `usage` (Chat Completions or Responses API). OpenAI already counts cached
 * tokens inside the prompt/input total and reasoning inside the completion/output total.
 * @example end({ usage: usageFromOpenAI(completion.usage) })
 */
export function usageFromOpenAI(u: {
  prompt_tokens?: N | undefined
  completion_tokens?: N | undefined
  input_tokens?: N | undefined
  output_tokens?: N | undefined
  prompt_tokens_details?: { cached_tokens?: N | undefined } | null | undefined
  input_tokens_details?: { cached_tokens?: N | undefined } | null | undefined
  completion_tokens_details?: { reasoning_tokens?: N | undefined } | null | undefined
  output_tokens_details?: { reasoning_tokens?: N | undefined } | null | undefined
} | null | undefined): GenerationUsage {
  if (!u) return {}
  return {
    inputTokens: num(u.prompt_tokens ?? u.input_tokens),
    outputTokens: num(u.completion_tokens ?? u.output_tokens),
    cacheReadTokens: num((u.prompt_tokens_details ?? u.input_tokens_details)?.cached_tokens),
    reasoningTokens: num((u.completion_tokens_details ?? u.output_tokens_details)?.reasoning_tokens),
  }
}

/**
 * From an Anthropic Messages `usage`. Anthropic's `input_tokens` leaves out the cache reads
 * and writes, so they are added here to get the OpenTelemetry total, counted once.
 * @example end({ usage: usageFromAnthropic(message.usage) })
 */
export function usageFromAnthropic(u: {
  input_tokens?: N | undefined
  output_tokens?: N | undefined
  cache_read_input_tokens?: N | undefined
  cache_creation_input_tokens?: N | undefined
} | null | undefined): GenerationUsage {
  if (!u) return {}
  return {
    inputTokens: sum(u.input_tokens, u.cache_read_input_tokens, u.cache_creation_input_tokens),
    outputTokens: num(u.output_tokens),
    cacheReadTokens: num(u.cache_read_input_tokens),
    cacheCreationTokens: num(u.cache_creation_input_tokens),
  }
}

/**
 * From a Gemini `usageMetadata`. Gemini counts cached content inside `promptTokenCount` but
 * thinking tokens outside `candidatesTokenCount`, so they are added to the output total.
 * @example end({ usage: usageFromGemini(response.usageMetadata) })
 */
export function usageFromGemini(u: {
  promptTokenCount?: N | undefined
  candidatesTokenCount?: N | undefined
  cachedContentTokenCount?: N | undefined
  thoughtsTokenCount?: N | undefined
} | null | undefined): GenerationUsage {
  if (!u) return {}
  return {
    inputTokens: num(u.promptTokenCount),
    outputTokens: sum(u.candidatesTokenCount, u.thoughtsTokenCount),
    cacheReadTokens: num(u.cachedContentTokenCount),
    reasoningTokens: num(u.thoughtsTokenCount),
  }
}
