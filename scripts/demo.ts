// `npm run demo`: the ingest server on embedded PGlite, the built SDK and every example page,
// on one port. The SDK is built by tsup before this runs (see package.json).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '../examples/ingest-server/src/index'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const at = (...p: string[]) => join(root, ...p)

const WRITE_KEY = 'pk_demo_write_key'
const SERVICE_TOKEN = process.env.SERVICE_TOKEN ?? 'demo-service-token-change-me'
const COOKIE_SECRET = process.env.COOKIE_SECRET ?? 'demo-cookie-secret-0123456789abcdef'
const port = process.env.PORT ? Number(process.env.PORT) : 8787
const host = process.env.HOST ?? '127.0.0.1'
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a whole number from 0 to 65535, got "${process.env.PORT}"`)
  process.exit(1)
}

// The React example builds with its own vite config, when it exists.
const reactDir = at('examples/react-app')
const viteConfig = existsSync(reactDir) && readdirSync(reactDir).find((f) => /^vite\.config\.(ts|mts|js|mjs)$/.test(f))
let reactBuilt = false
if (viteConfig) {
  console.log('building examples/react-app with vite ...')
  const r = spawnSync(process.execPath, [at('node_modules/vite/bin/vite.js'), 'build'], { cwd: reactDir, stdio: 'inherit' })
  reactBuilt = r.status === 0 && existsSync(join(reactDir, 'dist/index.html'))
  if (!reactBuilt) console.warn('examples/react-app did not build; serving the rest')
}

const pages: { path: string; root: string; title: string; href?: string }[] = [
  { path: '/examples/basic/', root: at('examples/ingest-server/public/basic'), title: 'Basic page (SDK as an ES module)' },
]
if (existsSync(at('examples/vanilla-html'))) pages.push({ path: '/examples/vanilla-html/', root: at('examples/vanilla-html'), title: 'Vanilla HTML (script tag)' })
// The React app reads its write key from ?key= (a real app would have a session cookie).
if (reactBuilt) pages.push({ path: '/examples/react-app/', href: `/examples/react-app/?key=${WRITE_KEY}`, root: join(reactDir, 'dist'), title: 'React app' })
const linkOf = (p: { path: string; href?: string }) => p.href ?? p.path

// The index page, written fresh each run so it links only what exists.
const site = at('.tmp/demo/site')
mkdirSync(site, { recursive: true })
const li = (href: string, text: string) => `<li><a href="${href}">${text}</a></li>`
writeFileSync(
  join(site, 'index.html'),
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>prompt-telemetry demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem}code{background:#f4f6fa;padding:0 .3rem}</style>
</head><body><main><h1>prompt-telemetry demo</h1><ul>
${pages.map((p) => li(linkOf(p), p.title)).join('\n')}
${li('/dashboard', 'Operator dashboard')}
${li('/sdk/', 'The built SDK (/sdk/)')}
${li('/healthz', 'Health check')}
</ul><p>Write key <code>${WRITE_KEY}</code>. Operator routes take <code>Authorization: Bearer ${SERVICE_TOKEN}</code>.</p>
</main></body></html>\n`,
)

const server = await startServer({
  port,
  host,
  dataDir: process.env.DATA_DIR ?? at('.tmp/demo-data'),
  writeKeys: [WRITE_KEY],
  serviceToken: SERVICE_TOKEN,
  cookieSecret: COOKIE_SECRET,
  logLevel: process.env.LOG_LEVEL ?? 'warn',
  static: [
    { prefix: '/', root: site },
    { prefix: '/sdk/', root: at('dist') },
    ...pages.map((p) => ({ prefix: p.path, root: p.root })),
  ],
}).catch((e) => {
  console.error(`could not start the demo server: ${(e as Error).message}`)
  process.exit(1)
})

const u = server.url
console.log(`
prompt-telemetry demo on ${u}/   (PGlite data in ${server.config.dataDir ?? "memory, lost on exit"})

  pages        ${pages.map((p) => u + linkOf(p)).join('\n               ')}
  dashboard    ${u}/dashboard
  SDK          ${u}/sdk/index.js
  health       ${u}/healthz

  write key      ${WRITE_KEY}
  service token  ${SERVICE_TOKEN}

  curl -H 'authorization: Bearer ${SERVICE_TOKEN}' ${u}/telemetry/prompts/performance

Ctrl-C stops it (pending writes are committed first).`)

// Demo traffic, when a seeder exists: DEMO_SEED=0 skips it.
const seeder = at('scripts/demo-seed.ts')
if (process.env.DEMO_SEED !== '0' && existsSync(seeder)) {
  const mod = (await import(seeder)) as { default?: (o: object) => Promise<void> }
  await mod.default?.({ url: u, writeKey: WRITE_KEY, serviceToken: SERVICE_TOKEN, store: server.store })
}

let stopping = false
const stop = async () => {
  if (stopping) process.exit(1)
  stopping = true
  console.log('\nstopping: committing pending writes ...')
  await server.close()
  console.log('stopped')
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
