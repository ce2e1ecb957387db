import { buildSync } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { runInNewContext } from 'node:vm'
import { expect, it } from 'vitest'

// A development server such as Vite's replaces `process.env.NODE_ENV` in the package's code and
// leaves `typeof process` alone; the browser has no `process`. Warnings keyed on
// `typeof process` never showed there. The bundle runs here in a context without `process`.
function run(nodeEnv: string) {
  const { outputFiles } = buildSync({
    stdin: {
      contents: `import { createTelemetry, memorySink, promptCatalog } from './src/index'
        const t = createTelemetry({ catalog: promptCatalog, sink: memorySink() })
        t.track('no_such_event', {})
        t.track('prompt_copied', { prompt_id: 'p-1', variant: 'body', source: 'card', body: 'the prompt' })
        globalThis.result = t.stats().rejected`,
      resolveDir: fileURLToPath(new URL('../..', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    define: { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) },
  })
  const warned: string[] = []
  const context: Record<string, unknown> = { console: { warn: (m: string) => warned.push(m), log() {}, info() {} }, queueMicrotask, setTimeout, clearTimeout, crypto, AbortController, Date, Math, JSON, TextEncoder }
  context.globalThis = context
  runInNewContext(outputFiles[0]!.text, context)
  return { warned, rejected: context.result }
}

it('warns about rejected events in a development bundle running where there is no process', () => {
  const dev = run('development')
  expect(dev.rejected).toBe(2)
  expect(dev.warned).toEqual([expect.stringContaining('no_such_event not tracked'), expect.stringContaining('prompt_copied not tracked')])
})

it('stays silent in a production bundle', () => {
  const prod = run('production')
  expect(prod.rejected).toBe(2)
  expect(prod.warned).toEqual([])
})
