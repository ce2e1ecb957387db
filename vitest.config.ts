import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^prompt-telemetry$/, replacement: src('index.ts') },
      { find: /^prompt-telemetry\/(react|vanilla)$/, replacement: src('$1/index.ts') },
    ],
  },
  define: { __SDK_VERSION__: JSON.stringify('test') },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'test/dist/**', '**/node_modules/**'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    testTimeout: 20_000,
  },
})
