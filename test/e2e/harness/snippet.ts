import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const docs = fileURLToPath(new URL('../../../docs/cdn.md', import.meta.url))

/** The snippet as docs/cdn.md publishes it (the build writes the integrity hash there). */
export function publishedSnippet() {
  const md = readFileSync(docs, 'utf8')
  const stub = /<script>(!function[\s\S]*?)<\/script>/.exec(md)?.[1]
  const integrity = /integrity="(sha384-[A-Za-z0-9+/=]+)"/.exec(md)?.[1]
  if (!stub || !integrity) throw new Error('docs/cdn.md has no snippet with an integrity hash: run npm run build:cdn')
  return { stub, integrity }
}

/**
 * A page on another origin that uses the published snippet, loads the SDK from `sdkUrl`
 * asynchronously and runs `before` right after the stub, before the script can have arrived.
 */
export function snippetPage(o: { sdkUrl: string; endpoint: string; writeKey: string; integrity?: string; before: string; after?: string }) {
  const { stub, integrity } = publishedSnippet()
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>snippet</title>
<script>${stub}</script>
<script>${o.before}</script>
<script async src="${o.sdkUrl}" integrity="${o.integrity ?? integrity}" crossorigin="anonymous"
  data-endpoint="${o.endpoint}" data-write-key="${o.writeKey}"></script>
<script>${o.after ?? ''}</script>
<p>snippet page</p></html>`
}
