// npm run bench:browser: the cost of track() in Chromium, with the script-tag build (a
// production build) and a memory sink. 100,000 calls per event, timed in chunks of 100 with
// performance.now(): the page is cross-origin isolated, so the clock ticks every 5 µs, not 100.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { launchChromium } from '../test/e2e/harness/chromium'

const sdk = readFileSync(new URL('../dist/prompt-telemetry.global.js', import.meta.url), 'utf8')
const page = `<!doctype html><meta charset="utf-8"><title>bench</title><script>${sdk}</script>`
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html', 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' })
  res.end(page)
})
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`

// Runs in the page. Between chunks the page yields, so the client flushes into the sink as it
// would in an app; the flush is not inside the timed chunks.
const run = `(async () => {
  const batches = []
  const sink = { send: async (b) => (batches.push(b.events.length), { ok: true }) }
  const t = PromptTelemetry.init({ sink, flushInterval: 1000 })
  const cases = {
    'track(prompt_copied, 3 attrs)': () => t.track('prompt_copied', { prompt_id: 'prompt-42', variant: 'body', source: 'card' }),
    'track(prompt.impression, 9 attrs)': () => t.track('prompt.impression', { prompt_id: 'p-1', impression_id: 'imp-1', rank: 3, score: 0.82, source: 'carousel', stage: 'exploration', lens_id: 'lens-a', entropy: 0.4, stage_match: true }),
    'track(unknown event), rejected': () => t.track('nope'),
  }
  const CALLS = 100000, PER = 100
  // A task boundary without setTimeout's 4 ms clamp; the client's flush (microtasks) runs first.
  const yieldTask = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0) })
  const out = {}
  for (const [name, fn] of Object.entries(cases)) {
    for (let w = 0; w < 200; w++) {
      for (let i = 0; i < PER; i++) fn()
      await yieldTask()
    }
    const samples = []
    for (let c = 0; c < CALLS / PER; c++) {
      const t0 = performance.now()
      for (let i = 0; i < PER; i++) fn()
      samples.push(((performance.now() - t0) * 1000) / PER)
      await yieldTask()
    }
    samples.sort((a, b) => a - b)
    const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]
    out[name] = { median: q(0.5), p99: q(0.99) }
  }
  await t.flush()
  return { out, isolated: crossOriginIsolated, stats: t.stats(), batches: batches.length, ua: navigator.userAgent }
})()`

const chrome = await launchChromium()
try {
  const tab = await chrome.newPage()
  await tab.goto(url)
  const r = (await tab.evaluate(run)) as {
    out: Record<string, { median: number; p99: number }>
    isolated: boolean
    stats: Record<string, number>
    batches: number
    ua: string
  }
  const us = (n: number) => n.toFixed(3) + ' µs'
  console.log(`${/Chrome\/[\d.]+/.exec(r.ua)?.[0]}, dist/prompt-telemetry.global.js, cross-origin isolated: ${r.isolated}\n`)
  console.log('| operation (100,000 calls, chunks of 100) | median | p99 |\n| --- | --- | --- |')
  for (const [name, s] of Object.entries(r.out)) console.log(`| ${name} | ${us(s.median)} | ${us(s.p99)} |`)
  console.log(`\nsink received ${r.stats.sent} events in ${r.batches} batches; dropped ${r.stats.dropped}, rejected ${r.stats.rejected}`)
} finally {
  await chrome.close()
  server.close()
}
