// Budgets in brotli, each a named import with everything else tree-shaken; `react` is the
// app's own. Each budget sits just above what is reached; the README's size table is checked
// against these numbers by test/dist/readme-sizes.test.ts.
const react = ['react', 'react-dom', 'react/jsx-runtime']
module.exports = [
  { name: 'createTelemetry + httpSink', path: 'dist/index.js', import: '{ createTelemetry, httpSink }', limit: '5550 B' },
  { name: 'createTelemetry + httpSink + promptCatalog', path: 'dist/index.js', import: '{ createTelemetry, httpSink, promptCatalog }', limit: '8050 B' },
  { name: 'react: usePromptTelemetry (with the core)', path: 'dist/react.js', import: '{ TelemetryProvider, usePromptTelemetry }', ignore: react, limit: '9270 B' },
  { name: 'react: PsrPrompt (with the core)', path: 'dist/react.js', import: '{ TelemetryProvider, PsrPrompt }', ignore: react, limit: '12790 B' },
  { name: 'script tag: everything, PSR widget included', path: 'dist/prompt-telemetry.global.js', limit: '12920 B' },
]
