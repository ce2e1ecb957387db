import { defineConfig } from 'vitest/config'
import base from '../../vitest.config'

// `npm run test:pg`: the server and report suites against a PostgreSQL cluster it starts itself.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/server/**/*.test.ts', 'test/reports/**/*.test.ts'],
    globalSetup: ['test/server/pg-setup.ts'],
    env: { TEST_POSTGRES: '1' },
    typecheck: { enabled: false },
  },
})
