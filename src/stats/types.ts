/** One prompt's suggestion counts and ratings (GET /telemetry/prompt/:id/stats), all time. */
export interface PromptStats {
  prompt_id: string
  impressions: number
  selections: number
  completions: number
  selection_rate: number
  avg_dwell_time_ms: number | null
  avg_entropy_delta: number | null
  last_surfaced: string | null
  avg_rating: number | null
  total_ratings: number
}

/** The columns `listPromptPerformance` may sort on. */
export type PromptStatsSort = keyof PromptStats

export interface PromptPerformanceList {
  prompts: PromptStats[]
  /** Prompts in all, for paging. */
  total: number
  limit: number
  offset: number
  sort: string
  order: 'asc' | 'desc'
}

/** The price table a cost was computed with. */
export interface Pricing {
  version: string
  source: string
  currency: string
}

/** The answer of every report endpoint. */
export interface Report<Row> {
  report: string
  /** ISO instants of the half-open range [from, to). */
  from: string
  to: string
  sort: string
  order: 'asc' | 'desc'
  filters: Record<string, string | null>
  rows: Row[]
  /** On reports that carry a cost. */
  pricing?: Pricing | undefined
}

export interface LlmCostRow {
  day: string
  calls: number
  input_tokens: number
  uncached_input_tokens: number
  cache_read_tokens: number
  cache_creation_tokens: number
  output_tokens: number
  reasoning_tokens: number
  cost_usd: number
  /** Calls with tokens but no price for their model: not in cost_usd. */
  unpriced_calls: number
}

export interface LlmLatencyRow {
  /** `step` for a named step, `call` for total, ttfb and ttft. */
  kind: 'step' | 'call'
  metric: string
  samples: number
  p50_ms: number
  p95_ms: number
  p99_ms: number
  avg_ms: number
  max_ms: number
}

export interface LlmLatencyDailyRow {
  day: string
  calls: number
  p50_ms: number | null
  p95_ms: number | null
  p99_ms: number | null
  ttft_p50_ms: number | null
  ttft_p95_ms: number | null
}

export interface LlmErrorRow {
  error_type: string
  failed_step: string | null
  errors: number
  pct_of_calls: number
  users: number
  last_seen: string
}

export interface LlmErrorRateRow {
  day: string
  calls: number
  errors: number
  error_rate: number
}

export interface LlmUserRow {
  user_id: string | null
  calls: number
  input_tokens: number
  output_tokens: number
  total_tokens: number
  cost_usd: number
  errors: number
  off_topic: number
  last_seen: string
}

export interface LlmFingerprintRow {
  query_fingerprint: string
  calls: number
  users: number
  errors: number
  avg_duration_ms: number
  p95_duration_ms: number
  last_seen: string
}

export interface LlmOffTopicRow {
  day: string
  calls: number
  off_topic: number
  off_topic_rate: number
}

export interface LlmModelRow {
  provider: string | null
  model: string
  calls: number
  errors: number
  error_rate: number
  p50_ms: number | null
  p95_ms: number | null
  ttft_p50_ms: number | null
  avg_input_tokens: number | null
  avg_output_tokens: number | null
  cost_usd: number | null
  cost_per_call_usd: number | null
  price_version: string | null
}

export interface EventsDailyRow {
  day: string
  event: string
  events: number
}

export interface FunnelRow {
  impressions: number
  selections: number
  completions: number
  selection_rate: number
  completion_rate: number
}

export interface PromptFacetRow {
  facet: 'lens' | 'source'
  value: string
  events: number
}

export interface PromptPerformanceRow {
  prompt_id: string
  impressions: number
  selections: number
  completions: number
  selection_rate: number
  completion_rate: number
  avg_dwell_time_ms: number | null
  avg_entropy_delta: number | null
  psr_avg: number | null
  psr_ratings: number
  last_surfaced: string
}

export interface PsrPromptRow {
  prompt_id: string
  ratings: number
  avg_rating: number
  r1: number
  r2: number
  r3: number
  r4: number
  r5: number
  with_note: number
  last_day: string
}

export interface PsrVersionRow extends PsrPromptRow {
  /** `latest` where the rating named no version. */
  version: string
}

export interface PsrDistributionRow {
  rating: 1 | 2 | 3 | 4 | 5
  ratings: number
  share: number
}

export interface IngestRow {
  day: string
  requests: number
  requests_rejected: number
  events_accepted: number
  events_rejected: number
  events_stored: number
  client_dropped: number
  bytes_received: number
  acceptance_rate: number | null
}

/** Every report, by its endpoint name (GET /reports/<name>). */
export interface ReportRows {
  'llm-cost': LlmCostRow
  'llm-latency': LlmLatencyRow
  'llm-latency-daily': LlmLatencyDailyRow
  'llm-errors': LlmErrorRow
  'llm-error-rate': LlmErrorRateRow
  'llm-users': LlmUserRow
  'llm-fingerprints': LlmFingerprintRow
  'llm-off-topic': LlmOffTopicRow
  'llm-models': LlmModelRow
  'events-daily': EventsDailyRow
  funnel: FunnelRow
  'prompt-facets': PromptFacetRow
  'prompt-performance': PromptPerformanceRow
  'psr-prompts': PsrPromptRow
  'psr-versions': PsrVersionRow
  'psr-distribution': PsrDistributionRow
  ingest: IngestRow
}

export type ReportName = keyof ReportRows

/** Time range, sort and limit of a report. A date-only `to` includes that whole UTC day. */
export interface ReportQuery<Row> {
  from?: string | Date | undefined
  to?: string | Date | undefined
  sort?: keyof Row & string | undefined
  order?: 'asc' | 'desc' | undefined
  limit?: number | undefined
}

/** The reports that take the dashboard's lens and source filters. */
export interface FilteredQuery<Row> extends ReportQuery<Row> {
  lens?: string | undefined
  source?: string | undefined
}
