-- Reports on the product events: volume over time, the suggestion funnel and prompt
-- performance with the lens and source filters of the operator dashboard.

-- Events per UTC day and name.
DROP FUNCTION IF EXISTS report_events_daily(timestamptz, timestamptz);
CREATE FUNCTION report_events_daily(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (day text, event text, events int)
LANGUAGE sql STABLE AS $$
  SELECT to_char((ts AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'), event, count(*)::int
  FROM events WHERE ts >= p_from AND ts < p_to
  GROUP BY 1, 2
$$;

-- The suggestion lifecycle of one prompt event, with the filters the dashboard offers.
CREATE OR REPLACE VIEW prompt_lifecycle_events AS
SELECT e.ts, e.event, e.user_id, e.session_id,
       COALESCE(e.prompt_id, e.attributes->>'prompt_id') AS prompt_id,
       e.attributes->>'lens_id'                          AS lens_id,
       e.attributes->>'source'                           AS source,
       (e.attributes->>'dwell_time_ms')::float8          AS dwell_time_ms,
       (e.attributes->>'entropy_delta')::float8          AS entropy_delta
FROM events e
WHERE e.event IN ('prompt.impression', 'prompt.selection', 'prompt.completion', 'prompt.feedback', 'prompt.skip');

-- Impression -> selection -> completion, over the range (NULL filter: all).
DROP FUNCTION IF EXISTS report_funnel(timestamptz, timestamptz, text, text);
CREATE FUNCTION report_funnel(p_from timestamptz, p_to timestamptz, p_lens text, p_source text)
RETURNS TABLE (impressions int, selections int, completions int, selection_rate float8, completion_rate float8)
LANGUAGE sql STABLE AS $$
  WITH f AS (
    SELECT count(*) FILTER (WHERE event = 'prompt.impression') AS i,
           count(*) FILTER (WHERE event = 'prompt.selection')  AS s,
           count(*) FILTER (WHERE event = 'prompt.completion') AS c
    FROM prompt_lifecycle_events
    WHERE ts >= p_from AND ts < p_to
      AND (p_lens IS NULL OR lens_id = p_lens) AND (p_source IS NULL OR source = p_source)
  )
  SELECT i::int, s::int, c::int,
         COALESCE(round(s::numeric / NULLIF(i, 0), 4), 0)::float8,
         COALESCE(round(c::numeric / NULLIF(s, 0), 4), 0)::float8
  FROM f
$$;

-- The lenses and sources seen in the range, for the dashboard's filters.
DROP FUNCTION IF EXISTS report_prompt_facets(timestamptz, timestamptz);
CREATE FUNCTION report_prompt_facets(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (facet text, value text, events int)
LANGUAGE sql STABLE AS $$
  SELECT 'lens', lens_id, count(*)::int FROM prompt_lifecycle_events
   WHERE ts >= p_from AND ts < p_to AND lens_id IS NOT NULL GROUP BY lens_id
  UNION ALL
  SELECT 'source', source, count(*)::int FROM prompt_lifecycle_events
   WHERE ts >= p_from AND ts < p_to AND source IS NOT NULL GROUP BY source
$$;

-- Prompt performance (story 6.1) over a range, with the lens and source filters, and the PSR
-- of the same prompts in the same range (PSR has no lens: it is never filtered by it).
DROP FUNCTION IF EXISTS report_prompt_performance(timestamptz, timestamptz, text, text);
CREATE FUNCTION report_prompt_performance(p_from timestamptz, p_to timestamptz, p_lens text, p_source text)
RETURNS TABLE (prompt_id text, impressions int, selections int, completions int, selection_rate float8, completion_rate float8,
               avg_dwell_time_ms float8, avg_entropy_delta float8, psr_avg float8, psr_ratings int, last_surfaced timestamptz)
LANGUAGE sql STABLE AS $$
  WITH e AS (
    SELECT * FROM prompt_lifecycle_events
    WHERE ts >= p_from AND ts < p_to AND prompt_id IS NOT NULL
      AND (p_lens IS NULL OR lens_id = p_lens) AND (p_source IS NULL OR source = p_source)
  ), perf AS (
    SELECT prompt_id,
           count(*) FILTER (WHERE event = 'prompt.impression') AS i,
           count(*) FILTER (WHERE event = 'prompt.selection')  AS s,
           count(*) FILTER (WHERE event = 'prompt.completion') AS c,
           avg(dwell_time_ms) FILTER (WHERE event = 'prompt.completion') AS dwell,
           avg(entropy_delta) FILTER (WHERE event = 'prompt.completion') AS entropy,
           max(ts) AS last_surfaced
    FROM e GROUP BY prompt_id
  ), psr AS (
    SELECT p.prompt_id, avg(p.rating) AS avg_rating, count(*) AS n
    FROM psr_ratings p
    WHERE p.day >= (p_from AT TIME ZONE 'UTC')::date AND p.day <= ((p_to - interval '1 microsecond') AT TIME ZONE 'UTC')::date
    GROUP BY p.prompt_id
  )
  SELECT perf.prompt_id, perf.i::int, perf.s::int, perf.c::int,
         COALESCE(round(perf.s::numeric / NULLIF(perf.i, 0), 4), 0)::float8,
         COALESCE(round(perf.c::numeric / NULLIF(perf.s, 0), 4), 0)::float8,
         round(perf.dwell::numeric, 0)::float8, round(perf.entropy::numeric, 4)::float8,
         round(psr.avg_rating, 2)::float8, COALESCE(psr.n, 0)::int, perf.last_surfaced
  FROM perf LEFT JOIN psr ON psr.prompt_id = perf.prompt_id
$$;
