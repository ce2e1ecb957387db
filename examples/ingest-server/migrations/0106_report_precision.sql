-- Report answers as the dashboard shows them: latency percentiles to a tenth of a millisecond
-- (percentile_cont interpolates: 1189.0000000000002), and a day without calls has no error or
-- off-topic rate (NULL, a gap in the chart) rather than 0%, which reads as "all went well".

CREATE OR REPLACE FUNCTION report_llm_latency(p_from timestamptz, p_to timestamptz)
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
         round(percentile_cont(0.50) WITHIN GROUP (ORDER BY ms)::numeric, 1)::float8,
         round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::numeric, 1)::float8,
         round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1)::float8,
         round(avg(ms)::numeric, 1)::float8,
         max(ms)
  FROM s GROUP BY kind, metric
$$;

CREATE OR REPLACE FUNCTION report_llm_latency_daily(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (day text, calls int, p50_ms float8, p95_ms float8, p99_ms float8, ttft_p50_ms float8, ttft_p95_ms float8)
LANGUAGE sql STABLE AS $$
  WITH g AS (
    SELECT (ts AT TIME ZONE 'UTC')::date AS day, duration_ms, ttft_ms
      FROM llm_generations WHERE ts >= p_from AND ts < p_to AND status = 'ok'
  )
  SELECT to_char(d.day, 'YYYY-MM-DD'), count(g.day)::int,
         round((percentile_cont(0.50) WITHIN GROUP (ORDER BY g.duration_ms))::numeric, 1)::float8,
         round((percentile_cont(0.95) WITHIN GROUP (ORDER BY g.duration_ms))::numeric, 1)::float8,
         round((percentile_cont(0.99) WITHIN GROUP (ORDER BY g.duration_ms))::numeric, 1)::float8,
         round((percentile_cont(0.50) WITHIN GROUP (ORDER BY g.ttft_ms))::numeric, 1)::float8,
         round((percentile_cont(0.95) WITHIN GROUP (ORDER BY g.ttft_ms))::numeric, 1)::float8
  FROM report_days(p_from, p_to) d LEFT JOIN g ON g.day = d.day
  GROUP BY d.day
$$;

CREATE OR REPLACE FUNCTION report_llm_error_rate(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (day text, calls int, errors int, error_rate float8)
LANGUAGE sql STABLE AS $$
  WITH g AS (SELECT (ts AT TIME ZONE 'UTC')::date AS day, status FROM llm_generations WHERE ts >= p_from AND ts < p_to)
  SELECT to_char(d.day, 'YYYY-MM-DD'), count(g.day)::int, count(g.day) FILTER (WHERE g.status = 'error')::int,
         round(count(g.day) FILTER (WHERE g.status = 'error')::numeric / NULLIF(count(g.day), 0), 4)::float8
  FROM report_days(p_from, p_to) d LEFT JOIN g ON g.day = d.day
  GROUP BY d.day
$$;

CREATE OR REPLACE FUNCTION report_llm_off_topic(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (day text, calls int, off_topic int, off_topic_rate float8)
LANGUAGE sql STABLE AS $$
  WITH g AS (SELECT (ts AT TIME ZONE 'UTC')::date AS day, off_topic FROM llm_generations WHERE ts >= p_from AND ts < p_to)
  SELECT to_char(d.day, 'YYYY-MM-DD'), count(g.day)::int, count(g.day) FILTER (WHERE g.off_topic)::int,
         round(count(g.day) FILTER (WHERE g.off_topic)::numeric / NULLIF(count(g.day), 0), 4)::float8
  FROM report_days(p_from, p_to) d LEFT JOIN g ON g.day = d.day
  GROUP BY d.day
$$;

CREATE OR REPLACE FUNCTION report_llm_fingerprints(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (query_fingerprint text, calls int, users int, errors int, avg_duration_ms float8, p95_duration_ms float8, last_seen timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT query_fingerprint, count(*)::int, count(DISTINCT user_id)::int, count(*) FILTER (WHERE status = 'error')::int,
         round(avg(duration_ms)::numeric, 1)::float8,
         round((percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::numeric, 1)::float8, max(ts)
  FROM llm_generations
  WHERE ts >= p_from AND ts < p_to AND query_fingerprint IS NOT NULL
  GROUP BY query_fingerprint
$$;

CREATE OR REPLACE FUNCTION report_llm_models(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (provider text, model text, calls int, errors int, error_rate float8, p50_ms float8, p95_ms float8,
               ttft_p50_ms float8, avg_input_tokens float8, avg_output_tokens float8, cost_usd float8, cost_per_call_usd float8, price_version text)
LANGUAGE sql STABLE AS $$
  SELECT provider, request_model, count(*)::int, count(*) FILTER (WHERE status = 'error')::int,
         round(count(*) FILTER (WHERE status = 'error')::numeric / count(*), 4)::float8,
         round((percentile_cont(0.50) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status = 'ok'))::numeric, 1)::float8,
         round((percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status = 'ok'))::numeric, 1)::float8,
         round((percentile_cont(0.50) WITHIN GROUP (ORDER BY ttft_ms) FILTER (WHERE status = 'ok'))::numeric, 1)::float8,
         round(avg(input_tokens)::numeric, 1)::float8, round(avg(output_tokens)::numeric, 1)::float8,
         round(sum(cost_usd), 6)::float8, round(avg(cost_usd), 8)::float8, max(price_version)
  FROM llm_generation_costs WHERE ts >= p_from AND ts < p_to
  GROUP BY provider, request_model
$$;
