// `npm run test:react18`: the React tests again, with react and react-dom 18 from this folder.
// Testing Library is inlined (ESM build) so its own `react` imports go through these aliases too.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const src = (p: string) => here(`../../src/${p}`)
const mods = here('./node_modules/')

export default defineConfig({
  root: here('../..'),
  resolve: {
    alias: [
      { find: /^prompt-telemetry$/, replacement: src('index.ts') },
      { find: /^prompt-telemetry\/(react|vanilla)$/, replacement: src('$1/index.ts') },
      // Its ESM build, so its react imports are resolved (and aliased) by Vite, not by Node.
      { find: /^@testing-library\/react$/, replacement: here('../../node_modules/@testing-library/react/dist/@testing-library/react.esm.js') },
      { find: /^react$/, replacement: `${mods}react/index.js` },
      { find: /^react\/(.*)$/, replacement: `${mods}react/$1` },
      { find: /^react-dom$/, replacement: `${mods}react-dom/index.js` },
      { find: /^react-dom\/(.*)$/, replacement: `${mods}react-dom/$1` },
    ],
  },
  define: { __SDK_VERSION__: JSON.stringify('test') },
  test: {
    include: ['test/react/**/*.test.{ts,tsx}'],
    // The example is built by Vite with its own config (React 19 from the root): once is enough.
    exclude: ['test/react/example-build.test.ts', '**/node_modules/**'],
    server: { deps: { inline: [/@testing-library\//] } },
    testTimeout: 20_000,
  },
})
