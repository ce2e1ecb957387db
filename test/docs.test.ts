import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { renderCatalog } from '../scripts/render-catalog'
import { promptCatalog } from '../src/index'

// The contract snapshot: docs/events.md is generated from the catalog; a change to either
// without the other fails here (run `npm run docs`).
it('keeps docs/events.md equal to what the catalog generates', () => {
  expect(readFileSync('docs/events.md', 'utf8')).toBe(renderCatalog(promptCatalog, 'Event catalog'))
})
