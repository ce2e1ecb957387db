// A classic worker with the script-tag build: no document, no currentScript, no page lifecycle.
importScripts('/sdk/prompt-telemetry.global.js')
onmessage = async ({ data: { sessionId, n, flush } }) => {
  PromptTelemetry.init({ endpoint: '/telemetry/events', writeKey: 'e2e-write-key', sessionId })
  for (let i = 0; i < n; i++) PromptTelemetry.track('prompt_copied', { prompt_id: 'classic-' + i, variant: 'body', source: 'card' })
  if (flush) await PromptTelemetry.flush()
  postMessage(PromptTelemetry.stats())
}
