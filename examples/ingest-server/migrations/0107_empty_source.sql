-- An empty source says nothing, and the report rollups (0105) count it as no source: stored as
-- itself, it was counted once from the raw events and folded into "no source" by retention.
-- The ingest route now stores it as none; events stored before lose it the same way.

UPDATE events SET attributes = attributes - 'source' WHERE attributes->>'source' = '';
