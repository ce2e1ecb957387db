-- Per UTC day counts of what POST /telemetry/events accepted and refused. Written in the same
-- statement as the events, so the counts and the rows never disagree.
CREATE TABLE IF NOT EXISTS ingest_stats (
  day               date PRIMARY KEY,
  requests          bigint NOT NULL DEFAULT 0, -- every request to the events route
  requests_rejected bigint NOT NULL DEFAULT 0, -- answered 4xx (bad envelope, nothing valid, auth, size, rate)
  events_accepted   bigint NOT NULL DEFAULT 0, -- valid events, duplicates included
  events_rejected   bigint NOT NULL DEFAULT 0, -- invalid events inside otherwise usable batches
  events_stored     bigint NOT NULL DEFAULT 0, -- new rows (accepted minus duplicates)
  client_dropped    bigint NOT NULL DEFAULT 0, -- what SDK queues report they dropped (envelope "dropped")
  bytes_received    bigint NOT NULL DEFAULT 0
);
