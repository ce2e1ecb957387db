import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'tsup'
import { promptCatalog } from './src/catalogs/prompt'

const { version } = JSON.parse(readFileSync('package.json', 'utf8'))
const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url))

// The catalog's descriptions document it (docs/events.md) and weigh a third of the script;
// the browser needs only the rules, so the build inlines the same catalog without them.
const rules = JSON.stringify(promptCatalog, (k, v) => (k == 'description' ? undefined : v))

// The script-tag build: one self-contained file, dist/prompt-telemetry.global.js, with the core
// bundled in (the ESM/CJS builds keep it external) and development checks compiled out.
export default defineConfig({
  entry: { 'prompt-telemetry': 'src/cdn/index.ts' },
  format: ['iife'],
  platform: 'browser',
  target: 'es2019',
  minify: true,
  clean: false,
  noExternal: [/^prompt-telemetry/],
  define: { __SDK_VERSION__: JSON.stringify(version), 'process.env.NODE_ENV': '"production"' },
  esbuildOptions(o) {
    o.alias = { 'prompt-telemetry': src('index.ts') }
  },
  esbuildPlugins: [
    {
      name: 'catalog-rules',
      setup(b) {
        b.onLoad({ filter: /[\\/]src[\\/]catalogs[\\/]prompt\.ts$/ }, () => ({
          contents: `export const promptCatalog = /* @__PURE__ */ JSON.parse(${JSON.stringify(rules)})`,
          loader: 'js',
        }))
      },
    },
  ],
})
