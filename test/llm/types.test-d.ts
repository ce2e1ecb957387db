import { expectTypeOf, it } from 'vitest'
import { createTelemetry, defineCatalog, attr, llmEvents, promptCatalog, startGeneration, type LlmTracker } from '../../src/index'

it('accepts a telemetry client on the built-in catalog or on any catalog that spreads llmEvents', () => {
  const t = createTelemetry({ catalog: promptCatalog })
  expectTypeOf(t).toMatchTypeOf<LlmTracker>()
  const own = createTelemetry({ catalog: defineCatalog({ ...llmEvents, 'app.opened': { attrs: { page: attr.id() } } }) })
  startGeneration(own, { provider: 'openai', model: 'gpt-4o' }).end()
  own.track('llm.step', { generation_id: 'g', step: 'retrieval', duration_ms: 3, status: 'ok' })
  const bare = createTelemetry({ catalog: defineCatalog({ 'app.opened': {} }) })
  // @ts-expect-error: a client whose catalog lacks the llm events is refused at compile time
  startGeneration(bare, { provider: 'openai', model: 'gpt-4o' })
  // @ts-expect-error: a typo in an LLM event attribute is a compile error
  own.track('llm.step', { generation_id: 'g', step: 'retrieval', duration: 3, status: 'ok' })
})
