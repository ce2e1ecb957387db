import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (p: string) => fileURLToPath(new URL(`../../src/${p}`, import.meta.url))

// npm run test:e2e: real Chromium against the real ingest server. One file at a time: each
// starts its own browser and server, and two Chromiums on two cores only make both flaky.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^prompt-telemetry$/, replacement: src('index.ts') },
      { find: /^prompt-telemetry\/(react|vanilla)$/, replacement: src('$1/index.ts') },
    ],
  },
  define: { __SDK_VERSION__: JSON.stringify('e2e') },
  test: {
    include: ['test/e2e/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
