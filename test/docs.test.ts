import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { renderCatalog } from '../scripts/render-catalog'
import { promptCatalog } from '../src/index'

// The contract snapshot: docs/events.md is generated from the catalog; a change to either
// without the other fails here (run `npm run docs`).
it('keeps docs/events.md equal to what the catalog generates', () => {
  expect(readFileSync('docs/events.md', 'utf8')).toBe(renderCatalog(promptCatalog, 'Event catalog'))
})

// docs/api.md names every runtime export of each entry point: a new export without a line fails.
it('lists every export of each entry point in docs/api.md', async () => {
  const api = readFileSync('docs/api.md', 'utf8')
  const section = (entry: string) => api.split(/^## /m).find((s) => s.startsWith('`' + entry + '`'))!
  const entries = {
    'prompt-telemetry': await import('../src/index'),
    'prompt-telemetry/react': await import('../src/react/index'),
    'prompt-telemetry/vanilla': await import('../src/vanilla/index'),
  }
  for (const [entry, mod] of Object.entries(entries)) {
    const missing = Object.keys(mod).filter((name) => !section(entry).includes('`' + name))
    expect(missing, entry).toEqual([])
  }
})
