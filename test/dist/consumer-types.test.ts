import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The published declarations, compiled the way demanding consumers compile: every check on,
// the library's own .d.ts files included (skipLibCheck: false), and no DOM types in a Node
// project. Each project also holds @ts-expect-error lines, so a type that lets everything
// through fails too ("Unused '@ts-expect-error' directive").
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const strict = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, noEmit: true, isolatedModules: true, verbatimModuleSyntax: true }

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-consumer-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(repo, join(dir, 'node_modules/prompt-telemetry'), 'dir') // resolved through its "exports"
  symlinkSync(join(repo, 'node_modules/@types'), join(dir, 'node_modules/@types'), 'dir')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The README's code block that starts with `start`, without its fences. */
function readmeSample(start: string) {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8')
  const at = readme.indexOf(start)
  expect(at).toBeGreaterThan(-1)
  return readme.slice(readme.indexOf('\n', at) + 1, readme.indexOf('\n```', at))
}

function compile(name: string, tsconfig: object, files: Record<string, string>) {
  const root = join(dir, name)
  mkdirSync(root)
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ ...tsconfig, include: ['.'] }))
  for (const [f, text] of Object.entries(files)) writeFileSync(join(root, f), text)
  try {
    execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', root], { encoding: 'utf8' })
    return ''
  } catch (e) {
    return String((e as { stdout?: string }).stdout || e)
  }
}

describe('the declarations, compiled by a consumer', () => {
  it('type a Node service with no DOM library (NodeNext, ESM)', () => {
    const out = compile(
      'node',
      { compilerOptions: { ...strict, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: ['node'] } },
      {
        'package.json': JSON.stringify({ type: 'module' }),
        'server.ts': `
import { basicHost, createTelemetry, defineCatalog, httpSink, promptCatalog, startGeneration, validateBatch } from 'prompt-telemetry'
const token: string | undefined = process.env.SERVICE_TOKEN
const t = createTelemetry({
  catalog: promptCatalog,
  host: basicHost(),
  writeKey: token,
  sink: httpSink({ endpoint: 'http://127.0.0.1:1/telemetry/events', credentials: 'include', timeoutMs: undefined }),
})
t.track('import.completed', { created: 10, skipped: 0, error_count: 0 }, { userId: token, sessionId: 's' })
t.track('models.selected', { model: 'm', provider: undefined })
startGeneration(t, { provider: 'anthropic', model: 'm' }).end({})
validateBatch(promptCatalog, { events: [] })
declare const signal: (() => boolean) | undefined
createTelemetry({ catalog: defineCatalog({ ping: { attrs: undefined } }), host: { ...basicHost(), privacySignal: signal } }).track('ping')
// @ts-expect-error an event declared without attributes takes none
createTelemetry({ catalog: defineCatalog({ ping: { attrs: undefined } }) }).track('ping', { x: 1 })
// @ts-expect-error not an event of the catalog
t.track('prompt.copied')
// @ts-expect-error a count is a number
t.track('import.completed', { created: '10', skipped: 0, error_count: 0 })
await t.shutdown()
`,
      },
    )
    expect(out).toBe('')
  })

  it('type a React app and a vanilla page (bundler resolution, DOM, no Node types)', () => {
    const out = compile(
      'web',
      { compilerOptions: { ...strict, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], jsx: 'react-jsx', types: [] } },
      {
        'app.tsx': `
import { PsrPrompt, TelemetryProvider, useTelemetry } from 'prompt-telemetry/react'
import { init, mountPsrPrompt } from 'prompt-telemetry/vanilla'
declare const writeKey: string | undefined
declare const version: string | undefined
declare const onSubmit: (() => void) | undefined
export function Card() {
  const { track } = useTelemetry()
  // @ts-expect-error variant is one of the catalog's values
  track('prompt_copied', { prompt_id: 'p', variant: 'pdf', source: 'card' })
  return <button onClick={() => track('prompt_copied', { prompt_id: 'p', variant: 'body', source: 'card' })}>Copy</button>
}
export const App = () => (
  <TelemetryProvider options={{ endpoint: '/telemetry/events', writeKey }}>
    <Card />
    <PsrPrompt promptId="p" version={version} onSubmit={onSubmit} onClose={undefined} />
  </TelemetryProvider>
)
const client = init({ endpoint: '/telemetry/events', writeKey })
mountPsrPrompt('#psr', { client, promptId: undefined })
`,
        // The README's React sample, as printed: it must compile as it stands.
        'readme.tsx': readmeSample('```tsx\nimport { useEffect }'),
      },
    )
    expect(out).toBe('')
  })
})
