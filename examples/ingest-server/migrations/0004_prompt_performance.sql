-- Suggestion-list performance per prompt (impressions, selections, completions, dwell time,
-- entropy delta). Raw events expire (see the retention job); before they do, their counts are
-- folded into prompt_rollup, and the view adds the two, so the figures survive retention.
CREATE TABLE IF NOT EXISTS prompt_rollup (
  prompt_id     text NOT NULL,
  day           date NOT NULL,
  impressions   bigint NOT NULL DEFAULT 0,
  selections    bigint NOT NULL DEFAULT 0,
  completions   bigint NOT NULL DEFAULT 0,
  dwell_sum     double precision NOT NULL DEFAULT 0,
  dwell_count   bigint NOT NULL DEFAULT 0,
  entropy_sum   double precision NOT NULL DEFAULT 0,
  entropy_count bigint NOT NULL DEFAULT 0,
  last_surfaced timestamptz,
  PRIMARY KEY (prompt_id, day)
);

CREATE OR REPLACE VIEW prompt_lifecycle_parts AS
SELECT prompt_id,
       count(*) FILTER (WHERE event = 'prompt.impression') AS impressions,
       count(*) FILTER (WHERE event = 'prompt.selection') AS selections,
       count(*) FILTER (WHERE event = 'prompt.completion') AS completions,
       coalesce(sum((attributes->>'dwell_time_ms')::double precision) FILTER (WHERE event = 'prompt.completion'), 0) AS dwell_sum,
       count(attributes->'dwell_time_ms') FILTER (WHERE event = 'prompt.completion') AS dwell_count,
       coalesce(sum((attributes->>'entropy_delta')::double precision) FILTER (WHERE event = 'prompt.completion'), 0) AS entropy_sum,
       count(attributes->'entropy_delta') FILTER (WHERE event = 'prompt.completion') AS entropy_count,
       max(ts) AS last_surfaced
FROM events
WHERE prompt_id IS NOT NULL AND event IN ('prompt.impression', 'prompt.selection', 'prompt.completion')
GROUP BY prompt_id;

CREATE OR REPLACE VIEW prompt_performance AS
WITH parts AS (
  SELECT prompt_id, impressions, selections, completions, dwell_sum, dwell_count, entropy_sum, entropy_count, last_surfaced
  FROM prompt_rollup
  UNION ALL
  SELECT prompt_id, impressions, selections, completions, dwell_sum, dwell_count, entropy_sum, entropy_count, last_surfaced
  FROM prompt_lifecycle_parts
)
SELECT prompt_id,
       sum(impressions)::bigint AS impressions,
       sum(selections)::bigint AS selections,
       sum(completions)::bigint AS completions,
       CASE WHEN sum(impressions) > 0 THEN round(sum(selections)::numeric / sum(impressions), 4) ELSE 0 END AS selection_rate,
       round((sum(dwell_sum) / nullif(sum(dwell_count), 0))::numeric, 0) AS avg_dwell_time_ms,
       round((sum(entropy_sum) / nullif(sum(entropy_count), 0))::numeric, 4) AS avg_entropy_delta,
       max(last_surfaced) AS last_surfaced
FROM parts
GROUP BY prompt_id;

-- The retention job calls every function named retention_rollup_* (in name order) with the
-- cutoff, in the same transaction as the delete. Later migrations add their own the same way.
CREATE OR REPLACE FUNCTION retention_rollup_0004_prompt_performance(cutoff timestamptz) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO prompt_rollup AS r (prompt_id, day, impressions, selections, completions, dwell_sum, dwell_count, entropy_sum, entropy_count, last_surfaced)
  SELECT prompt_id,
         (received_at AT TIME ZONE 'UTC')::date,
         count(*) FILTER (WHERE event = 'prompt.impression'),
         count(*) FILTER (WHERE event = 'prompt.selection'),
         count(*) FILTER (WHERE event = 'prompt.completion'),
         coalesce(sum((attributes->>'dwell_time_ms')::double precision) FILTER (WHERE event = 'prompt.completion'), 0),
         count(attributes->'dwell_time_ms') FILTER (WHERE event = 'prompt.completion'),
         coalesce(sum((attributes->>'entropy_delta')::double precision) FILTER (WHERE event = 'prompt.completion'), 0),
         count(attributes->'entropy_delta') FILTER (WHERE event = 'prompt.completion'),
         max(ts)
  FROM events
  WHERE received_at < cutoff AND prompt_id IS NOT NULL
    AND event IN ('prompt.impression', 'prompt.selection', 'prompt.completion')
  GROUP BY prompt_id, (received_at AT TIME ZONE 'UTC')::date
  ON CONFLICT (prompt_id, day) DO UPDATE SET
    impressions   = r.impressions + excluded.impressions,
    selections    = r.selections + excluded.selections,
    completions   = r.completions + excluded.completions,
    dwell_sum     = r.dwell_sum + excluded.dwell_sum,
    dwell_count   = r.dwell_count + excluded.dwell_count,
    entropy_sum   = r.entropy_sum + excluded.entropy_sum,
    entropy_count = r.entropy_count + excluded.entropy_count,
    last_surfaced = greatest(r.last_surfaced, excluded.last_surfaced);
$$;
