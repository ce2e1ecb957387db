import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const src = (p: string) => fileURLToPath(new URL(`../../src/${p}`, import.meta.url))
// `npm run dev` here proxies the SDK's requests to a local ingest server (8787 by default).
const ingest = process.env.INGEST_URL ?? 'http://127.0.0.1:8787'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: the demo serves the build under /examples/react-app/.
  base: './',
  plugins: [react()],
  resolve: {
    // The SDK from source, so the example always shows the code in this checkout.
    alias: [
      { find: /^prompt-telemetry$/, replacement: src('index.ts') },
      { find: /^prompt-telemetry\/react$/, replacement: src('react/index.ts') },
    ],
  },
  define: { __SDK_VERSION__: JSON.stringify('example') },
  server: { proxy: { '/telemetry': ingest, '/psr': ingest } },
  build: { outDir: 'dist', emptyOutDir: true },
})
