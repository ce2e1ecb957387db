// npm run bench: the cost of track(), enqueue throughput, batch encoding and bounded memory.
// Medians and p99 from mitata; run on a quiet machine and compare ratios, not absolutes.
import { run, bench, summary, do_not_optimize } from 'mitata'
import { createTelemetry, promptCatalog, encode, type Sink, type WireEvent, uuidv7 } from '../src/index'
import { basicHost } from '../src/host/types'

const never: Sink = { send: () => new Promise(() => {}) } // the sink is down: nothing ever leaves
const host = { ...basicHost(), setTimeout: () => 0, clearTimeout: () => {} } // no timers firing mid-bench
const t = createTelemetry({ catalog: promptCatalog, sink: never, host, capacity: 200 })
const attrs = { prompt_id: 'prompt-42', variant: 'body', source: 'card' } as const

summary(() => {
  bench('track(prompt_copied)', () => t.track('prompt_copied', attrs))
  bench('track(prompt.impression, 9 attrs)', () =>
    t.track('prompt.impression', { prompt_id: 'p-1', impression_id: 'imp-1', rank: 3, score: 0.82, source: 'carousel', stage: 'exploration', lens_id: 'lens-a', entropy: 0.4, stage_match: true }),
  )
  bench('track(unknown event) rejected', () => (t.track as (n: string) => void)('nope'))
  bench('uuidv7()', () => do_not_optimize(uuidv7()))
})

const events: WireEvent[] = []
for (let i = 0; i < 50; i++)
  events.push({ id: uuidv7(), event: 'prompt.impression', ts: Date.now(), session_id: 's-1', prompt_id: `p-${i}`, impression_id: `i-${i}`, rank: i, score: 0.5, source: 'carousel' })
bench('encode(50-event batch)', () => do_not_optimize(encode({ events, sent_at: Date.now(), dropped: 0, sdk: 'bench' })))

await run()

// Heap after 1,000,000 track() calls with the sink down: bounded by the queue capacity.
const gc = (globalThis as { gc?: () => void }).gc
gc?.()
const before = process.memoryUsage().heapUsed
const t0 = performance.now()
for (let i = 0; i < 1_000_000; i++) t.track('prompt_copied', attrs)
const ms = performance.now() - t0
gc?.()
const after = process.memoryUsage().heapUsed
const s = t.stats()
console.log(`\n1,000,000 track() calls: ${ms.toFixed(0)} ms (${((1e6 / ms) * 1000).toFixed(0)} events/s enqueued)`)
console.log(`heap before ${(before / 1048576).toFixed(1)} MiB, after ${(after / 1048576).toFixed(1)} MiB (gc ${gc ? 'forced' : 'not exposed: run with --expose-gc'})`)
console.log(`queued ${s.queued} (capacity 200), dropped ${s.dropped}`)
