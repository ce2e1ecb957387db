-- Typed views over the raw llm.generation and llm.step events (attribute names: docs/llm.md).
-- Token convention (OpenTelemetry GenAI): input_tokens counts ALL input tokens, cache reads and
-- cache writes included; output_tokens counts reasoning tokens. The uncached part is derived
-- once, here, so no report can count cached tokens twice.

CREATE OR REPLACE VIEW llm_generations AS
SELECT
  e.id,
  e.ts,
  e.user_id,
  e.session_id,
  COALESCE(e.prompt_id, e.attributes->>'prompt_id')                        AS prompt_id,
  e.attributes->>'version'                                                 AS prompt_version,
  e.attributes->>'generation_id'                                           AS generation_id,
  e.attributes->>'gen_ai.provider.name'                                    AS provider,
  e.attributes->>'gen_ai.operation.name'                                   AS operation,
  e.attributes->>'gen_ai.request.model'                                    AS request_model,
  e.attributes->>'gen_ai.response.model'                                   AS response_model,
  COALESCE(e.attributes->>'gen_ai.response.model', e.attributes->>'gen_ai.request.model') AS model,
  e.attributes->>'gen_ai.conversation.id'                                  AS conversation_id,
  (e.attributes->>'gen_ai.usage.input_tokens')::bigint                     AS input_tokens,
  (e.attributes->>'gen_ai.usage.output_tokens')::bigint                    AS output_tokens,
  (e.attributes->>'gen_ai.usage.cache_read.input_tokens')::bigint          AS cache_read_tokens,
  (e.attributes->>'gen_ai.usage.cache_creation.input_tokens')::bigint      AS cache_creation_tokens,
  (e.attributes->>'gen_ai.usage.reasoning.output_tokens')::bigint          AS reasoning_tokens,
  e.attributes->>'status'                                                  AS status,
  e.attributes->>'error.type'                                              AS error_type,
  e.attributes->>'failed_step'                                             AS failed_step,
  COALESCE((e.attributes->>'off_topic')::boolean, false)                   AS off_topic,
  (e.attributes->>'streaming')::boolean                                    AS streaming,
  (e.attributes->>'duration_ms')::integer                                  AS duration_ms,
  (e.attributes->>'ttfb_ms')::integer                                      AS ttfb_ms,
  (e.attributes->>'ttft_ms')::integer                                      AS ttft_ms,
  e.attributes->>'query_fingerprint'                                       AS query_fingerprint,
  COALESCE(e.attributes->>'trace_id', e.trace_id)                          AS trace_id
FROM events e
WHERE e.event = 'llm.generation';

CREATE OR REPLACE VIEW llm_steps AS
SELECT
  e.id,
  e.ts,
  e.user_id,
  e.attributes->>'generation_id'                 AS generation_id,
  e.attributes->>'step'                          AS step,
  (e.attributes->>'duration_ms')::integer        AS duration_ms,
  e.attributes->>'status'                        AS status,
  e.attributes->>'gen_ai.request.model'          AS model
FROM events e
WHERE e.event = 'llm.step';

-- One row per generation with its estimated cost (NULL when no price applies to its model).
CREATE OR REPLACE VIEW llm_generation_costs AS
SELECT
  g.*,
  GREATEST(COALESCE(g.input_tokens, 0) - COALESCE(g.cache_read_tokens, 0) - COALESCE(g.cache_creation_tokens, 0), 0) AS uncached_input_tokens,
  p.model   AS price_model,
  p.version AS price_version,
  CASE WHEN p.model IS NULL THEN NULL ELSE (
      GREATEST(COALESCE(g.input_tokens, 0) - COALESCE(g.cache_read_tokens, 0) - COALESCE(g.cache_creation_tokens, 0), 0) * p.input_per_mtok
    + COALESCE(g.cache_read_tokens, 0)     * COALESCE(p.cached_input_per_mtok, p.input_per_mtok)
    + COALESCE(g.cache_creation_tokens, 0) * COALESCE(p.cache_write_per_mtok, p.input_per_mtok)
    + COALESCE(g.output_tokens, 0)         * p.output_per_mtok
  ) / 1000000 END AS cost_usd
FROM llm_generations g
LEFT JOIN LATERAL (
  SELECT * FROM llm_prices p
  WHERE p.model = g.model OR p.model = llm_price_key(g.model)
  ORDER BY p.model = g.model DESC
  LIMIT 1
) p ON true;
