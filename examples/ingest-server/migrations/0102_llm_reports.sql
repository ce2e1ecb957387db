-- The LLM reports. Each takes a half-open time range [p_from, p_to) on the event time and is
-- computed from the raw rows, so it can be checked by hand. Percentiles are continuous
-- (percentile_cont: linear interpolation between the two nearest rows). Daily series cover
-- every UTC day of the range, with zeros on quiet days, so charts have no holes.
-- Run one by hand: SELECT * FROM report_llm_daily_cost(now() - interval '7 days', now());

CREATE OR REPLACE FUNCTION report_days(p_from timestamptz, p_to timestamptz) RETURNS TABLE (day date)
LANGUAGE sql STABLE AS $$
  SELECT d::date FROM generate_series((p_from AT TIME ZONE 'UTC')::date, ((p_to - interval '1 microsecond') AT TIME ZONE 'UTC')::date, interval '1 day') d
$$;

-- 1. Token cost per day, from the stored counts and llm_prices.
DROP FUNCTION IF EXISTS report_llm_daily_cost(timestamptz, timestamptz);
CREATE FUNCTION report_llm_daily_cost(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (day text, calls int, input_tokens float8, uncached_input_tokens float8, cache_read_tokens float8,
               cache_creation_tokens float8, output_tokens float8, reasoning_tokens float8, cost_usd float8, unpriced_calls int)
LANGUAGE sql STABLE AS $$
  WITH g AS (
    SELECT (ts AT TIME ZONE 'UTC')::date AS day, * FROM llm_generation_costs WHERE ts >= p_from AND ts < p_to
  )
  SELECT to_char(d.day, 'YYYY-MM-DD'),
         count(g.id)::int,
         COALESCE(sum(g.input_tokens), 0)::float8,
         COALESCE(sum(g.uncached_input_tokens), 0)::float8,
         COALESCE(sum(g.cache_read_tokens), 0)::float8,
         COALESCE(sum(g.cache_creation_tokens), 0)::float8,
         COALESCE(sum(g.output_tokens), 0)::float8,
         COALESCE(sum(g.reasoning_tokens), 0)::float8,
         round(COALESCE(sum(g.cost_usd), 0), 6)::float8,
         count(g.id) FILTER (WHERE g.cost_usd IS NULL AND (g.input_tokens IS NOT NULL OR g.output_tokens IS NOT NULL))::int
  FROM report_days(p_from, p_to) d LEFT JOIN g ON g.day = d.day
  GROUP BY d.day
$$;

-- 2. Latency percentiles of successful calls: per named step, and for the whole call, the
-- first byte and the first token. Times never measured are NULL and left out, never 0.
DROP FUNCTION IF EXISTS report_llm_latency(timestamptz, timestamptz);
CREATE FUNCTION report_llm_latency(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (kind text, metric text, samples int, p50_ms float8, p95_ms float8, p99_ms float8, avg_ms float8, max_ms float8)
LANGUAGE sql STABLE AS $$
  WITH s AS (
    SELECT 'step' AS kind, step AS metric, duration_ms::float8 AS ms
      FROM llm_steps WHERE ts >= p_from AND ts < p_to AND status = 'ok' AND duration_ms IS NOT NULL
    UNION ALL
    SELECT 'call', v.metric, v.ms::float8
      FROM llm_generations g
      CROSS JOIN LATERAL (VALUES ('total', g.duration_ms), ('ttfb', g.ttfb_ms), ('ttft', g.ttft_ms)) v(metric, ms)
     WHERE g.ts >= p_from AND g.ts < p_to AND g.status = 'ok' AND v.ms IS NOT NULL
  )
  SELECT kind, metric, count(*)::int,
         percentile_cont(0.50) WITHIN GROUP (ORDER BY ms),
         percentile_cont(0.95) WITHIN GROUP (ORDER BY ms),
         percentile_cont(0.99) WITHIN GROUP (ORDER BY ms),
         round(avg(ms)::numeric, 1)::float8,
         max(ms)
  FROM s GROUP BY kind, metric
$$;

-- 2b. The same percentiles per UTC day, for the whole call and the first token.
DROP FUNCTION IF EXISTS report_llm_latency_daily(timestamptz, timestamptz);
CREATE FUNCTION report_llm_latency_daily(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (day text, calls int, p50_ms float8, p95_ms float8, p99_ms float8, ttft_p50_ms float8, ttft_p95_ms float8)
LANGUAGE sql STABLE AS $$
  WITH g AS (
    SELECT (ts AT TIME ZONE 'UTC')::date AS day, duration_ms, ttft_ms
      FROM llm_generations WHERE ts >= p_from AND ts < p_to AND status = 'ok'
  )
  SELECT to_char(d.day, 'YYYY-MM-DD'), count(g.day)::int,
         percentile_cont(0.50) WITHIN GROUP (ORDER BY g.duration_ms),
         percentile_cont(0.95) WITHIN GROUP (ORDER BY g.duration_ms),
         percentile_cont(0.99) WITHIN GROUP (ORDER BY g.duration_ms),
         percentile_cont(0.50) WITHIN GROUP (ORDER BY g.ttft_ms),
         percentile_cont(0.95) WITHIN GROUP (ORDER BY g.ttft_ms)
  FROM report_days(p_from, p_to) d LEFT JOIN g ON g.day = d.day
  GROUP BY d.day
$$;

-- 3. Errors by type and failed step, with their share of all calls in the range.
DROP FUNCTION IF EXISTS report_llm_errors(timestamptz, timestamptz);
CREATE FUNCTION report_llm_errors(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (error_type text, failed_step text, errors int, pct_of_calls float8, users int, last_seen timestamptz)
LANGUAGE sql STABLE AS $$
  WITH g AS (SELECT * FROM llm_generations WHERE ts >= p_from AND ts < p_to),
       total AS (SELECT count(*) AS n FROM g)
  SELECT COALESCE(g.error_type, '_OTHER'), g.failed_step, count(*)::int,
         round(100.0 * count(*) / NULLIF(max(total.n), 0), 2)::float8,
         count(DISTINCT g.user_id)::int, max(g.ts)
  FROM g CROSS JOIN total
  WHERE g.status = 'error'
  GROUP BY 1, 2
$$;

-- 3b. Error rate per UTC day.
DROP FUNCTION IF EXISTS report_llm_error_rate(timestamptz, timestamptz);
CREATE FUNCTION report_llm_error_rate(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (day text, calls int, errors int, error_rate float8)
LANGUAGE sql STABLE AS $$
  WITH g AS (SELECT (ts AT TIME ZONE 'UTC')::date AS day, status FROM llm_generations WHERE ts >= p_from AND ts < p_to)
  SELECT to_char(d.day, 'YYYY-MM-DD'), count(g.day)::int, count(g.day) FILTER (WHERE g.status = 'error')::int,
         COALESCE(round(count(g.day) FILTER (WHERE g.status = 'error')::numeric / NULLIF(count(g.day), 0), 4), 0)::float8
  FROM report_days(p_from, p_to) d LEFT JOIN g ON g.day = d.day
  GROUP BY d.day
$$;

-- 4. Usage and cost per user (user_id as the server derived it; NULL for anonymous calls).
DROP FUNCTION IF EXISTS report_llm_users(timestamptz, timestamptz);
CREATE FUNCTION report_llm_users(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (user_id text, calls int, input_tokens float8, output_tokens float8, total_tokens float8, cost_usd float8,
               errors int, off_topic int, last_seen timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT user_id, count(*)::int,
         COALESCE(sum(input_tokens), 0)::float8, COALESCE(sum(output_tokens), 0)::float8,
         (COALESCE(sum(input_tokens), 0) + COALESCE(sum(output_tokens), 0))::float8,
         round(COALESCE(sum(cost_usd), 0), 6)::float8,
         count(*) FILTER (WHERE status = 'error')::int, count(*) FILTER (WHERE off_topic)::int, max(ts)
  FROM llm_generation_costs WHERE ts >= p_from AND ts < p_to
  GROUP BY user_id
$$;

-- 5. The most frequent query fingerprints (hashes of normalized generated queries; the text is
-- never stored).
DROP FUNCTION IF EXISTS report_llm_fingerprints(timestamptz, timestamptz);
CREATE FUNCTION report_llm_fingerprints(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (query_fingerprint text, calls int, users int, errors int, avg_duration_ms float8, p95_duration_ms float8, last_seen timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT query_fingerprint, count(*)::int, count(DISTINCT user_id)::int, count(*) FILTER (WHERE status = 'error')::int,
         round(avg(duration_ms)::numeric, 1)::float8,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms), max(ts)
  FROM llm_generations
  WHERE ts >= p_from AND ts < p_to AND query_fingerprint IS NOT NULL
  GROUP BY query_fingerprint
$$;

-- 6. Off-topic rate per UTC day.
DROP FUNCTION IF EXISTS report_llm_off_topic(timestamptz, timestamptz);
CREATE FUNCTION report_llm_off_topic(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (day text, calls int, off_topic int, off_topic_rate float8)
LANGUAGE sql STABLE AS $$
  WITH g AS (SELECT (ts AT TIME ZONE 'UTC')::date AS day, off_topic FROM llm_generations WHERE ts >= p_from AND ts < p_to)
  SELECT to_char(d.day, 'YYYY-MM-DD'), count(g.day)::int, count(g.day) FILTER (WHERE g.off_topic)::int,
         COALESCE(round(count(g.day) FILTER (WHERE g.off_topic)::numeric / NULLIF(count(g.day), 0), 4), 0)::float8
  FROM report_days(p_from, p_to) d LEFT JOIN g ON g.day = d.day
  GROUP BY d.day
$$;

-- 7. Models side by side, by the model asked for (a failed call has no response model), with
-- the cost of each call priced by the model that answered.
DROP FUNCTION IF EXISTS report_llm_models(timestamptz, timestamptz);
CREATE FUNCTION report_llm_models(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (provider text, model text, calls int, errors int, error_rate float8, p50_ms float8, p95_ms float8,
               ttft_p50_ms float8, avg_input_tokens float8, avg_output_tokens float8, cost_usd float8, cost_per_call_usd float8, price_version text)
LANGUAGE sql STABLE AS $$
  SELECT provider, request_model, count(*)::int, count(*) FILTER (WHERE status = 'error')::int,
         round(count(*) FILTER (WHERE status = 'error')::numeric / count(*), 4)::float8,
         percentile_cont(0.50) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status = 'ok'),
         percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status = 'ok'),
         percentile_cont(0.50) WITHIN GROUP (ORDER BY ttft_ms) FILTER (WHERE status = 'ok'),
         round(avg(input_tokens)::numeric, 1)::float8, round(avg(output_tokens)::numeric, 1)::float8,
         round(sum(cost_usd), 6)::float8, round(avg(cost_usd), 8)::float8, max(price_version)
  FROM llm_generation_costs WHERE ts >= p_from AND ts < p_to
  GROUP BY provider, request_model
$$;
