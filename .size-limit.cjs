// Budgets in brotli. The README's size table is checked against these by test/readme-sizes.test.ts.
module.exports = [
  { name: 'createTelemetry + httpSink', path: 'dist/index.js', import: '{ createTelemetry, httpSink }', limit: '3700 B' },
]
