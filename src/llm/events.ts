import { attr } from '../core/catalog'

/** Well-known values of `gen_ai.operation.name` (OpenTelemetry GenAI semantic conventions). */
export const GEN_AI_OPERATIONS = [
  'chat',
  'text_completion',
  'generate_content',
  'embeddings',
  'retrieval',
  'execute_tool',
  'invoke_agent',
  'create_agent',
] as const

export type GenAiOperation = (typeof GEN_AI_OPERATIONS)[number]

// Built inside one function called as pure, so an app that does not import it does not pay.
const build = () => {
  const opt = { optional: true } as const
  const tokens = (description: string) => attr.int({ optional: true, description })
  const ms = (description: string) => attr.int({ optional: true, min: 1, max: 86_400_000, description })
  const generation_id = attr.id({ description: 'Joins a generation and its steps.' })
  const trace_id = attr.id({ optional: true, description: 'W3C trace id of the request.' })

  return {
    'llm.generation': {
      description:
        'One LLM call: model, tokens, latency, outcome; never any text. OpenTelemetry GenAI names (docs/llm.md).',
      attrs: {
        generation_id,
        'gen_ai.operation.name': attr.enum(GEN_AI_OPERATIONS, { description: 'chat, embeddings, ...' }),
        'gen_ai.provider.name': attr.string({ maxLength: 32, description: 'openai, anthropic, gcp.gemini, ...' }),
        'gen_ai.request.model': attr.string({ maxLength: 96, description: 'The model asked for.' }),
        'gen_ai.response.model': attr.string({ maxLength: 96, optional: true, description: 'The model that answered.' }),
        'gen_ai.response.id': attr.id({ optional: true, description: 'e.g. chatcmpl-123.' }),
        'gen_ai.response.finish_reasons': attr.list({ optional: true, maxItems: 8, maxLength: 32, description: 'stop, length, tool_calls, ...' }),
        'gen_ai.conversation.id': attr.id({ optional: true, description: 'The conversation (thread).' }),
        'gen_ai.usage.input_tokens': tokens('All input tokens, cache reads and writes INCLUDED.'),
        'gen_ai.usage.output_tokens': tokens('All output tokens, reasoning included.'),
        'gen_ai.usage.cache_read.input_tokens': tokens('Cache reads, a part of input_tokens.'),
        'gen_ai.usage.cache_creation.input_tokens': tokens('Cache writes, a part of input_tokens.'),
        'gen_ai.usage.reasoning.output_tokens': tokens('A part of output_tokens.'),
        'error.type': attr.id({ optional: true, description: 'Error class (code, exception name, HTTP status or _OTHER); never the message.' }),
        status: attr.enum(['ok', 'error'], { description: 'How the call ended.' }),
        streaming: attr.bool({ optional: true, description: 'The response was streamed.' }),
        duration_ms: attr.int({ max: 86_400_000, optional: true, description: 'Start to end, ms; absent when the clock gave no reading, never a made-up 0.' }),
        ttfb_ms: ms('Time to first byte, ms; absent when not measured, never 0.'),
        ttft_ms: ms('Time to first content chunk, ms; absent when not measured, never 0.'),
        failed_step: attr.id({ optional: true, description: 'The step that failed.' }),
        off_topic: attr.bool({ optional: true, description: 'Judged off-topic, not answered.' }),
        query_fingerprint: attr.hash({ optional: true, description: 'SHA-256 of the normalized generated query.' }),
        prompt_id: attr.id({ optional: true, description: 'The prompt it came from.' }),
        version: attr.string({ maxLength: 32, optional: true, description: 'The prompt version.' }),
        trace_id,
      },
    },
    'llm.step': {
      description: 'One named step of a generation (e.g. nl_to_sql) and its duration.',
      attrs: {
        generation_id,
        step: attr.id({ description: 'Named by the caller.' }),
        duration_ms: attr.int({ max: 86_400_000, optional: true, description: 'ms; absent when the clock gave no reading.' }),
        status: attr.enum(['ok', 'error'], { description: 'How the step ended.' }),
        'gen_ai.request.model': attr.string({ maxLength: 96, optional: true, description: 'The generation\'s model.' }),
        trace_id,
        prompt_id: attr.id(opt),
      },
    },
  } as const
}

/**
 * The LLM call events, `llm.generation` and `llm.step`, to spread into a catalog. The built-in
 * `promptCatalog` already includes them.
 * @example const catalog = defineCatalog({ ...llmEvents, ...myEvents })
 */
export const llmEvents = /* @__PURE__ */ build()

export type LlmEvents = typeof llmEvents
