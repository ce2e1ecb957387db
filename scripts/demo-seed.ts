// Synthetic traffic for the demo, made with the SDK itself: suggestion lists shown, picked and
// completed, copies, searches, PSR ratings and LLM calls (steps, tokens, first-token times,
// errors, off-topic requests) spread over the past two weeks, sent over HTTP to a running
// ingest server. `npm run demo` runs it; on its own:
//   npx tsx scripts/demo-seed.ts http://127.0.0.1:8787 pk_demo_write_key [service token]
import { createTelemetry, hash, httpSink, promptCatalog, startGeneration, createStatsClient, basicHost, uuidv7 } from '../src/index'
import type { Sink, Telemetry, WireEvent, PromptCatalog } from '../src/index'
import { submitPsr } from '../src/psr/submit'

export interface SeedOptions {
  /** The ingest server, e.g. http://127.0.0.1:8787 */
  url: string
  writeKey: string
  /** With it, a server that already holds recent LLM calls is left alone (unless `force`). */
  serviceToken?: string
  /** Days of history, ending today. Default 14. */
  days?: number
  /** Simulated users. Default 10. */
  users?: number
  /** Same seed, same traffic. Default 42. */
  seed?: number
  force?: boolean
  log?: (line: string) => void
}

export interface SeedSummary {
  skipped: boolean
  events: number
  llmCalls: number
  ratings: number
  users: number
  ms: number
}

const DAY = 86_400_000
const PROMPTS = [
  { id: 'revenue-by-region', quality: 0.42, sql: true, version: '3' },
  { id: 'churn-drivers', quality: 0.33, sql: true, version: '2' },
  { id: 'weekly-summary', quality: 0.38, sql: false, version: '5' },
  { id: 'top-customers', quality: 0.27, sql: true, version: '1' },
  { id: 'draft-investor-update', quality: 0.21, sql: false, version: '2' },
  { id: 'explain-anomaly', quality: 0.16, sql: true, version: '1' },
  { id: 'pricing-experiment', quality: 0.1, sql: false, version: '1' },
  { id: 'hiring-plan', quality: 0.06, sql: false, version: '4' },
]
const LENSES = ['founder', 'investor', 'engineer']
const SOURCES = ['carousel', 'sidebar', 'search']
const MODELS = [
  { provider: 'openai', model: 'gpt-4o-mini', dated: 'gpt-4o-mini-2024-07-18', ttft: 380, perToken: 9, weight: 5 },
  { provider: 'openai', model: 'gpt-4.1', dated: 'gpt-4.1-2025-04-14', ttft: 620, perToken: 14, weight: 2 },
  { provider: 'anthropic', model: 'claude-sonnet-4-5', dated: 'claude-sonnet-4-5-20250929', ttft: 850, perToken: 16, weight: 2 },
  { provider: 'gcp.gemini', model: 'gemini-2.5-flash', dated: 'gemini-2.5-flash', ttft: 450, perToken: 6, weight: 1 },
]

/** mulberry32: a small seeded generator, so a demo looks the same on every machine. */
function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const r = {
    next,
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    shuffle: <T>(xs: readonly T[]): T[] => {
      const a = [...xs]
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        ;[a[i], a[j]] = [a[j]!, a[i]!]
      }
      return a
    },
    weighted: <T extends { weight: number }>(xs: readonly T[]): T => {
      let x = next() * xs.reduce((a, m) => a + m.weight, 0)
      for (const m of xs) if ((x -= m.weight) < 0) return m
      return xs[xs.length - 1]!
    },
    /** Log-normal around a median, with a long right tail like real latencies. */
    lognormal: (median: number, sigma: number) => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())),
  }
  return r
}

/** The SDK stamps events with the real time; this sink restamps them with the simulated one. */
function backdated(inner: Sink, stamps: Map<string, number>): Sink {
  return {
    send: (batch, ctx) =>
      inner.send({ ...batch, events: batch.events.map((e) => ({ ...e, ts: stamps.get(e.id) ?? e.ts }) as WireEvent) }, ctx),
  }
}

async function login(url: string, userId: string): Promise<string | undefined> {
  const res = await fetch(`${url}/auth/demo-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: userId }) }).catch(() => undefined)
  return res?.ok ? res.headers.getSetCookie()[0]?.split(';')[0] : undefined
}

async function alreadySeeded(o: SeedOptions, days: number): Promise<boolean> {
  if (!o.serviceToken || o.force) return false
  const stats = createStatsClient({ baseUrl: o.url, token: o.serviceToken })
  const from = new Date(Date.now() - (days - 1) * DAY).toISOString().slice(0, 10)
  const { rows } = await stats.llmErrorRate({ from }).catch(() => ({ rows: [] as { calls: number }[] }))
  return rows.reduce((a, r) => a + r.calls, 0) > 0
}

/**
 * Sends two weeks of realistic traffic to a running ingest server, through the SDK.
 * @example await seedDemo({ url: 'http://127.0.0.1:8787', writeKey: 'pk_demo_write_key' })
 */
export async function seedDemo(o: SeedOptions): Promise<SeedSummary> {
  const started = Date.now()
  const health = await fetch(`${o.url}/healthz`).then((r) => (r.ok ? '' : `it answered ${r.status}`), (e: Error) => e.message)
  if (health) throw new Error(`seedDemo: no ready ingest server at ${o.url}/healthz (${health})`)
  const days = o.days ?? 14
  const summary: SeedSummary = { skipped: false, events: 0, llmCalls: 0, ratings: 0, users: o.users ?? 10, ms: 0 }
  if (await alreadySeeded(o, days)) return { ...summary, skipped: true, ms: Date.now() - started }
  const r = rng(o.seed ?? 42)
  const fingerprints = await Promise.all(Array.from({ length: 12 }, (_, i) => hash(`select metric_${i} from facts group by 1`)))
  const names = ['ana', 'ben', 'chloe', 'dev', 'emeka', 'fatima', 'gus', 'hana', 'ivan', 'jun', 'kemi', 'lior']
  const today = Date.parse(new Date().toISOString().slice(0, 10))

  // Each simulated user runs in parallel with their own session cookie (the server derives
  // user_id from it), or with the write key alone when demo logins are turned off.
  await Promise.all(
    Array.from({ length: summary.users }, async (_, u) => {
      const ur = rng((o.seed ?? 42) * 1000 + u)
      const userId = `demo-${names[u % names.length]}${u >= names.length ? u : ''}`
      const cookie = await login(o.url, userId)
      const withCookie: typeof fetch = (input, init = {}) => fetch(input, cookie ? { ...init, headers: { ...(init.headers as Record<string, string>), cookie } } : init)
      const stamps = new Map<string, number>()
      let now = 0 // simulated epoch ms
      const t: Telemetry<PromptCatalog> = createTelemetry({
        catalog: promptCatalog,
        sink: backdated(httpSink({ endpoint: `${o.url}/telemetry/events`, writeKey: o.writeKey, fetch: withCookie, timeoutMs: 10_000 }), stamps),
        host: basicHost(),
        capacity: 100_000,
        flushInterval: 3_600_000,
        debug: true,
      })
      // Never in the future: a session that starts just before now runs on past it, and reports up
      // to now would miss its last events (the seed test failed in the morning, UTC).
      t.subscribe((e) => void stamps.set(e.id, Math.min(now, Date.now() - 1000)))
      const rated = new Set<string>()
      const activity = 0.6 + ur.next() * 0.8 // some users are busier

      for (let d = days - 1; d >= 0; d--) {
        const dayStart = today - d * DAY
        const weekend = [0, 6].includes(new Date(dayStart).getUTCDay())
        const sessions = ur.int(0, Math.round((weekend ? 2 : 4) * activity))
        for (let s = 0; s < sessions; s++) {
          now = dayStart + ur.int(7, 20) * 3_600_000 + ur.int(0, 3_599_999)
          if (now > Date.now()) now = Date.now() - ur.int(60_000, 3_600_000)
          const sessionId = uuidv7(now)
          const lens = ur.pick(LENSES)
          const source = ur.pick(SOURCES)
          const ctx = { lens_id: lens, source, stage: ur.pick(['genesis', 'exploration', 'synthesis']), interaction_count: ur.int(0, 30) }
          const opts = { sessionId }
          if (ur.chance(0.4)) {
            const q = ur.pick(['churn by cohort', 'revenue q3', 'top accounts', 'burn rate'])
            t.track('vault.search_performed', { result_count: ur.int(0, 40), query_len: q.length, query_hash: await hash(q), latency_ms: Math.round(ur.lognormal(120, 0.5)) }, opts)
          }
          // A suggestion list: 4-6 prompts, ranked.
          const shown = ur.shuffle(PROMPTS).slice(0, ur.int(4, 6))
          const ids = new Map<string, string>()
          shown.forEach((p, rank) => {
            const impression_id = uuidv7(now)
            ids.set(p.id, impression_id)
            t.track('prompt.impression', { prompt_id: p.id, impression_id, rank, score: +(1 - rank * 0.12 + ur.next() * 0.1).toFixed(3), ...ctx }, opts)
          })
          now += ur.int(2_000, 40_000)
          const picked = shown.find((p, rank) => ur.chance(p.quality * (1.2 - rank * 0.1)))
          if (!picked) {
            if (ur.chance(0.3)) t.track('prompt.skip', { prompt_id: shown[0]!.id, reason: 'scrolled_past', ...ctx }, opts)
            continue
          }
          t.track('prompt.selection', { prompt_id: picked.id, impression_id: ids.get(picked.id), rank: shown.indexOf(picked), ...ctx }, opts)
          const ok = await llmCall(t, ur, picked, fingerprints, () => now, (ms) => void (now += ms), summary)
          now += ur.int(3_000, 90_000)
          // Some people leave before the answer is done: no completion.
          if (!ok || ur.chance(0.85))
            t.track(
              'prompt.completion',
              { prompt_id: picked.id, outcome: ok ? 'success' : 'error', dwell_time_ms: Math.round(ur.lognormal(18_000, 0.7)), entropy_delta: +(ur.next() * 0.4 - 0.25).toFixed(3), ...ctx },
              opts,
            )
          if (ok && ur.chance(0.5)) {
            t.track('prompt_copied', { prompt_id: picked.id, version: picked.version, variant: ur.pick(['body', 'body', 'json']), source: ur.pick(['card', 'detail']) }, opts)
            t.track('psr.shown', { prompt_id: picked.id, version: picked.version, source: 'copy' }, opts)
            if (ur.chance(0.6)) {
              const rating = Math.max(1, Math.min(5, Math.round(1.5 + picked.quality * 8 + (ur.next() - 0.5) * 2.5)))
              t.track('psr.submitted', { prompt_id: picked.id, version: picked.version, rating, source: 'copy', has_note: false }, opts)
              if (!rated.has(picked.id)) {
                rated.add(picked.id)
                const sent = await submitPsr(
                  { prompt_id: picked.id, version: picked.version, rating, source: 'copy', ...(cookie ? {} : { write_key: o.writeKey }) },
                  { url: `${o.url}/psr`, fetch: withCookie },
                ).then(() => 1, () => 0)
                summary.ratings += sent
              }
            } else t.track('psr.dismissed', { prompt_id: picked.id, version: picked.version, source: 'copy' }, opts)
          }
          if (ur.chance(0.15)) t.track('prompt.feedback', { prompt_id: picked.id, feedback: ok && ur.chance(0.7) ? 'positive' : 'negative', ...ctx }, opts)
        }
        await t.flush()
      }
      await t.shutdown()
      const st = t.stats()
      summary.events += st.sent
      if (st.failed || st.rejected || st.dropped || st.queued)
        o.log?.(`${userId}: ${st.failed} failed, ${st.rejected} rejected, ${st.dropped} dropped, ${st.queued} never sent`)
    }),
  )
  summary.ms = Date.now() - started
  return summary
}

type Rng = ReturnType<typeof rng>

/** One LLM call for a picked prompt: a text-to-SQL pipeline, or a plain chat completion. */
async function llmCall(t: Telemetry<PromptCatalog>, r: Rng, p: (typeof PROMPTS)[number], fps: string[], clock: () => number, advance: (ms: number) => void, summary: SeedSummary): Promise<boolean> {
  const m = r.weighted(MODELS)
  const trace = Array.from({ length: 32 }, () => r.int(0, 15).toString(16)).join('')
  const g = startGeneration(t, { provider: m.provider, model: m.model, streaming: true, promptId: p.id, promptVersion: p.version, conversationId: `conv_${uuidv7(clock())}`, traceId: trace, queryFingerprint: p.sql ? r.pick(fps) : undefined }, { now: clock })
  summary.llmCalls++
  const input = r.int(900, 5_500)
  const cached = r.chance(0.55) ? Math.min(input - 200, 1024 * r.int(1, 4)) : 0
  const written = m.provider == 'anthropic' && !cached && r.chance(0.5) ? Math.min(input - 100, 2048) : 0
  const output = Math.round(r.lognormal(320, 0.6))
  const usage = { inputTokens: input, cacheReadTokens: cached, cacheCreationTokens: written, outputTokens: output }
  const fail = (type: string, step: string, tokens = true) => (g.fail(type, { step, usage: tokens ? { inputTokens: input, outputTokens: 0 } : undefined }), false)
  const roll = r.next()
  if (roll < 0.03) {
    advance(Math.round(r.lognormal(400, 0.3)))
    return g.end({ usage: { inputTokens: input, outputTokens: r.int(8, 30) }, offTopic: true, finishReasons: ['stop'] }), true
  }
  if (p.sql) {
    const s = g.step('nl_to_sql')
    advance(Math.round(r.lognormal(m.ttft * 1.6, 0.45)))
    if (roll < 0.055) return s.fail(), fail('sql_validation', 'nl_to_sql')
    s.end()
    const q = g.step('sql_execution')
    advance(Math.round(r.lognormal(85, 0.9)))
    if (roll < 0.07) return q.fail(), fail('57014', 'sql_execution') // PostgreSQL: statement timeout
    q.end()
  }
  const gen = g.step('response_generation')
  if (roll > 0.975) {
    advance(r.int(200, 900))
    gen.fail()
    return fail(m.provider == 'anthropic' ? 'overloaded_error' : 'rate_limit_exceeded', 'response_generation', false)
  }
  advance(Math.round(r.lognormal(m.ttft * 0.25, 0.3)))
  g.firstByte()
  advance(Math.round(r.lognormal(m.ttft * 0.75, 0.35)))
  g.firstChunk()
  if (roll > 0.96) {
    advance(30_000)
    gen.fail()
    return fail('TimeoutError', 'response_generation')
  }
  advance(Math.round(output * m.perToken * (0.8 + r.next() * 0.5)))
  gen.end()
  g.end({ usage, responseModel: m.dated, responseId: `resp_${uuidv7(clock()).replace(/-/g, '')}`, finishReasons: [r.chance(0.96) ? 'stop' : 'length'] })
  return true
}

/** What `npm run demo` calls. */
export default async function seed(o: SeedOptions): Promise<SeedSummary> {
  const log = o.log ?? ((line: string) => console.log(line))
  const s = await seedDemo({ ...o, log })
  log(
    s.skipped
      ? 'demo traffic: the server already has recent data, left as is (DEMO_SEED=0 skips seeding)'
      : `demo traffic: ${s.events} events, ${s.llmCalls} LLM calls and ${s.ratings} ratings from ${s.users} users over 14 days, sent in ${(s.ms / 1000).toFixed(1)} s`,
  )
  return s
}

if (import.meta.url == `file://${process.argv[1]}`) {
  const [url, writeKey, serviceToken] = process.argv.slice(2)
  if (!url || !writeKey) {
    console.error('usage: npx tsx scripts/demo-seed.ts <server url> <write key> [service token]')
    process.exit(1)
  }
  await seed({ url, writeKey, serviceToken }).catch((e: Error) => {
    console.error(e.message)
    process.exit(1)
  })
}
