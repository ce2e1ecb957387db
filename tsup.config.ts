import { readFileSync } from 'node:fs'
import { defineConfig } from 'tsup'

const { version } = JSON.parse(readFileSync('package.json', 'utf8'))
const define = { __SDK_VERSION__: JSON.stringify(version) }

export default defineConfig([
  {
    entry: { index: 'src/index.ts', react: 'src/react/index.ts', vanilla: 'src/vanilla/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'es2020',
    // The adapters import the core by its public name so an app gets one queue, not two.
    external: ['prompt-telemetry', 'react', 'react-dom'],
    define,
    clean: true,
    // esbuild drops module directives; scripts/use-client.mjs puts 'use client' back.
    onSuccess: 'node scripts/use-client.mjs',
  },
])
