// `npm run bench:ingest [-- pglite|postgres]`: load against the real ingest server (its own
// process, started from the command line) with realistic 50-event batches, on 127.0.0.1 only,
// every run bounded in time. Reports latency at 200 req/s, the highest rate that keeps p95
// under 100 ms, events stored per second, and that rows stored == events accepted.
//
// Fixed rates are sent open loop: request i leaves at start + i/rate whatever happened to the
// ones before it, and its latency runs from that planned instant (no coordinated omission).
// autocannon's overallRate would not do: each connection sends its quota for the second back
// to back and then waits for the next second, so "200 req/s" would be bursts of concurrent
// requests at the top of every second. autocannon drives the unthrottled run (throughput).
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { openStore } from '../examples/ingest-server/src/store'
import { freePort, startCluster, type Cluster } from '../test/server/pg-cluster'

const WRITE_KEY = 'pk_bench_write_key'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const RATES = (process.env.BENCH_RATES ?? '200,400,600,800,1000,1200,1500,2000').split(',').map(Number)
const MAX_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)

const PROMPTS = Array.from({ length: 200 }, (_, i) => `p-${i}`)

// The load generator shares the cores with the server, so bodies are cheap to make: events
// serialized once per kind, ids from a random prefix and a counter (unique across the run).
const prefix = randomUUID().slice(0, 24)
let counter = 0
const nextId = () => prefix + (counter++).toString(16).padStart(12, '0')
const KINDS: [number, Record<string, unknown>][] = [
  [0.6, { event: 'prompt.impression', impression_id: 'imp-1', rank: 3, source: 'home', score: 0.42, lens_id: 'lens-1', entropy: 0.3 }],
  [0.75, { event: 'prompt.selection', rank: 2, source: 'home' }],
  [0.85, { event: 'prompt.completion', outcome: 'success', dwell_time_ms: 2400, entropy_delta: -0.12 }],
  [0.95, { event: 'prompt_copied', variant: 'body', source: 'card' }],
  [1, { event: 'vault.search_performed', result_count: 12, query_len: 9, latency_ms: 35, query_hash: 'a'.repeat(64) }],
]
// Per kind and prompt: the JSON after the id, e.g. `","event":"prompt_copied",...,"prompt_id":"p-7"}`.
const TAILS = KINDS.map(([, attrs]) =>
  PROMPTS.map((p) => JSON.stringify({ ...attrs, ...(attrs.event === 'vault.search_performed' ? {} : { prompt_id: p }) }).slice(1)),
)
const CUTS = KINDS.map(([cut]) => cut)

/** One request: 50 events, mostly impressions, then selections, completions, copies, searches. */
function body(): string {
  const session = nextId()
  const now = Date.now()
  let out = '{"events":['
  for (let i = 0; i < 50; i++) {
    const r = Math.random()
    const k = CUTS.findIndex((c) => r < c)
    out += `${i ? ',' : ''}{"id":"${nextId()}","ts":${now},"session_id":"${session}",${TAILS[k]![Math.floor(Math.random() * PROMPTS.length)]}`
  }
  return out + `],"sent_at":${now},"dropped":0,"sdk":"prompt-telemetry@bench","write_key":"${WRITE_KEY}"}`
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

interface Run {
  rate: number | 'max'
  requests: number
  ok: number
  errors: number
  accepted: number
  reqPerS: number
  eventsPerS: number
  p50: number
  p95: number
  p99: number
}

function summary(rate: number | 'max', lat: number[], ok: number, errors: number, accepted: number, elapsed: number): Run {
  lat.sort((a, b) => a - b)
  return {
    rate,
    requests: lat.length,
    ok,
    errors,
    accepted,
    reqPerS: Math.round(ok / elapsed),
    eventsPerS: Math.round(accepted / elapsed),
    p50: +pct(lat, 50).toFixed(1),
    p95: +pct(lat, 95).toFixed(1),
    p99: +pct(lat, 99).toFixed(1),
  }
}

/**
 * `rate` requests per second for `seconds`, open loop, over keep-alive connections (as many
 * as requests in flight). A request unanswered after 10 s is an error, and so is one that was
 * not sent because more than a second's worth were already waiting: the step stays bounded.
 */
async function paced(url: string, rate: number, seconds: number): Promise<Run> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 })
  const target = new URL('/telemetry/events', url)
  const total = Math.round(rate * seconds)
  const lat: number[] = []
  let accepted = 0
  let ok = 0
  let errors = 0
  let inflight = 0
  const start = performance.now() + 10
  const plannedAt = (i: number) => start + (i * 1000) / rate
  await new Promise<void>((done) => {
    let settled = 0
    const settle = () => ++settled === total && done()
    const fire = (planned: number) => {
      if (inflight > rate) return errors++, settle()
      inflight++
      const payload = body()
      const req = http.request(target, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(payload) },
      })
      let over = false // each request is counted once, whatever events follow
      const finish = (answer?: { status: number; text: string }) => {
        if (over) return
        over = true
        inflight--
        if (answer) lat.push(performance.now() - planned)
        if (answer?.status === 200) (ok++, (accepted += JSON.parse(answer.text).accepted))
        else errors++
        settle()
      }
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')))
      req.on('error', () => finish())
      req.on('response', (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('error', () => finish())
        res.on('end', () => finish({ status: res.statusCode ?? 0, text }))
      })
      req.end(payload)
    }
    let sent = 0
    const tick = () => {
      while (sent < total && plannedAt(sent) <= performance.now()) fire(plannedAt(sent++))
      if (sent < total) setTimeout(tick, Math.max(0, plannedAt(sent) - performance.now()))
    }
    setTimeout(tick, 10)
  })
  agent.destroy()
  return summary(rate, lat, ok, errors, accepted, (performance.now() - start) / 1000)
}

/** One bounded, unthrottled autocannon run; latencies are autocannon's own, from each request's write to its answer. */
async function load(url: string, rate: 'max', seconds: number): Promise<Run> {
  const lat: number[] = []
  let accepted = 0
  let ok = 0
  let errors = 0
  const started = performance.now()
  const instance = autocannon({
    url: `${url}/telemetry/events`,
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    connections: MAX_CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }),
        onResponse: (status: number, res: string) => {
          if (status === 200) (ok++, (accepted += JSON.parse(res).accepted))
          else errors++
        },
      },
    ],
  } as autocannon.Options)
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => lat.push(ms))
  const result = await instance
  return summary(rate, lat, ok, errors + result.errors + result.timeouts, accepted, (performance.now() - started) / 1000)
}

async function startServerProcess(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []), '--import', 'tsx', 'examples/ingest-server/src/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      WRITE_KEYS: WRITE_KEY,
      SERVICE_TOKEN: 'bench-service-token-0123',
      COOKIE_SECRET: 'bench-cookie-secret-0123456789abcdef',
      RATE_LIMIT_PER_MINUTE: '1000000000', // the limit is per IP, and all load comes from one
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 600; i++) {
    if (child.exitCode != null) throw new Error('the server exited during start-up')
    if (await fetch(url + '/healthz').then((r) => r.ok, () => false)) return { url, child }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error('the server did not become healthy within 60 s')
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM') // graceful: pending writes are committed before it exits
  await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))])
  if (child.exitCode == null) child.kill('SIGKILL')
}

async function bench(kind: 'pglite' | 'postgres') {
  let cluster: Cluster | undefined
  let dataDir: string | undefined
  let env: Record<string, string>
  if (kind === 'postgres') {
    cluster = await startCluster({ max_connections: '50' }) // durable defaults: fsync and synchronous_commit on
    env = { DATABASE_URL: cluster.url }
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'pt-bench-pglite-'))
    env = { DATA_DIR: process.env.BENCH_PGLITE_MEMORY ? 'memory' : dataDir }
  }
  const { url, child } = await startServerProcess(env)
  const runs: Run[] = []
  try {
    await load(url, 'max', 3) // warm-up (JIT, caches), counted in the totals below
    runs.push(await paced(url, RATES[0]!, 2 * SECONDS))
    // Unthrottled before the rising rates: the last of those overloads the server on purpose,
    // and its backlog (requests the client gave up on are still committed) would spill into it.
    const max = await load(url, 'max', SECONDS)
    for (const rate of RATES.slice(1)) {
      const r = await paced(url, rate, SECONDS)
      runs.push(r)
      if (r.p95 >= 100 || r.reqPerS < 0.95 * rate) break
    }
    runs.push(max) // shown last
  } finally {
    await stop(child)
  }
  // The server has stopped (its pending writes committed): count what it stored.
  const memory = !!process.env.BENCH_PGLITE_MEMORY && kind === 'pglite'
  const store = memory ? undefined : await openStore({ dataDir, databaseUrl: cluster?.url })
  const stats = store
    ? (await store.query<{ accepted: number; stored: number; rows: number }>(
        'SELECT sum(events_accepted) AS accepted, sum(events_stored) AS stored, (SELECT count(*) FROM events) AS rows FROM ingest_stats',
      )).rows[0]!
    : undefined
  await store?.close()
  cluster?.stop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  return { kind, runs, stats }
}

const which = process.argv[2]
const kinds: ('pglite' | 'postgres')[] = which === 'pglite' || which === 'postgres' ? [which] : ['pglite', 'postgres']
console.log(`ingest benchmark: 50-event batches, ${SECONDS} s per step (open loop), unthrottled with ${MAX_CONNECTIONS} connections, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`)
for (const kind of kinds) {
  const { runs, stats } = await bench(kind)
  console.log(`\n${kind}`)
  console.table(runs.map((r) => ({ 'target req/s': r.rate, 'req/s': r.reqPerS, 'events/s': r.eventsPerS, p50: r.p50, p95: r.p95, p99: r.p99, errors: r.errors })))
  const ok = runs.filter((r) => r.rate !== 'max' && r.p95 < 100 && r.reqPerS >= 0.95 * (r.rate as number))
  const best = ok[ok.length - 1]
  const max = runs[runs.length - 1]!
  console.log(
    `at 200 req/s: p50 ${runs[0]!.p50} ms, p95 ${runs[0]!.p95} ms, p99 ${runs[0]!.p99} ms\n` +
      `highest rate with p95 < 100 ms: ${best ? `${best.rate} req/s (${best.eventsPerS} events/s)` : 'none'}\n` +
      `unthrottled: ${max.reqPerS} req/s, ${max.eventsPerS} events/s stored, p95 ${max.p95} ms\n` +
      (stats
        ? `events accepted ${stats.accepted}, new rows ${stats.stored}, rows in the table ${stats.rows}: ${stats.accepted === stats.rows ? 'nothing lost' : 'MISMATCH'}`
        : 'in-memory PGlite: rows not counted after exit'),
  )
  if (stats && stats.accepted !== stats.rows) process.exitCode = 1
}
