import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { build } from 'vite'

const root = fileURLToPath(new URL('../../examples/react-app/', import.meta.url))

describe('examples/react-app', () => {
  it('builds with vite into relative URLs the demo can serve under any path', async () => {
    const out = (await build({ root, configFile: `${root}vite.config.ts`, logLevel: 'silent', build: { write: false } })) as {
      output: { fileName: string; type: string; code?: string; source?: string | Uint8Array }[]
    }
    const files = out.output
    const html = String(files.find((f) => f.fileName == 'index.html')?.source)
    expect(html).toMatch(/src="\.\/assets\/[^"]+\.js"/)
    expect(html).toContain('name="prompt-telemetry-write-key"')
    const js = files.filter((f) => f.type == 'chunk').map((f) => f.code).join('\n')
    expect(js).toContain('/telemetry/events')
    expect(js).toContain('pt-psr__stars') // the PSR widget is in the bundle
  })
})
