// After the script-tag build: computes the SRI hash of dist/prompt-telemetry.global.js and
// writes the snippet (with the hash, the version and the brotli size) between the
// `<!-- cdn-snippet -->` markers of docs/cdn.md, and of README.md when it has them.
// `--check` writes nothing and fails when a file is out of date (CI).
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { brotliCompressSync, constants } from 'node:zlib'

const FILE = 'dist/prompt-telemetry.global.js'
const TARGETS = ['docs/cdn.md', 'README.md']
const OPEN = '<!-- cdn-snippet -->'
const CLOSE = '<!-- /cdn-snippet -->'

// Queues every call made before the script loads; PromptTelemetry replays them in order.
// A blocked script leaves the stubs in place: calls keep returning undefined, never throw.
// mountPsrPrompt returns an unmount at once: before the script loads it cancels the queued
// mount (e.x), after it unmounts the widget (e.s, set by the replay).
const STUB =
  '!function(w,k){var p=w[k]=w[k]||{},q=p.q=p.q||[];"init track identify reset optOut optIn flush shutdown stats mountPsrPrompt".split(" ").forEach(function(m){p[m]=p[m]||function(){var e=[m,[].slice.call(arguments)];q.length<1e3&&q.push(e);if(m=="mountPsrPrompt")return function(){e.x=1;e.s&&e.s()}}})}(window,"PromptTelemetry");'

if (!existsSync(FILE)) {
  console.error(`${FILE} is missing: run npx tsup --config tsup.iife.config.ts first`)
  process.exit(1)
}
const code = readFileSync(FILE)
const integrity = 'sha384-' + createHash('sha384').update(code).digest('base64')
const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
const { version } = JSON.parse(readFileSync('package.json', 'utf8'))
const url = `https://cdn.jsdelivr.net/npm/prompt-telemetry@${version}/dist/prompt-telemetry.global.js`

const block = `${OPEN}
\`\`\`html
<script>${STUB}</script>
<script async src="${url}"
  integrity="${integrity}" crossorigin="anonymous"
  data-endpoint="/telemetry/events" data-write-key="YOUR_WRITE_KEY"></script>
\`\`\`

\`prompt-telemetry@${version}\`: ${code.length} bytes, ${brotli} B brotli as served (size-limit re-bundles it), SRI \`${integrity}\`
${CLOSE}`

const check = process.argv.includes('--check')
let stale = false
for (const file of TARGETS) {
  if (!existsSync(file)) continue
  const text = readFileSync(file, 'utf8')
  const a = text.indexOf(OPEN)
  const b = text.indexOf(CLOSE, a)
  if (a < 0 || b < 0) continue
  const next = text.slice(0, a) + block + text.slice(b + CLOSE.length)
  if (next == text) continue
  if (check) (stale = true), console.error(`${file}: the CDN snippet is out of date; run npm run build:cdn`)
  else writeFileSync(file, next), console.log(`${file}: snippet updated`)
}
console.log(`${FILE}: ${code.length} B, ${brotli} B brotli, ${integrity}`)
process.exit(stale ? 1 : 0)
