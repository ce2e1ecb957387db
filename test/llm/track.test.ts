import { describe, expect, it } from 'vitest'
import { trackGeneration } from '../../src/llm/track'
import { usageFromAnthropic } from '../../src/llm/usage'
import { validateEvent } from '../../src/core/validate'
import { promptCatalog } from '../../src/catalogs/prompt'
import { realTelemetry, recorder } from './setup'

describe('trackGeneration', () => {
  it('never throws on a null record or a plain-string error, and sends no message', async () => {
    const { telemetry, sent } = realTelemetry()
    expect(() => trackGeneration(telemetry, null as never)).not.toThrow()
    trackGeneration(telemetry, { provider: 'openai', model: 'gpt-4o', durationMs: 10, error: 'User said: my password is hunter2' })
    const events = await sent()
    expect(events.map((e) => e['error.type'])).toEqual(['_OTHER'])
  })

  it('records a call measured elsewhere: its steps in order, then the generation', async () => {
    const { telemetry, sent } = realTelemetry()
    const id = trackGeneration(telemetry, {
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      durationMs: 1840.4,
      ttftMs: 420,
      usage: usageFromAnthropic({ input_tokens: 40, output_tokens: 300, cache_read_input_tokens: 4000 }),
      steps: { retrieval: 120, generation: 1700 },
      promptId: 'prompt-7',
    })
    const events = await sent()
    expect(events.map((e) => [e.event, e.step ?? null])).toEqual([
      ['llm.step', 'retrieval'],
      ['llm.step', 'generation'],
      ['llm.generation', null],
    ])
    expect(events.every((e) => e.generation_id == id)).toBe(true)
    expect(events[2]).toMatchObject({ duration_ms: 1840, ttft_ms: 420, 'gen_ai.usage.input_tokens': 4040, 'gen_ai.usage.cache_read.input_tokens': 4000, prompt_id: 'prompt-7' })
    expect(events[2]).not.toHaveProperty('ttfb_ms')
    for (const e of events) expect(validateEvent(promptCatalog, e)).toMatchObject({ ok: true })
  })

  it('treats a time of 0 as not measured', () => {
    const r = recorder()
    trackGeneration(r.tracker, { provider: 'openai', model: 'gpt-4o', durationMs: 300, ttfbMs: 0, ttftMs: null })
    const g = r.of('llm.generation')[0]!
    expect(g).not.toHaveProperty('ttfb_ms')
    expect(g).not.toHaveProperty('ttft_ms')
  })

  it('marks the failed step and the error type of a failed call', () => {
    const r = recorder()
    trackGeneration(r.tracker, {
      provider: 'openai',
      model: 'gpt-4o-mini',
      durationMs: 950,
      steps: { nl_to_sql: 900, sql_execution: 50 },
      error: 'sql_execution',
      failedStep: 'sql_execution',
    })
    expect(r.of('llm.step').map((s) => s.status)).toEqual(['ok', 'error'])
    expect(r.of('llm.generation')[0]).toMatchObject({ status: 'error', 'error.type': 'sql_execution', failed_step: 'sql_execution' })
  })
})
