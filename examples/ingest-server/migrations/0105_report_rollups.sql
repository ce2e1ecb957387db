-- Retention deletes raw events; these daily rollups keep what the product reports and the
-- dashboard show over any range: events per day and name, and the suggestion lifecycle per
-- prompt, lens and source. The retention job fills them (retention_rollup_*) in the same
-- transaction as the delete, keyed by the event's UTC day (ts), the way the reports filter, and
-- each report adds them to what raw events remain. The LLM reports stay on raw events (their
-- percentiles cannot be summed from daily parts): they cover the retention window.

CREATE TABLE IF NOT EXISTS events_daily_rollup (
  day    date   NOT NULL,
  event  text   NOT NULL,
  events bigint NOT NULL,
  PRIMARY KEY (day, event)
);

-- '' stands for "none" in the key columns (a primary key takes no NULL).
CREATE TABLE IF NOT EXISTS lifecycle_rollup (
  day           date   NOT NULL,
  prompt_id     text   NOT NULL,
  lens_id       text   NOT NULL,
  source        text   NOT NULL,
  impressions   bigint NOT NULL,
  selections    bigint NOT NULL,
  completions   bigint NOT NULL,
  dwell_sum     float8 NOT NULL,
  dwell_count   bigint NOT NULL,
  entropy_sum   float8 NOT NULL,
  entropy_count bigint NOT NULL,
  events        bigint NOT NULL, -- every lifecycle event (feedback and skip too), for the facets
  last_surfaced timestamptz,
  PRIMARY KEY (day, prompt_id, lens_id, source)
);

-- The lifecycle view, with the time of receipt the retention job goes by (a column added last).
CREATE OR REPLACE VIEW prompt_lifecycle_events AS
SELECT e.ts, e.event, e.user_id, e.session_id,
       COALESCE(e.prompt_id, e.attributes->>'prompt_id') AS prompt_id,
       e.attributes->>'lens_id'                          AS lens_id,
       e.attributes->>'source'                           AS source,
       (e.attributes->>'dwell_time_ms')::float8          AS dwell_time_ms,
       (e.attributes->>'entropy_delta')::float8          AS entropy_delta,
       e.received_at
FROM events e
WHERE e.event IN ('prompt.impression', 'prompt.selection', 'prompt.completion', 'prompt.feedback', 'prompt.skip');

CREATE OR REPLACE FUNCTION retention_rollup_0105_events_daily(cutoff timestamptz) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO events_daily_rollup AS r (day, event, events)
  SELECT (ts AT TIME ZONE 'UTC')::date, event, count(*) FROM events WHERE received_at < cutoff GROUP BY 1, 2
  ON CONFLICT (day, event) DO UPDATE SET events = r.events + excluded.events;
$$;

CREATE OR REPLACE FUNCTION retention_rollup_0105_lifecycle(cutoff timestamptz) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO lifecycle_rollup AS r (day, prompt_id, lens_id, source, impressions, selections, completions,
                                     dwell_sum, dwell_count, entropy_sum, entropy_count, events, last_surfaced)
  SELECT (ts AT TIME ZONE 'UTC')::date, COALESCE(prompt_id, ''), COALESCE(lens_id, ''), COALESCE(source, ''),
         count(*) FILTER (WHERE event = 'prompt.impression'),
         count(*) FILTER (WHERE event = 'prompt.selection'),
         count(*) FILTER (WHERE event = 'prompt.completion'),
         COALESCE(sum(dwell_time_ms) FILTER (WHERE event = 'prompt.completion'), 0),
         count(dwell_time_ms) FILTER (WHERE event = 'prompt.completion'),
         COALESCE(sum(entropy_delta) FILTER (WHERE event = 'prompt.completion'), 0),
         count(entropy_delta) FILTER (WHERE event = 'prompt.completion'),
         count(*), max(ts)
  FROM prompt_lifecycle_events WHERE received_at < cutoff
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (day, prompt_id, lens_id, source) DO UPDATE SET
    impressions   = r.impressions + excluded.impressions,
    selections    = r.selections + excluded.selections,
    completions   = r.completions + excluded.completions,
    dwell_sum     = r.dwell_sum + excluded.dwell_sum,
    dwell_count   = r.dwell_count + excluded.dwell_count,
    entropy_sum   = r.entropy_sum + excluded.entropy_sum,
    entropy_count = r.entropy_count + excluded.entropy_count,
    events        = r.events + excluded.events,
    last_surfaced = greatest(r.last_surfaced, excluded.last_surfaced);
$$;

-- The rolled-up days a range holds whole: a day the range only cuts into is left out, so no
-- event from before `from` or after `to` is ever counted. Ranges of whole UTC days (the
-- dashboard's, a date-only from/to) answer exactly as before the delete; a range that starts or
-- ends mid-day leaves out what was rolled up on its partial first and last days.
CREATE OR REPLACE FUNCTION rollup_days(p_from timestamptz, p_to timestamptz, d date) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT d >= ((p_from - interval '1 microsecond') AT TIME ZONE 'UTC')::date + 1 AND d < (p_to AT TIME ZONE 'UTC')::date
$$;

DROP FUNCTION IF EXISTS report_events_daily(timestamptz, timestamptz);
CREATE FUNCTION report_events_daily(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (day text, event text, events int)
LANGUAGE sql STABLE AS $$
  SELECT to_char(u.d, 'YYYY-MM-DD'), u.ev, sum(u.n)::int
  FROM (
    SELECT (ts AT TIME ZONE 'UTC')::date AS d, event AS ev, count(*) AS n FROM events WHERE ts >= p_from AND ts < p_to GROUP BY 1, 2
    UNION ALL
    SELECT r.day, r.event, r.events FROM events_daily_rollup r WHERE rollup_days(p_from, p_to, r.day)
  ) u
  GROUP BY u.d, u.ev
$$;

DROP FUNCTION IF EXISTS report_funnel(timestamptz, timestamptz, text, text);
CREATE FUNCTION report_funnel(p_from timestamptz, p_to timestamptz, p_lens text, p_source text)
RETURNS TABLE (impressions int, selections int, completions int, selection_rate float8, completion_rate float8)
LANGUAGE sql STABLE AS $$
  WITH u AS (
    SELECT count(*) FILTER (WHERE event = 'prompt.impression') AS i,
           count(*) FILTER (WHERE event = 'prompt.selection')  AS s,
           count(*) FILTER (WHERE event = 'prompt.completion') AS c
    FROM prompt_lifecycle_events
    WHERE ts >= p_from AND ts < p_to
      AND (p_lens IS NULL OR lens_id = p_lens) AND (p_source IS NULL OR source = p_source)
    UNION ALL
    SELECT sum(r.impressions), sum(r.selections), sum(r.completions)
    FROM lifecycle_rollup r
    WHERE rollup_days(p_from, p_to, r.day)
      AND (p_lens IS NULL OR r.lens_id = p_lens) AND (p_source IS NULL OR r.source = p_source)
  ), f AS (
    SELECT COALESCE(sum(i), 0) AS i, COALESCE(sum(s), 0) AS s, COALESCE(sum(c), 0) AS c FROM u
  )
  SELECT i::int, s::int, c::int,
         COALESCE(round(s::numeric / NULLIF(i, 0), 4), 0)::float8,
         COALESCE(round(c::numeric / NULLIF(s, 0), 4), 0)::float8
  FROM f
$$;

DROP FUNCTION IF EXISTS report_prompt_facets(timestamptz, timestamptz);
CREATE FUNCTION report_prompt_facets(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (facet text, value text, events int)
LANGUAGE sql STABLE AS $$
  SELECT u.facet, u.value, sum(u.n)::int
  FROM (
    SELECT 'lens' AS facet, lens_id AS value, count(*) AS n FROM prompt_lifecycle_events
     WHERE ts >= p_from AND ts < p_to AND lens_id IS NOT NULL GROUP BY lens_id
    UNION ALL
    SELECT 'source', source, count(*) FROM prompt_lifecycle_events
     WHERE ts >= p_from AND ts < p_to AND source IS NOT NULL GROUP BY source
    UNION ALL
    SELECT 'lens', r.lens_id, sum(r.events) FROM lifecycle_rollup r
     WHERE rollup_days(p_from, p_to, r.day) AND r.lens_id <> '' GROUP BY r.lens_id
    UNION ALL
    SELECT 'source', r.source, sum(r.events) FROM lifecycle_rollup r
     WHERE rollup_days(p_from, p_to, r.day) AND r.source <> '' GROUP BY r.source
  ) u
  GROUP BY u.facet, u.value
$$;

DROP FUNCTION IF EXISTS report_prompt_performance(timestamptz, timestamptz, text, text);
CREATE FUNCTION report_prompt_performance(p_from timestamptz, p_to timestamptz, p_lens text, p_source text)
RETURNS TABLE (prompt_id text, impressions int, selections int, completions int, selection_rate float8, completion_rate float8,
               avg_dwell_time_ms float8, avg_entropy_delta float8, psr_avg float8, psr_ratings int, last_surfaced timestamptz)
LANGUAGE sql STABLE AS $$
  WITH parts AS (
    SELECT e.prompt_id AS pid,
           count(*) FILTER (WHERE e.event = 'prompt.impression') AS i,
           count(*) FILTER (WHERE e.event = 'prompt.selection')  AS s,
           count(*) FILTER (WHERE e.event = 'prompt.completion') AS c,
           sum(e.dwell_time_ms) FILTER (WHERE e.event = 'prompt.completion')   AS dwell_sum,
           count(e.dwell_time_ms) FILTER (WHERE e.event = 'prompt.completion') AS dwell_n,
           sum(e.entropy_delta) FILTER (WHERE e.event = 'prompt.completion')   AS entropy_sum,
           count(e.entropy_delta) FILTER (WHERE e.event = 'prompt.completion') AS entropy_n,
           max(e.ts) AS last_ts
    FROM prompt_lifecycle_events e
    WHERE e.ts >= p_from AND e.ts < p_to AND e.prompt_id IS NOT NULL
      AND (p_lens IS NULL OR e.lens_id = p_lens) AND (p_source IS NULL OR e.source = p_source)
    GROUP BY e.prompt_id
    UNION ALL
    SELECT r.prompt_id, sum(r.impressions), sum(r.selections), sum(r.completions), sum(r.dwell_sum), sum(r.dwell_count),
           sum(r.entropy_sum), sum(r.entropy_count), max(r.last_surfaced)
    FROM lifecycle_rollup r
    WHERE rollup_days(p_from, p_to, r.day) AND r.prompt_id <> ''
      AND (p_lens IS NULL OR r.lens_id = p_lens) AND (p_source IS NULL OR r.source = p_source)
    GROUP BY r.prompt_id
  ), perf AS (
    SELECT pid, sum(i) AS i, sum(s) AS s, sum(c) AS c,
           sum(dwell_sum) / NULLIF(sum(dwell_n), 0) AS dwell,
           sum(entropy_sum) / NULLIF(sum(entropy_n), 0) AS entropy,
           max(last_ts) AS last_ts
    FROM parts GROUP BY pid
  ), psr AS (
    SELECT p.prompt_id AS pid, avg(p.rating) AS avg_rating, count(*) AS n
    FROM psr_ratings p
    WHERE p.day >= (p_from AT TIME ZONE 'UTC')::date AND p.day <= ((p_to - interval '1 microsecond') AT TIME ZONE 'UTC')::date
    GROUP BY p.prompt_id
  )
  SELECT perf.pid, perf.i::int, perf.s::int, perf.c::int,
         COALESCE(round(perf.s::numeric / NULLIF(perf.i, 0), 4), 0)::float8,
         COALESCE(round(perf.c::numeric / NULLIF(perf.s, 0), 4), 0)::float8,
         round(perf.dwell::numeric, 0)::float8, round(perf.entropy::numeric, 4)::float8,
         round(psr.avg_rating, 2)::float8, COALESCE(psr.n, 0)::int, perf.last_ts
  FROM perf LEFT JOIN psr ON psr.pid = perf.pid
$$;
