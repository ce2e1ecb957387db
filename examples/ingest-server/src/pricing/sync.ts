import type { PriceTable } from './table'

/** The part of the server's store the price sync needs. */
export interface QueryStore {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
}

/**
 * Makes the llm_prices table equal to `table` (reports join it to the stored token counts).
 * One statement, so a concurrent report sees the old table or the new one, never half.
 */
export async function syncPrices(store: QueryStore, table: PriceTable): Promise<void> {
  const rows = Object.entries(table.models).map(([model, p]) => ({
    model,
    provider: p.provider ?? null,
    input: p.input,
    cached: p.cachedInput ?? null,
    write: p.cacheWrite ?? null,
    output: p.output,
  }))
  await store.query(
    `WITH incoming AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(model text, provider text, input numeric, cached numeric, write numeric, output numeric)
     ), gone AS (
       DELETE FROM llm_prices WHERE model NOT IN (SELECT model FROM incoming)
     )
     INSERT INTO llm_prices (model, provider, input_per_mtok, cached_input_per_mtok, cache_write_per_mtok, output_per_mtok, currency, source, version)
     SELECT model, provider, input, cached, write, output, $2, $3, $4 FROM incoming
     ON CONFLICT (model) DO UPDATE SET provider = EXCLUDED.provider, input_per_mtok = EXCLUDED.input_per_mtok,
       cached_input_per_mtok = EXCLUDED.cached_input_per_mtok, cache_write_per_mtok = EXCLUDED.cache_write_per_mtok,
       output_per_mtok = EXCLUDED.output_per_mtok, currency = EXCLUDED.currency, source = EXCLUDED.source, version = EXCLUDED.version`,
    [JSON.stringify(rows), table.currency, table.source, table.version],
  )
}
