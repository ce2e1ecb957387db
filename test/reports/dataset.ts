import { createEventWriter, type EventRow, type Store } from '../../examples/ingest-server/src/store/index'
import { syncPrices } from '../../examples/ingest-server/src/pricing/index'
import { trackGeneration, type GenerationRecord } from '../../src/llm/track'
import { uuidv7 } from '../../src/core/uuid'

/**
 * A small dataset whose every report figure was computed by hand (see reports.test.ts): two
 * UTC days, 2025-06-10 (D1) and 2025-06-11 (D2), plus rows just outside them.
 */
export const D1 = '2025-06-10'
export const D2 = '2025-06-11'
export const FP_A = 'a'.repeat(64)
export const FP_B = 'b'.repeat(64)

/** USD per million tokens, chosen for easy sums. */
export const TEST_PRICES = {
  version: 'test-1',
  source: 'hand-made for the report tests',
  currency: 'USD' as const,
  models: {
    'test-model': { input: 2, cachedInput: 0.5, cacheWrite: 2.5, output: 8 },
    'cheap-model': { input: 0.1, output: 0.4 },
  },
}

interface Row extends EventRow {}

const at = (day: string, minute: number) => Date.parse(`${day}T10:00:00Z`) + minute * 60_000

/** The wire events of one generation (steps first), as the SDK makes them. */
export function generation(record: GenerationRecord, ts: number, user: string): Row[] {
  const out: Row[] = []
  trackGeneration(
    {
      track: (event, attrs) => {
        const a = Object.fromEntries(Object.entries(attrs as Record<string, unknown>).filter(([, v]) => v !== undefined))
        out.push({ id: uuidv7(ts), event, ts, session_id: `s-${user}`, user_id: user, prompt_id: (a.prompt_id as string) ?? null, attributes: a, trace_id: null })
      },
    },
    record,
  )
  return out
}

function lifecycle(event: string, prompt: string, lens: string, source: string, ts: number, extra: Record<string, unknown> = {}): Row {
  const attributes = { prompt_id: prompt, lens_id: lens, source, ...(event == 'prompt.impression' ? { impression_id: uuidv7(ts) } : {}), ...extra }
  return { id: uuidv7(ts), event, ts, session_id: 's-web', user_id: 'u1', prompt_id: prompt, attributes, trace_id: null }
}

export function datasetRows(): { d1: Row[]; d2: Row[]; outside: Row[] } {
  const d1: Row[] = []
  const d2: Row[] = []
  // A. 20 successful calls of test-model; durations 100..2000 ms; ttft on the first 10 only.
  for (let i = 1; i <= 20; i++) {
    const steps: Record<string, number> = { nl_to_sql: 10 * i }
    if (i <= 5) steps.sql_execution = [5, 10, 15, 20, 100][i - 1]!
    const rows = generation(
      {
        provider: 'testai',
        model: 'test-model',
        responseModel: 'test-model-2025-06-01',
        durationMs: 100 * i,
        ttftMs: i <= 10 ? 10 * i : null,
        usage: { inputTokens: 10_000, cacheReadTokens: 4_000, cacheCreationTokens: 1_000, outputTokens: 500, reasoningTokens: 100 },
        steps,
        offTopic: i <= 2,
        queryFingerprint: i <= 6 ? FP_A : i <= 8 ? FP_B : undefined,
      },
      i <= 12 ? at(D1, i) : at(D2, i),
      i <= 12 ? 'u1' : 'u2',
    )
    ;(i <= 12 ? d1 : d2).push(...rows)
  }
  // B. 5 failed calls of cheap-model on D2.
  for (let i = 0; i < 5; i++) {
    const sql = i >= 3
    d2.push(
      ...generation(
        {
          provider: 'testai',
          model: 'cheap-model',
          durationMs: 300,
          usage: { inputTokens: 1000, outputTokens: 0 },
          steps: sql ? { nl_to_sql: 250 } : undefined,
          error: sql ? 'sql_validation' : Object.assign(new Error('429 Too Many Requests'), { code: 'rate_limit_exceeded' }),
          failedStep: sql ? 'nl_to_sql' : 'response_generation',
        },
        at(D2, 30 + i),
        'u2',
      ),
    )
  }
  // C. A model with no price (and not to be priced as test-model).
  d2.push(...generation({ provider: 'testai', model: 'test-model-mini', durationMs: 500, usage: { inputTokens: 100, outputTokens: 100 } }, at(D2, 40), 'u3'))
  // The suggestion lifecycle.
  for (let i = 0; i < 3; i++) d1.push(lifecycle('prompt.impression', 'p1', 'founder', 'carousel', at(D1, 50 + i)))
  for (let i = 0; i < 2; i++) d1.push(lifecycle('prompt.selection', 'p1', 'founder', 'carousel', at(D1, 55 + i)))
  d1.push(lifecycle('prompt.completion', 'p1', 'founder', 'carousel', at(D1, 58), { dwell_time_ms: 3000, entropy_delta: -0.1, outcome: 'success' }))
  d2.push(lifecycle('prompt.impression', 'p1', 'investor', 'sidebar', at(D2, 50)))
  for (let i = 0; i < 2; i++) d2.push(lifecycle('prompt.impression', 'p2', 'investor', 'sidebar', at(D2, 51 + i)))
  // Just outside [D1, D2]: must count nowhere.
  const huge = { inputTokens: 9_000_000, outputTokens: 9_000_000 }
  const outside = [
    ...generation({ provider: 'testai', model: 'test-model', durationMs: 99_999, usage: huge, error: 'x' }, Date.parse('2025-06-09T23:59:59.999Z'), 'u1'),
    ...generation({ provider: 'testai', model: 'test-model', durationMs: 99_999, usage: huge, offTopic: true }, Date.parse('2025-06-12T00:00:00.000Z'), 'u1'),
    lifecycle('prompt.impression', 'p1', 'founder', 'carousel', Date.parse('2025-06-12T00:00:00Z')),
  ]
  return { d1, d2, outside }
}

/** Stores the dataset through the server's own writer, and (unless told not to) the test prices. */
export async function seedDataset(store: Store, o: { prices?: boolean } = {}): Promise<void> {
  if (o.prices !== false) await syncPrices(store, TEST_PRICES)
  const { d1, d2, outside } = datasetRows()
  let day = D1
  const writer = createEventWriter(store, { now: () => new Date(`${day}T12:00:00Z`) })
  const counts = { requests: 2, requests_rejected: 1, events_rejected: 3, client_dropped: 4, bytes_received: 1000 }
  await writer.write(d1, { ...counts, events_accepted: d1.length })
  day = D2
  await writer.write([...d2, d2[0]!], { ...counts, events_accepted: d2.length + 1 }) // one duplicate: accepted, stored once
  day = '2025-06-12'
  await writer.write(outside, { requests: 1, events_accepted: outside.length })
  await writer.close()
  const psr = [
    ['o1', 'p1', '1', 5, null, D1],
    ['o2', 'p1', '1', 4, 'nice', D1],
    ['o3', 'p1', null, 4, null, D2],
    ['o1', 'p2', '2', 1, null, D2],
    ['o2', 'p2', '2', 3, null, D2],
    ['o4', 'p2', '2', 5, null, '2025-06-12'],
  ]
  for (const [owner, prompt, version, rating, note, d] of psr)
    await store.query(`INSERT INTO psr_ratings (owner_id, prompt_id, version, rating, note, source, day) VALUES ($1, $2, $3, $4, $5, 'copy', $6)`, [owner, prompt, version, rating, note, d])
}
