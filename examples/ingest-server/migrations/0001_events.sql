-- Raw events as the SDK sends them. The id (a UUIDv7 made at track() time) is the primary
-- key, so a retried or duplicated event is stored once.
CREATE TABLE IF NOT EXISTS events (
  id          uuid PRIMARY KEY,
  event       text NOT NULL,
  ts          timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  session_id  text NOT NULL,
  user_id     text,
  prompt_id   text,
  attributes  jsonb NOT NULL DEFAULT '{}'::jsonb,
  trace_id    text
);

-- Every btree index costs ingest throughput, so there is one, and it is partial: the
-- per-prompt stats read the suggestion lifecycle events by prompt.
CREATE INDEX IF NOT EXISTS events_prompt_lifecycle_idx ON events (prompt_id)
  WHERE event IN ('prompt.impression', 'prompt.selection', 'prompt.completion');
-- Rows arrive in time order, so BRIN indexes serve the retention job and time-range reports
-- almost for free.
CREATE INDEX IF NOT EXISTS events_received_at_brin ON events USING brin (received_at);
CREATE INDEX IF NOT EXISTS events_ts_brin ON events USING brin (ts);
