import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportByName } from '../../examples/ingest-server/src/reports/definitions'
import { parseReportQuery, runReport } from '../../examples/ingest-server/src/reports/run'
import type { Store } from '../../examples/ingest-server/src/store/index'
import { ENGINES, openMigratedStore } from './db'
import { D1, D2, FP_A, FP_B, generation, seedDataset, TEST_PRICES } from './dataset'
import { createEventWriter } from '../../examples/ingest-server/src/store/index'
import { syncPrices } from '../../examples/ingest-server/src/pricing/index'

// Every expected figure below was worked out by hand from dataset.ts. Percentiles are
// percentile_cont: for n sorted values, p lands at index p*(n-1), interpolated linearly.
const near = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v == 'number' ? expect.closeTo(v, 6) : v]))

describe.each(ENGINES)('reports on %s', (engine) => {
  let store: Store
  let close: () => Promise<void>
  beforeAll(async () => {
    ;({ store, close } = await openMigratedStore(engine))
    await seedDataset(store)
  }, 120_000)
  afterAll(() => close?.())

  const run = async (name: string, q: Record<string, string> = {}) => {
    const def = reportByName(name)!
    return (await runReport(store, def, parseReportQuery(def, { from: D1, to: D2, ...q }))).rows
  }

  it('prices tokens per day from the stored counts, counting cached tokens once', async () => {
    // test-model call: 5,000 uncached x $2 + 4,000 read x $0.5 + 1,000 written x $2.5 + 500 out x $8 per 1M = $0.0185
    // cheap-model call: 1,000 in x $0.1 per 1M = $0.0001 (no cache price: billed as input)
    expect(await run('llm-cost')).toEqual([
      near({ day: D1, calls: 12, input_tokens: 120_000, uncached_input_tokens: 60_000, cache_read_tokens: 48_000, cache_creation_tokens: 12_000, output_tokens: 6_000, reasoning_tokens: 1_200, cost_usd: 0.222, unpriced_calls: 0 }),
      near({ day: D2, calls: 14, input_tokens: 85_100, uncached_input_tokens: 45_100, cache_read_tokens: 32_000, cache_creation_tokens: 8_000, output_tokens: 4_100, reasoning_tokens: 800, cost_usd: 0.1485, unpriced_calls: 1 }),
    ])
  })

  it('computes p50/p95/p99 per step and for the call, first token and never-measured first byte', async () => {
    const rows = await run('llm-latency', { sort: 'metric' })
    expect(rows).toEqual([
      // 20 nl_to_sql steps of 10..200 ms (the 2 failed ones are left out)
      near({ kind: 'step', metric: 'nl_to_sql', samples: 20, p50_ms: 105, p95_ms: 190.5, p99_ms: 198.1, avg_ms: 105, max_ms: 200 }),
      // 5, 10, 15, 20, 100
      near({ kind: 'step', metric: 'sql_execution', samples: 5, p50_ms: 15, p95_ms: 84, p99_ms: 96.8, avg_ms: 30, max_ms: 100 }),
      // 100..2000 and the 500 ms unpriced call: 21 values
      near({ kind: 'call', metric: 'total', samples: 21, p50_ms: 1000, p95_ms: 1900, p99_ms: 1980, avg_ms: 1023.8, max_ms: 2000 }),
      // 10..100 ms on 10 calls; the 11 others never measured it
      near({ kind: 'call', metric: 'ttft', samples: 10, p50_ms: 55, p95_ms: 95.5, p99_ms: 99.1, avg_ms: 55, max_ms: 100 }),
    ])
    expect(rows.find((r) => r.metric == 'ttfb')).toBeUndefined()
  })

  it('gives latency percentiles per day', async () => {
    expect(await run('llm-latency-daily')).toEqual([
      // D1: 100..1200
      near({ day: D1, calls: 12, p50_ms: 650, p95_ms: 1145, p99_ms: 1189, ttft_p50_ms: 55, ttft_p95_ms: 95.5 }),
      // D2: 1300..2000 and 500
      near({ day: D2, calls: 9, p50_ms: 1600, p95_ms: 1960, p99_ms: 1992, ttft_p50_ms: null, ttft_p95_ms: null }),
    ])
  })

  it('breaks errors down by type and failed step, as a share of all calls', async () => {
    expect(await run('llm-errors')).toEqual([
      { ...near({ error_type: 'rate_limit_exceeded', failed_step: 'response_generation', errors: 3, pct_of_calls: 11.54, users: 1 }), last_seen: '2025-06-11T10:32:00.000Z' },
      { ...near({ error_type: 'sql_validation', failed_step: 'nl_to_sql', errors: 2, pct_of_calls: 7.69, users: 1 }), last_seen: '2025-06-11T10:34:00.000Z' },
    ])
    expect(await run('llm-error-rate')).toEqual([
      near({ day: D1, calls: 12, errors: 0, error_rate: 0 }),
      near({ day: D2, calls: 14, errors: 5, error_rate: 0.3571 }),
    ])
  })

  it('gives a day without calls no error or off-topic rate, rather than 0%', async () => {
    const day = '2025-06-08'
    expect((await run('llm-error-rate', { from: day })).find((r) => r.day == day)).toEqual({ day, calls: 0, errors: 0, error_rate: null })
    expect((await run('llm-off-topic', { from: day })).find((r) => r.day == day)).toEqual({ day, calls: 0, off_topic: 0, off_topic_rate: null })
  })

  it('answers latencies to a tenth of a millisecond, as the dashboard shows them', async () => {
    // Calls of 1, 2 and 3 ms (3.333 is sent as 3) on a day of their own: p99 interpolates to 2.98.
    const day = '2025-06-20'
    const writer = createEventWriter(store, { now: () => new Date(`${day}T12:00:00Z`) })
    const rows = [1, 2, 3.333].flatMap((durationMs, i) =>
      generation({ provider: 'testai', model: 'round-model', durationMs, usage: { inputTokens: 1, outputTokens: 1 } }, Date.parse(`${day}T10:0${i}:00Z`), 'u-round'),
    )
    await writer.write(rows, { events_accepted: rows.length })
    await writer.close()
    const total = (await run('llm-latency', { from: day, to: day })).find((r) => r.metric == 'total')
    expect(total).toMatchObject({ samples: 3, p50_ms: 2, p95_ms: 2.9, p99_ms: 3, avg_ms: 2 })
    expect((await run('llm-latency-daily', { from: day, to: day }))[0]).toMatchObject({ p95_ms: 2.9, p99_ms: 3 })
  })

  it('sums usage and cost per user', async () => {
    expect((await run('llm-users')).map(({ last_seen, ...r }) => r)).toEqual([
      near({ user_id: 'u1', calls: 12, input_tokens: 120_000, output_tokens: 6_000, total_tokens: 126_000, cost_usd: 0.222, errors: 0, off_topic: 2 }),
      near({ user_id: 'u2', calls: 13, input_tokens: 85_000, output_tokens: 4_000, total_tokens: 89_000, cost_usd: 0.1485, errors: 5, off_topic: 0 }),
      near({ user_id: 'u3', calls: 1, input_tokens: 100, output_tokens: 100, total_tokens: 200, cost_usd: 0, errors: 0, off_topic: 0 }),
    ])
  })

  it('ranks query fingerprints', async () => {
    expect((await run('llm-fingerprints')).map(({ last_seen, ...r }) => r)).toEqual([
      near({ query_fingerprint: FP_A, calls: 6, users: 1, errors: 0, avg_duration_ms: 350, p95_duration_ms: 575 }),
      near({ query_fingerprint: FP_B, calls: 2, users: 1, errors: 0, avg_duration_ms: 750, p95_duration_ms: 795 }),
    ])
  })

  it('gives the off-topic rate per day', async () => {
    expect(await run('llm-off-topic')).toEqual([
      near({ day: D1, calls: 12, off_topic: 2, off_topic_rate: 0.1667 }),
      near({ day: D2, calls: 14, off_topic: 0, off_topic_rate: 0 }),
    ])
  })

  it('compares models by the model asked for, pricing dated answers by their base name and never by a looser prefix', async () => {
    expect(await run('llm-models')).toEqual([
      near({ provider: 'testai', model: 'test-model', calls: 20, errors: 0, error_rate: 0, p50_ms: 1050, p95_ms: 1905, ttft_p50_ms: 55, avg_input_tokens: 10_000, avg_output_tokens: 500, cost_usd: 0.37, cost_per_call_usd: 0.0185, price_version: 'test-1' }),
      near({ provider: 'testai', model: 'cheap-model', calls: 5, errors: 5, error_rate: 1, p50_ms: null, p95_ms: null, ttft_p50_ms: null, avg_input_tokens: 1000, avg_output_tokens: 0, cost_usd: 0.0005, cost_per_call_usd: 0.0001, price_version: 'test-1' }),
      near({ provider: 'testai', model: 'test-model-mini', calls: 1, errors: 0, error_rate: 0, p50_ms: 500, p95_ms: 500, ttft_p50_ms: null, avg_input_tokens: 100, avg_output_tokens: 100, cost_usd: null, cost_per_call_usd: null, price_version: null }),
    ])
  })

  it('gives the PSR distribution and average per prompt and per version', async () => {
    expect(await run('psr-prompts')).toEqual([
      near({ prompt_id: 'p1', ratings: 3, avg_rating: 4.33, r1: 0, r2: 0, r3: 0, r4: 2, r5: 1, with_note: 1, last_day: D2 }),
      near({ prompt_id: 'p2', ratings: 2, avg_rating: 2, r1: 1, r2: 0, r3: 1, r4: 0, r5: 0, with_note: 0, last_day: D2 }),
    ])
    expect((await run('psr-versions', { sort: 'avg_rating' })).map((r) => [r.prompt_id, r.version, r.ratings, r.avg_rating])).toEqual([
      ['p1', '1', 2, 4.5],
      ['p1', 'latest', 1, 4],
      ['p2', '2', 2, 2],
    ])
    expect(await run('psr-distribution')).toEqual([
      near({ rating: 1, ratings: 1, share: 0.2 }),
      near({ rating: 2, ratings: 0, share: 0 }),
      near({ rating: 3, ratings: 1, share: 0.2 }),
      near({ rating: 4, ratings: 2, share: 0.4 }),
      near({ rating: 5, ratings: 1, share: 0.2 }),
    ])
  })

  it('counts what the ingest endpoint accepted, rejected and stored per day', async () => {
    expect(await run('ingest')).toEqual([
      near({ day: D1, requests: 2, requests_rejected: 1, events_accepted: 35, events_rejected: 3, events_stored: 35, client_dropped: 4, bytes_received: 1000, acceptance_rate: 0.9211 }),
      near({ day: D2, requests: 2, requests_rejected: 1, events_accepted: 28, events_rejected: 3, events_stored: 27, client_dropped: 4, bytes_received: 1000, acceptance_rate: 0.9032 }),
    ])
  })

  it('counts events per day and name', async () => {
    const rows = await run('events-daily', { sort: 'event' })
    const table = Object.fromEntries(rows.map((r) => [`${r.day} ${r.event}`, r.events]))
    expect(table).toEqual({
      [`${D1} llm.generation`]: 12,
      [`${D1} llm.step`]: 17,
      [`${D1} prompt.impression`]: 3,
      [`${D1} prompt.selection`]: 2,
      [`${D1} prompt.completion`]: 1,
      [`${D2} llm.generation`]: 14,
      [`${D2} llm.step`]: 10,
      [`${D2} prompt.impression`]: 3,
    })
  })

  it('gives the suggestion funnel, whole and per lens', async () => {
    expect(await run('funnel')).toEqual([near({ impressions: 6, selections: 2, completions: 1, selection_rate: 0.3333, completion_rate: 0.5 })])
    expect(await run('funnel', { lens: 'founder' })).toEqual([near({ impressions: 3, selections: 2, completions: 1, selection_rate: 0.6667, completion_rate: 0.5 })])
  })

  it('gives prompt performance with PSR, filtered by lens and source', async () => {
    expect((await run('prompt-performance')).map(({ last_surfaced, ...r }) => r)).toEqual([
      near({ prompt_id: 'p1', impressions: 4, selections: 2, completions: 1, selection_rate: 0.5, completion_rate: 0.5, avg_dwell_time_ms: 3000, avg_entropy_delta: -0.1, psr_avg: 4.33, psr_ratings: 3 }),
      near({ prompt_id: 'p2', impressions: 2, selections: 0, completions: 0, selection_rate: 0, completion_rate: 0, avg_dwell_time_ms: null, avg_entropy_delta: null, psr_avg: 2, psr_ratings: 2 }),
    ])
    const sidebar = await run('prompt-performance', { source: 'sidebar', sort: 'prompt_id', order: 'asc' })
    expect(sidebar.map((r) => [r.prompt_id, r.impressions, r.selections])).toEqual([
      ['p1', 1, 0],
      ['p2', 2, 0],
    ])
    expect(await run('prompt-performance', { lens: 'nobody' })).toEqual([])
    expect(await run('prompt-facets', { sort: 'value', order: 'asc' })).toEqual([
      { facet: 'source', value: 'carousel', events: 6 },
      { facet: 'lens', value: 'founder', events: 6 },
      { facet: 'lens', value: 'investor', events: 3 },
      { facet: 'source', value: 'sidebar', events: 3 },
    ])
  })

  it('sorts on any whitelisted column in either direction', async () => {
    const asc = await run('llm-users', { sort: 'calls', order: 'asc' })
    expect(asc.map((r) => r.user_id)).toEqual(['u3', 'u1', 'u2'])
    const limited = await run('llm-users', { sort: 'calls', order: 'desc', limit: '1' })
    expect(limited.map((r) => r.user_id)).toEqual(['u2'])
  })

  it('covers a range given as instants, half-open at its end', async () => {
    const rows = await run('llm-error-rate', { from: '2025-06-11T00:00:00Z', to: '2025-06-11T10:31:00Z' })
    // D2 until 10:31: 8 test-model calls (10:13..10:20) and the first failure (10:30)
    expect(rows).toEqual([near({ day: D2, calls: 9, errors: 1, error_rate: 0.1111 })])
  })

  it('rewrites llm_prices to the configured table: repriced, added and removed models', async () => {
    await syncPrices(store, { ...TEST_PRICES, version: 'test-2', models: { 'test-model': { input: 4, output: 8 }, 'new-model': { input: 1, output: 1 } } })
    const { rows } = await store.query('SELECT model, input_per_mtok, cached_input_per_mtok, version FROM llm_prices ORDER BY model')
    expect(rows).toEqual([
      { model: 'new-model', input_per_mtok: 1, cached_input_per_mtok: null, version: 'test-2' },
      { model: 'test-model', input_per_mtok: 4, cached_input_per_mtok: null, version: 'test-2' },
    ])
    // 20 calls x (10,000 input x $4 + 500 output x $8) per 1M, no cache price: billed as input
    const models = await run('llm-models')
    expect(models[0]).toMatchObject({ model: 'test-model', cost_usd: expect.closeTo(0.88, 6), price_version: 'test-2' })
    await syncPrices(store, TEST_PRICES)
  })
})
