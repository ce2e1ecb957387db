// esbuild strips 'use client'; put it back as the first line of the built React entry.
import { readFileSync, writeFileSync, existsSync } from 'node:fs'

for (const f of ['dist/react.js', 'dist/react.cjs']) {
  if (!existsSync(f)) continue
  const src = readFileSync(f, 'utf8')
  if (!src.startsWith("'use client'")) writeFileSync(f, `'use client';\n${src.replace(/^(['"])use client\1;?\n?/m, '')}`)
}
