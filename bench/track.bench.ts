// npm run bench: the cost of track(), enqueue throughput, batch encoding, and the heap after
// 1,000,000 calls with the sink down. Medians and p99 over chunks; the machine is shared and
// noisy, so compare ratios between runs rather than absolutes.
import type { Sink, WireEvent } from '../src/index'

// The built package, as an app gets it (npm run bench builds first); typed from the sources.
const dist = '../dist/index.js'
const { basicHost, createTelemetry, promptCatalog, encode, uuidv7 } = (await import(dist)) as typeof import('../src/index')
import { measure, us } from './stats'

const down: Sink = { send: () => new Promise(() => {}) } // nothing ever leaves
const host = { ...basicHost(), setTimeout: () => 0, clearTimeout: () => {} }
const t = createTelemetry({ catalog: promptCatalog, sink: down, host })

const copied = { prompt_id: 'prompt-42', variant: 'body', source: 'card' } as const
const impression = { prompt_id: 'p-1', impression_id: 'imp-1', rank: 3, score: 0.82, source: 'carousel', stage: 'exploration', lens_id: 'lens-a', entropy: 0.4, stage_match: true }

const rows: [string, ReturnType<typeof measure>][] = [
  ['track(prompt_copied, 3 attrs)', measure(() => t.track('prompt_copied', copied))],
  ['track(prompt.impression, 9 attrs)', measure(() => t.track('prompt.impression', impression))],
  ['track(unknown event), rejected', measure(() => (t.track as (n: string) => void)('nope'))],
  ['uuidv7()', measure(() => void uuidv7())],
]

const events: WireEvent[] = []
for (let i = 0; i < 50; i++)
  events.push({ id: uuidv7(), event: 'prompt.impression', ts: Date.now(), session_id: 's-1', prompt_id: `p-${i}`, impression_id: `i-${i}`, rank: i, score: 0.5, source: 'carousel' })
rows.push(['encode(50-event batch)', measure(() => void encode({ events, sent_at: Date.now(), dropped: 0, sdk: 'bench' }), { chunks: 500, per: 4, warmup: 50 })])

console.log(`node ${process.version}, NODE_ENV=${process.env.NODE_ENV ?? '(unset)'}\n`)
console.log('| operation | median | p99 |\n| --- | --- | --- |')
for (const [name, r] of rows) console.log(`| ${name} | ${us(r.median)} | ${us(r.p99)} |`)

const gc = (globalThis as { gc?: () => void }).gc
gc?.()
const before = process.memoryUsage().heapUsed
const t0 = performance.now()
for (let i = 0; i < 1_000_000; i++) t.track('prompt_copied', copied)
const ms = performance.now() - t0
gc?.()
const after = process.memoryUsage().heapUsed
console.log(`\n1,000,000 track() calls in ${ms.toFixed(0)} ms: ${Math.round(1e9 / ms).toLocaleString('en')} events/s enqueued`)
console.log(`heap ${(before / 2 ** 20).toFixed(1)} MiB before, ${(after / 2 ** 20).toFixed(1)} MiB after${gc ? '' : ' (run with --expose-gc for exact figures)'}; queued ${t.stats().queued} of capacity 200`)
