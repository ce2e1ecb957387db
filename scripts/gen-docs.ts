// Writes docs/events.md from the built-in catalog. `--check` fails when the file has drifted.
import { readFileSync, writeFileSync } from 'node:fs'
import { renderCatalog } from './render-catalog'
import { promptCatalog } from '../src/index'

const file = 'docs/events.md'
const text = renderCatalog(promptCatalog, 'Event catalog')
if (process.argv.includes('--check')) {
  let old = ''
  try {
    old = readFileSync(file, 'utf8')
  } catch {}
  if (old !== text) {
    console.error(`${file} is out of date: run npm run docs`)
    process.exit(1)
  }
  console.log(`${file} is up to date`)
} else {
  writeFileSync(file, text)
  console.log(`wrote ${file}`)
}
