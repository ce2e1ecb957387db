import { defineConfig } from 'vitest/config'

// No aliases: `prompt-telemetry` resolves through package.json "exports" to dist/, so what
// ships is what is tested.
export default defineConfig({
  test: { include: ['test/dist/**/*.test.ts'], testTimeout: 60_000 },
})
