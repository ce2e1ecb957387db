import { describe, expect, it } from 'vitest'
import { promptCatalog } from '../../src/catalogs/prompt'
import { validateEvent } from '../../src/core/validate'
import { llmEvents } from '../../src/llm/events'

const base = { id: '0190a5b2-7c3d-7def-8123-456789abcdef', ts: 1_750_000_000_000, session_id: 's-1' }
const generation = {
  ...base,
  event: 'llm.generation',
  generation_id: 'g-1',
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  status: 'ok',
  duration_ms: 1200,
}

describe('the LLM events in the catalog the server validates with', () => {
  it('are part of the built-in prompt catalog', () => {
    for (const name of Object.keys(llmEvents)) expect(promptCatalog.events).toHaveProperty([name])
    expect(validateEvent(promptCatalog, generation)).toMatchObject({ ok: true })
  })

  it('refuse prompt or response text under any name the catalog does not declare', () => {
    for (const key of ['prompt', 'response', 'messages', 'gen_ai.input.messages', 'gen_ai.output.messages', 'query', 'body'])
      expect(validateEvent(promptCatalog, { ...generation, [key]: 'What is the revenue of ACME?' })).toMatchObject({ ok: false })
  })

  it('refuse a measured time of 0 and an error type that reads like a message', () => {
    expect(validateEvent(promptCatalog, { ...generation, ttft_ms: 0 })).toMatchObject({ ok: false })
    expect(validateEvent(promptCatalog, { ...generation, ttfb_ms: 0 })).toMatchObject({ ok: false })
    expect(validateEvent(promptCatalog, { ...generation, status: 'error', 'error.type': 'relation users does not exist' })).toMatchObject({ ok: false })
  })

  it('accept a query fingerprint only as a SHA-256 digest', () => {
    expect(validateEvent(promptCatalog, { ...generation, query_fingerprint: 'a'.repeat(64) })).toMatchObject({ ok: true })
    expect(validateEvent(promptCatalog, { ...generation, query_fingerprint: 'SELECT * FROM orders' })).toMatchObject({ ok: false })
  })

  it('take a generation without a duration: a clock that gave no reading is not an instant call', () => {
    const e: Record<string, unknown> = { ...generation }
    delete e.duration_ms
    expect(validateEvent(promptCatalog, e).ok).toBe(true)
  })

  it('require the provider, the model and the status', () => {
    for (const key of ['gen_ai.provider.name', 'gen_ai.request.model', 'status', 'generation_id']) {
      const e: Record<string, unknown> = { ...generation }
      delete e[key]
      expect(validateEvent(promptCatalog, e)).toMatchObject({ ok: false, reason: `missing attribute "${key}"` })
    }
  })
})
