import { StatsError } from './error'
import type { FilteredQuery, PromptPerformanceList, PromptStats, PromptStatsSort, Report, ReportName, ReportQuery, ReportRows } from './types'

export interface StatsClientOptions {
  /** The ingest server, e.g. `https://telemetry.example.com` (its routes hang off this). */
  baseUrl: string
  /** The operator service token, sent as `Authorization: Bearer`. Keep it off public pages. */
  token: string
  /** Give up after this long, ms. Default 10000. */
  timeoutMs?: number | undefined
  fetch?: typeof fetch | undefined
}

type Q<N extends ReportName> = ReportQuery<ReportRows[N]>
type F<N extends ReportName> = FilteredQuery<ReportRows[N]>
type R<N extends ReportName> = Promise<Report<ReportRows[N]>>

export interface StatsClient {
  /** One prompt's counts and ratings, all time; zeros for a prompt never seen. */
  getPromptStats(promptId: string): Promise<PromptStats>
  /** Every prompt's counts and ratings, all time, sorted on a whitelisted column and paged. */
  listPromptPerformance(options?: { limit?: number | undefined; offset?: number | undefined; sort?: PromptStatsSort | undefined; order?: 'asc' | 'desc' | undefined }): Promise<PromptPerformanceList>
  /** Any report by name. */
  report<N extends ReportName>(name: N, query?: F<N>): R<N>
  llmCost(query?: Q<'llm-cost'>): R<'llm-cost'>
  llmLatency(query?: Q<'llm-latency'>): R<'llm-latency'>
  llmLatencyDaily(query?: Q<'llm-latency-daily'>): R<'llm-latency-daily'>
  llmErrors(query?: Q<'llm-errors'>): R<'llm-errors'>
  llmErrorRate(query?: Q<'llm-error-rate'>): R<'llm-error-rate'>
  llmUsers(query?: Q<'llm-users'>): R<'llm-users'>
  llmFingerprints(query?: Q<'llm-fingerprints'>): R<'llm-fingerprints'>
  llmOffTopic(query?: Q<'llm-off-topic'>): R<'llm-off-topic'>
  llmModels(query?: Q<'llm-models'>): R<'llm-models'>
  eventsDaily(query?: Q<'events-daily'>): R<'events-daily'>
  funnel(query?: F<'funnel'>): R<'funnel'>
  promptFacets(query?: Q<'prompt-facets'>): R<'prompt-facets'>
  promptPerformance(query?: F<'prompt-performance'>): R<'prompt-performance'>
  psrPrompts(query?: Q<'psr-prompts'>): R<'psr-prompts'>
  psrVersions(query?: Q<'psr-versions'>): R<'psr-versions'>
  psrDistribution(query?: Q<'psr-distribution'>): R<'psr-distribution'>
  ingest(query?: Q<'ingest'>): R<'ingest'>
}

const param = (v: unknown): string | undefined => (v == null ? undefined : v instanceof Date ? v.toISOString() : String(v))

/**
 * A typed client for the ingest server's operator endpoints: prompt stats, prompt performance
 * and every report. Works wherever `fetch` does. Throws `StatsError` on any non-2xx answer.
 * @example
 * const stats = createStatsClient({ baseUrl: 'http://127.0.0.1:8787', token: process.env.SERVICE_TOKEN! })
 * const { rows, pricing } = await stats.llmCost({ from: '2025-06-01', to: '2025-06-30' })
 */
export function createStatsClient(options: StatsClientOptions): StatsClient {
  const base = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 10_000

  async function get<T>(path: string, query: Record<string, unknown> = {}): Promise<T> {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      const s = param(v)
      if (s != null) qs.set(k, s)
    }
    const search = qs.toString()
    const url = base + path + (search ? '?' + search : '')
    const ctl = new AbortController()
    const timer = setTimeout(() => ctl.abort(), timeoutMs)
    let res: Response
    let text: string
    // The timeout covers the body too: a server can send its headers and then stall.
    try {
      res = await (options.fetch ?? fetch)(url, { headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' }, signal: ctl.signal })
      text = await res.text()
    } catch (e) {
      throw new StatsError(`GET ${path} failed: ${ctl.signal.aborted ? `no answer in ${timeoutMs} ms` : String(e)}`, 0, url, undefined, { cause: e })
    } finally {
      clearTimeout(timer)
    }
    let body: unknown = text
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {}
    if (!res.ok) {
      const reason = body && typeof body == 'object' ? ((body as { error?: unknown; message?: unknown }).error ?? (body as { message?: unknown }).message) : text
      throw new StatsError(`GET ${path} answered ${res.status}${reason ? `: ${String(reason).slice(0, 300)}` : ''}`, res.status, url, body)
    }
    if (body === undefined || typeof body == 'string') throw new StatsError(`GET ${path} answered ${res.status} without JSON`, res.status, url, body)
    return body as T
  }

  const report = <N extends ReportName>(name: N, query: F<N> = {}) => get<Report<ReportRows[N]>>(`/reports/${name}`, query as Record<string, unknown>)
  const of = <N extends ReportName>(name: N) => (query?: F<N>) => report(name, query)

  return {
    getPromptStats: (id) => get<PromptStats>(`/telemetry/prompt/${encodeURIComponent(id)}/stats`),
    listPromptPerformance: (o = {}) => get<PromptPerformanceList>('/telemetry/prompts/performance', o),
    report,
    llmCost: of('llm-cost'),
    llmLatency: of('llm-latency'),
    llmLatencyDaily: of('llm-latency-daily'),
    llmErrors: of('llm-errors'),
    llmErrorRate: of('llm-error-rate'),
    llmUsers: of('llm-users'),
    llmFingerprints: of('llm-fingerprints'),
    llmOffTopic: of('llm-off-topic'),
    llmModels: of('llm-models'),
    eventsDaily: of('events-daily'),
    funnel: of('funnel'),
    promptFacets: of('prompt-facets'),
    promptPerformance: of('prompt-performance'),
    psrPrompts: of('psr-prompts'),
    psrVersions: of('psr-versions'),
    psrDistribution: of('psr-distribution'),
    ingest: of('ingest'),
  }
}
