-- Prices of LLM tokens, per model, in USD per million tokens. The server writes this table at
-- start-up from its price table (src/pricing/), with the app's overrides applied; reports join it
-- to the stored token counts, so a cost is always an estimate with a named source and version.
CREATE TABLE IF NOT EXISTS llm_prices (
  model                 text PRIMARY KEY,
  provider              text,
  input_per_mtok        numeric NOT NULL CHECK (input_per_mtok >= 0),
  cached_input_per_mtok numeric CHECK (cached_input_per_mtok >= 0),   -- NULL: billed as input
  cache_write_per_mtok  numeric CHECK (cache_write_per_mtok >= 0),    -- NULL: billed as input
  output_per_mtok       numeric NOT NULL CHECK (output_per_mtok >= 0),
  currency              text NOT NULL DEFAULT 'USD',
  source                text NOT NULL,
  version               text NOT NULL
);

-- The price that applies to a model name as reported: the exact name, else the name without a
-- dated or "-latest" suffix (gpt-4o-2024-08-06 -> gpt-4o, claude-sonnet-4-5-20250929 ->
-- claude-sonnet-4-5). Never a looser prefix: gpt-4o-mini must not be priced as gpt-4o.
CREATE OR REPLACE FUNCTION llm_price_key(m text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(m, '-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$', '')
$$;
