/** One report: a SQL function of the migrations (0100 and up) and what may sort and filter it. */
export interface ReportDef {
  /** The URL segment: GET /reports/<name>. */
  name: string
  description: string
  /** `<fn>(from, to[, lens, source])` */
  fn: string
  /** Every column, in order: also the whitelist of `sort`. */
  columns: readonly string[]
  sort: string
  order: 'asc' | 'desc'
  /** Extra identifier filters passed to the function after the range. */
  filters?: readonly ('lens' | 'source')[]
  /** The rows carry a cost: the answer names the price table. */
  priced?: boolean
}

const r = (d: ReportDef) => d

export const REPORTS: readonly ReportDef[] = [
  r({
    name: 'llm-cost',
    description: 'Token counts and estimated cost per UTC day.',
    fn: 'report_llm_daily_cost',
    columns: ['day', 'calls', 'input_tokens', 'uncached_input_tokens', 'cache_read_tokens', 'cache_creation_tokens', 'output_tokens', 'reasoning_tokens', 'cost_usd', 'unpriced_calls'],
    sort: 'day',
    order: 'asc',
    priced: true,
  }),
  r({
    name: 'llm-latency',
    description: 'p50/p95/p99 latency of successful calls per named step, and of the whole call, first byte and first token.',
    fn: 'report_llm_latency',
    columns: ['kind', 'metric', 'samples', 'p50_ms', 'p95_ms', 'p99_ms', 'avg_ms', 'max_ms'],
    sort: 'kind',
    order: 'asc',
  }),
  r({
    name: 'llm-latency-daily',
    description: 'Latency percentiles of successful calls per UTC day.',
    fn: 'report_llm_latency_daily',
    columns: ['day', 'calls', 'p50_ms', 'p95_ms', 'p99_ms', 'ttft_p50_ms', 'ttft_p95_ms'],
    sort: 'day',
    order: 'asc',
  }),
  r({
    name: 'llm-errors',
    description: 'Failed calls by error type and failed step, with their share of all calls.',
    fn: 'report_llm_errors',
    columns: ['error_type', 'failed_step', 'errors', 'pct_of_calls', 'users', 'last_seen'],
    sort: 'errors',
    order: 'desc',
  }),
  r({
    name: 'llm-error-rate',
    description: 'Calls, errors and error rate per UTC day.',
    fn: 'report_llm_error_rate',
    columns: ['day', 'calls', 'errors', 'error_rate'],
    sort: 'day',
    order: 'asc',
  }),
  r({
    name: 'llm-users',
    description: 'Calls, tokens, estimated cost, errors and off-topic requests per user.',
    fn: 'report_llm_users',
    columns: ['user_id', 'calls', 'input_tokens', 'output_tokens', 'total_tokens', 'cost_usd', 'errors', 'off_topic', 'last_seen'],
    sort: 'cost_usd',
    order: 'desc',
    priced: true,
  }),
  r({
    name: 'llm-fingerprints',
    description: 'The most frequent query fingerprints (hashes, never text).',
    fn: 'report_llm_fingerprints',
    columns: ['query_fingerprint', 'calls', 'users', 'errors', 'avg_duration_ms', 'p95_duration_ms', 'last_seen'],
    sort: 'calls',
    order: 'desc',
  }),
  r({
    name: 'llm-off-topic',
    description: 'Calls and off-topic requests per UTC day.',
    fn: 'report_llm_off_topic',
    columns: ['day', 'calls', 'off_topic', 'off_topic_rate'],
    sort: 'day',
    order: 'asc',
  }),
  r({
    name: 'llm-models',
    description: 'Models side by side: calls, errors, latency, tokens and cost.',
    fn: 'report_llm_models',
    columns: ['provider', 'model', 'calls', 'errors', 'error_rate', 'p50_ms', 'p95_ms', 'ttft_p50_ms', 'avg_input_tokens', 'avg_output_tokens', 'cost_usd', 'cost_per_call_usd', 'price_version'],
    sort: 'calls',
    order: 'desc',
    priced: true,
  }),
  r({
    name: 'events-daily',
    description: 'Events per UTC day and name.',
    fn: 'report_events_daily',
    columns: ['day', 'event', 'events'],
    sort: 'day',
    order: 'asc',
  }),
  r({
    name: 'funnel',
    description: 'Suggestion funnel: impressions, selections, completions and their rates.',
    fn: 'report_funnel',
    columns: ['impressions', 'selections', 'completions', 'selection_rate', 'completion_rate'],
    sort: 'impressions',
    order: 'desc',
    filters: ['lens', 'source'],
  }),
  r({
    name: 'prompt-facets',
    description: 'The lenses and sources seen in the range (for filters).',
    fn: 'report_prompt_facets',
    columns: ['facet', 'value', 'events'],
    sort: 'events',
    order: 'desc',
  }),
  r({
    name: 'prompt-performance',
    description: 'Story 6.1: per prompt impressions, selections, completions, rates, dwell time, entropy delta and PSR.',
    fn: 'report_prompt_performance',
    columns: ['prompt_id', 'impressions', 'selections', 'completions', 'selection_rate', 'completion_rate', 'avg_dwell_time_ms', 'avg_entropy_delta', 'psr_avg', 'psr_ratings', 'last_surfaced'],
    sort: 'impressions',
    order: 'desc',
    filters: ['lens', 'source'],
  }),
  r({
    name: 'psr-prompts',
    description: 'PSR per prompt: number of ratings, average and distribution.',
    fn: 'report_psr_prompts',
    columns: ['prompt_id', 'ratings', 'avg_rating', 'r1', 'r2', 'r3', 'r4', 'r5', 'with_note', 'last_day'],
    sort: 'ratings',
    order: 'desc',
  }),
  r({
    name: 'psr-versions',
    description: 'PSR per prompt and version.',
    fn: 'report_psr_versions',
    columns: ['prompt_id', 'version', 'ratings', 'avg_rating', 'r1', 'r2', 'r3', 'r4', 'r5', 'with_note', 'last_day'],
    sort: 'ratings',
    order: 'desc',
  }),
  r({
    name: 'psr-distribution',
    description: 'How many ratings of each star (1-5).',
    fn: 'report_psr_distribution',
    columns: ['rating', 'ratings', 'share'],
    sort: 'rating',
    order: 'asc',
  }),
  r({
    name: 'ingest',
    description: 'Requests and events the ingest endpoint accepted and rejected per UTC day.',
    fn: 'report_ingest',
    columns: ['day', 'requests', 'requests_rejected', 'events_accepted', 'events_rejected', 'events_stored', 'client_dropped', 'bytes_received', 'acceptance_rate'],
    sort: 'day',
    order: 'asc',
  }),
]

export const reportByName = (name: string): ReportDef | undefined => REPORTS.find((d) => d.name == name)
