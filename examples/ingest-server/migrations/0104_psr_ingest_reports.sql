-- PSR ratings and the ingest endpoint's acceptance counts. Both tables hold UTC days, so a
-- range covers every day it overlaps.

CREATE OR REPLACE FUNCTION report_first_day(p_from timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT (p_from AT TIME ZONE 'UTC')::date $$;
CREATE OR REPLACE FUNCTION report_last_day(p_to timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT ((p_to - interval '1 microsecond') AT TIME ZONE 'UTC')::date $$;

-- Rating distribution and average per prompt (all versions together).
DROP FUNCTION IF EXISTS report_psr_prompts(timestamptz, timestamptz);
CREATE FUNCTION report_psr_prompts(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (prompt_id text, ratings int, avg_rating float8, r1 int, r2 int, r3 int, r4 int, r5 int, with_note int, last_day text)
LANGUAGE sql STABLE AS $$
  SELECT prompt_id, count(*)::int, round(avg(rating), 2)::float8,
         count(*) FILTER (WHERE rating = 1)::int, count(*) FILTER (WHERE rating = 2)::int, count(*) FILTER (WHERE rating = 3)::int,
         count(*) FILTER (WHERE rating = 4)::int, count(*) FILTER (WHERE rating = 5)::int,
         count(note)::int, to_char(max(day), 'YYYY-MM-DD')
  FROM psr_ratings
  WHERE day BETWEEN report_first_day(p_from) AND report_last_day(p_to)
  GROUP BY prompt_id
$$;

-- The same per prompt and version ('latest' where the rating named none).
DROP FUNCTION IF EXISTS report_psr_versions(timestamptz, timestamptz);
CREATE FUNCTION report_psr_versions(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (prompt_id text, version text, ratings int, avg_rating float8, r1 int, r2 int, r3 int, r4 int, r5 int, with_note int, last_day text)
LANGUAGE sql STABLE AS $$
  SELECT prompt_id, COALESCE(version, 'latest'), count(*)::int, round(avg(rating), 2)::float8,
         count(*) FILTER (WHERE rating = 1)::int, count(*) FILTER (WHERE rating = 2)::int, count(*) FILTER (WHERE rating = 3)::int,
         count(*) FILTER (WHERE rating = 4)::int, count(*) FILTER (WHERE rating = 5)::int,
         count(note)::int, to_char(max(day), 'YYYY-MM-DD')
  FROM psr_ratings
  WHERE day BETWEEN report_first_day(p_from) AND report_last_day(p_to)
  GROUP BY prompt_id, COALESCE(version, 'latest')
$$;

-- How many ratings of each star, over all prompts.
DROP FUNCTION IF EXISTS report_psr_distribution(timestamptz, timestamptz);
CREATE FUNCTION report_psr_distribution(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (rating int, ratings int, share float8)
LANGUAGE sql STABLE AS $$
  WITH p AS (SELECT rating FROM psr_ratings WHERE day BETWEEN report_first_day(p_from) AND report_last_day(p_to))
  SELECT s.r, count(p.rating)::int, COALESCE(round(count(p.rating)::numeric / NULLIF((SELECT count(*) FROM p), 0), 4), 0)::float8
  FROM generate_series(1, 5) s(r) LEFT JOIN p ON p.rating = s.r
  GROUP BY s.r
$$;

-- What POST /telemetry/events accepted and refused per UTC day (003 section 9).
DROP FUNCTION IF EXISTS report_ingest(timestamptz, timestamptz);
CREATE FUNCTION report_ingest(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (day text, requests float8, requests_rejected float8, events_accepted float8, events_rejected float8,
               events_stored float8, client_dropped float8, bytes_received float8, acceptance_rate float8)
LANGUAGE sql STABLE AS $$
  SELECT to_char(d.day, 'YYYY-MM-DD'),
         COALESCE(s.requests, 0)::float8, COALESCE(s.requests_rejected, 0)::float8,
         COALESCE(s.events_accepted, 0)::float8, COALESCE(s.events_rejected, 0)::float8,
         COALESCE(s.events_stored, 0)::float8, COALESCE(s.client_dropped, 0)::float8, COALESCE(s.bytes_received, 0)::float8,
         round(s.events_accepted::numeric / NULLIF(s.events_accepted + s.events_rejected, 0), 4)::float8
  FROM report_days(p_from, p_to) d LEFT JOIN ingest_stats s ON s.day = d.day
$$;
