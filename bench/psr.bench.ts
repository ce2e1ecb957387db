// npx tsx bench/psr.bench.ts: main-thread cost of showing and hiding PsrPrompt (budget: 16 ms,
// one frame). Runs in happy-dom, then in headless Chromium when /usr/bin/chromium is there
// (real style and layout). Production React. Medians and p95 over N show/hide cycles.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PsrBenchResult } from './psr-page'

process.env.NODE_ENV = 'production'
const N = Number(process.env.N ?? 300)
const BUDGET = 16

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN
}
function report(where: string, r: PsrBenchResult) {
  console.log(`\n${where}`)
  for (const k of ['show', 'hide', 'mount'] as const) {
    const med = q(r[k], 0.5)
    console.log(`  ${k.padEnd(5)} median ${med.toFixed(3)} ms  p95 ${q(r[k], 0.95).toFixed(3)} ms  (n=${r[k].length})${k == 'mount' ? '  once, when the flag turns on' : med < BUDGET ? '  < 16 ms' : '  OVER BUDGET'}`)
  }
}

async function inHappyDom(): Promise<PsrBenchResult> {
  const { Window } = await import('happy-dom')
  const win = new Window({ url: 'http://127.0.0.1/' }) as unknown as Record<string, unknown>
  const g = globalThis as Record<string, unknown>
  for (const key of Object.getOwnPropertyNames(win)) if (!(key in g)) g[key] = win[key]
  g.window = win
  g.document = win.document
  const { runPsrBench } = await import('./psr-page')
  const r = await runPsrBench(N)
  ;(win as unknown as { happyDOM: { abort(): Promise<void> } }).happyDOM.abort()
  return r
}

async function inChromium(): Promise<PsrBenchResult | undefined> {
  if (!existsSync('/usr/bin/chromium')) return console.log('\nChromium: /usr/bin/chromium not found, skipped'), undefined
  const { build } = await import('vite')
  const root = fileURLToPath(new URL('..', import.meta.url))
  const out = (await build({
    configFile: false,
    root,
    logLevel: 'silent',
    resolve: { alias: [{ find: /^prompt-telemetry$/, replacement: join(root, 'src/index.ts') }, { find: /^prompt-telemetry\/react$/, replacement: join(root, 'src/react/index.ts') }] },
    define: { 'process.env.NODE_ENV': '"production"', __SDK_VERSION__: '"bench"' },
    build: { write: false, minify: true, lib: { entry: join(root, 'bench/psr-page.tsx'), formats: ['iife'], name: 'psrBench' } },
  })) as { output: { code?: string }[] }[]
  const code = out[0]!.output[0]!.code!
  const { chromium } = await import('playwright-core')
  const dir = mkdtempSync(join(tmpdir(), 'psr-bench-'))
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const page = await ctx.newPage()
    await page.setContent('<!doctype html><html><body><main><h1>page</h1></main></body></html>')
    await page.addScriptTag({ content: code })
    return (await page.evaluate((n) => (globalThis as unknown as { psrBench: { runPsrBench(n: number): Promise<PsrBenchResult> } }).psrBench.runPsrBench(n), N)) as PsrBenchResult
  } finally {
    await ctx.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

report('happy-dom (Node): JS and DOM work, no real style or layout', await inHappyDom())
const c = await inChromium()
if (c) report('Chromium (headless): JS, DOM, style and layout', c)
