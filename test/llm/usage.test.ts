import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { usageFromAnthropic, usageFromGemini, usageFromOpenAI } from '../../src/llm/usage'

const n = fc.integer({ min: 0, max: 2_000_000 })

describe('usage mappers (input includes cached tokens, output includes reasoning)', () => {
  it('keeps OpenAI totals as they are: cached tokens are already inside prompt_tokens', () => {
    expect(usageFromOpenAI({ prompt_tokens: 2000, completion_tokens: 500, prompt_tokens_details: { cached_tokens: 1536 }, completion_tokens_details: { reasoning_tokens: 320 } })).toEqual({
      inputTokens: 2000,
      outputTokens: 500,
      cacheReadTokens: 1536,
      reasoningTokens: 320,
    })
  })

  it('reads the OpenAI Responses API names too', () => {
    expect(usageFromOpenAI({ input_tokens: 80, output_tokens: 9, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 4 } })).toEqual({
      inputTokens: 80,
      outputTokens: 9,
      cacheReadTokens: 0,
      reasoningTokens: 4,
    })
  })

  it('adds Anthropic cache reads and writes to its input_tokens, which leaves them out', () => {
    expect(usageFromAnthropic({ input_tokens: 50, output_tokens: 200, cache_read_input_tokens: 10_000, cache_creation_input_tokens: 2_000 })).toEqual({
      inputTokens: 12_050,
      outputTokens: 200,
      cacheReadTokens: 10_000,
      cacheCreationTokens: 2_000,
    })
  })

  it('counts every Anthropic token exactly once: the uncached part is what Anthropic called input', () => {
    fc.assert(
      fc.property(n, n, n, n, (input, read, write, output) => {
        const u = usageFromAnthropic({ input_tokens: input, cache_read_input_tokens: read, cache_creation_input_tokens: write, output_tokens: output })
        expect(u.inputTokens! - u.cacheReadTokens! - u.cacheCreationTokens!).toBe(input)
        expect(u.inputTokens! + u.outputTokens!).toBe(input + read + write + output)
      }),
    )
  })

  it('adds Gemini thinking tokens to the output, since candidatesTokenCount leaves them out', () => {
    expect(usageFromGemini({ promptTokenCount: 900, cachedContentTokenCount: 600, candidatesTokenCount: 100, thoughtsTokenCount: 250 })).toEqual({
      inputTokens: 900,
      outputTokens: 350,
      cacheReadTokens: 600,
      reasoningTokens: 250,
    })
  })

  it('answers an empty usage for a missing one, and leaves out what the provider did not send', () => {
    expect(usageFromOpenAI(undefined)).toEqual({})
    expect(usageFromAnthropic(null)).toEqual({})
    expect(usageFromGemini({})).toEqual({ inputTokens: undefined, outputTokens: undefined, cacheReadTokens: undefined, reasoningTokens: undefined })
    expect(usageFromAnthropic({ output_tokens: 3 }).inputTokens).toBeUndefined()
  })
})
