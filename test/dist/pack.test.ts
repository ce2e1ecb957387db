import { execFileSync } from 'node:child_process'
import { expect, it } from 'vitest'

// What `npm pack` puts in the tarball: every entry point, its types, and the script-tag build
// the CDN links point at (a tsup-only rebuild used to leave that one out).
it('packs every entry, its types and the script-tag build', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' })
  const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path)
  for (const entry of ['index', 'react', 'vanilla'])
    expect(files).toEqual(expect.arrayContaining([`dist/${entry}.js`, `dist/${entry}.cjs`, `dist/${entry}.d.ts`, `dist/${entry}.d.cts`]))
  expect(files).toContain('dist/prompt-telemetry.global.js')
})
