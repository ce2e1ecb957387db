import { afterEach, describe, expect, it, vi } from 'vitest'
import { startGeneration } from '../../src/llm/generation'
import { usageFromOpenAI } from '../../src/llm/usage'
import { validateEvent } from '../../src/core/validate'
import { promptCatalog } from '../../src/catalogs/prompt'
import { manualClock, realTelemetry, recorder } from './setup'

afterEach(() => vi.restoreAllMocks())

describe('startGeneration', () => {
  it('records a streamed call with first byte, first chunk, duration, usage and response details', async () => {
    const { telemetry, sent } = realTelemetry()
    const clock = manualClock()
    const g = startGeneration(telemetry, { provider: 'openai', model: 'gpt-4o-mini', streaming: true, promptId: 'p-1', promptVersion: '3', conversationId: 'conv_1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }, clock)
    clock.advance(120)
    g.firstByte()
    clock.advance(80)
    g.firstChunk()
    clock.advance(1300)
    g.end({
      usage: usageFromOpenAI({ prompt_tokens: 1200, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 1024 }, completion_tokens_details: { reasoning_tokens: 0 } }),
      responseModel: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-123',
      finishReasons: ['stop'],
    })
    const [e, ...rest] = await sent()
    expect(rest).toEqual([])
    expect(e).toMatchObject({
      event: 'llm.generation',
      session_id: 'sess-1',
      generation_id: g.id,
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': 'chatcmpl-123',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.conversation.id': 'conv_1',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.cache_read.input_tokens': 1024,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.reasoning.output_tokens': 0,
      status: 'ok',
      streaming: true,
      duration_ms: 1500,
      ttfb_ms: 120,
      ttft_ms: 200,
      prompt_id: 'p-1',
      version: '3',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    })
    // what the client sent, the server accepts with the same catalog
    expect(validateEvent(promptCatalog, e).ok).toBe(true)
  })

  it('leaves first byte and first chunk out when they were never measured, never sending 0', async () => {
    const { telemetry, sent } = realTelemetry()
    const clock = manualClock()
    const g = startGeneration(telemetry, { provider: 'anthropic', model: 'claude-sonnet-4-5' }, clock)
    clock.advance(900)
    g.end()
    const [e] = await sent()
    expect(e).not.toHaveProperty('ttfb_ms')
    expect(e).not.toHaveProperty('ttft_ms')
    expect(e).toMatchObject({ duration_ms: 900, status: 'ok' })
  })

  it('records a first chunk quicker than a millisecond as 1 ms, not 0', () => {
    const r = recorder()
    const clock = manualClock()
    const g = startGeneration(r.tracker, { provider: 'openai', model: 'gpt-4o' }, clock)
    clock.advance(0.3)
    g.firstChunk()
    g.end()
    expect(r.of('llm.generation')[0]).toMatchObject({ ttft_ms: 1, ttfb_ms: 1 })
  })

  it('counts the first chunk as the first byte when firstByte() was not called', () => {
    const r = recorder()
    const clock = manualClock()
    const g = startGeneration(r.tracker, { provider: 'openai', model: 'gpt-4o' }, clock)
    clock.advance(250)
    g.firstChunk()
    clock.advance(250)
    g.firstChunk() // later chunks change nothing
    g.end()
    expect(r.of('llm.generation')[0]).toMatchObject({ ttfb_ms: 250, ttft_ms: 250, duration_ms: 500 })
  })

  it('uses performance.now() when no clock is given', () => {
    const r = recorder()
    let t = 5000
    vi.spyOn(globalThis.performance, 'now').mockImplementation(() => t)
    const g = startGeneration(r.tracker, { provider: 'openai', model: 'gpt-4o' })
    t += 42
    g.firstChunk()
    t += 8
    g.end()
    expect(r.of('llm.generation')[0]).toMatchObject({ ttft_ms: 42, duration_ms: 50 })
  })

  it('times named steps, sync and async, and sends one llm.step per step as it ends', async () => {
    const r = recorder()
    const clock = manualClock()
    const g = startGeneration(r.tracker, { provider: 'openai', model: 'gpt-4o-mini', traceId: 'abc123' }, clock)
    const sql = await g.step('nl_to_sql', async () => {
      clock.advance(700)
      return 'SELECT 1'
    })
    const rows = g.step('sql_execution', () => {
      clock.advance(40)
      return [1, 2]
    })
    const s = g.step('response_generation')
    clock.advance(1100)
    s.end()
    s.end() // a step ends once
    g.end()
    expect(sql).toBe('SELECT 1')
    expect(rows).toEqual([1, 2])
    expect(r.of('llm.step')).toEqual([
      { generation_id: g.id, step: 'nl_to_sql', duration_ms: 700, status: 'ok', 'gen_ai.request.model': 'gpt-4o-mini', trace_id: 'abc123' },
      { generation_id: g.id, step: 'sql_execution', duration_ms: 40, status: 'ok', 'gen_ai.request.model': 'gpt-4o-mini', trace_id: 'abc123' },
      { generation_id: g.id, step: 'response_generation', duration_ms: 1100, status: 'ok', 'gen_ai.request.model': 'gpt-4o-mini', trace_id: 'abc123' },
    ])
    expect(r.of('llm.generation')[0]).toMatchObject({ duration_ms: 1840, status: 'ok' })
  })

  it('rethrows what a step throws, marks the step failed, and fail() names it as the failed step', async () => {
    const r = recorder()
    const clock = manualClock()
    const g = startGeneration(r.tracker, { provider: 'openai', model: 'gpt-4o-mini' }, clock)
    const boom = Object.assign(new Error('relation "users" does not exist: SELECT * FROM users WHERE email = x'), { code: '42P01' })
    await expect(
      g.step('sql_execution', async () => {
        clock.advance(15)
        throw boom
      }),
    ).rejects.toBe(boom)
    expect(() => g.step('sync_step', () => { throw boom })).toThrow(boom)
    g.fail(boom, { step: 'sql_execution' })
    expect(r.of('llm.step').map((s) => [s.step, s.status])).toEqual([['sql_execution', 'error'], ['sync_step', 'error']])
    const e = r.of('llm.generation')[0]!
    expect(e).toMatchObject({ status: 'error', 'error.type': '42P01', failed_step: 'sql_execution', duration_ms: 15 })
    expect(JSON.stringify(r.calls)).not.toContain('does not exist')
  })

  it('takes the failed step from the last step that failed when fail() names none', () => {
    const r = recorder()
    const g = startGeneration(r.tracker, { provider: 'openai', model: 'gpt-4o-mini' }, manualClock())
    g.step('retrieval').fail()
    g.fail(new DOMException('The operation timed out.', 'TimeoutError'))
    expect(r.of('llm.generation')[0]).toMatchObject({ failed_step: 'retrieval', 'error.type': 'TimeoutError' })
  })

  it('keeps the tokens already spent and the off-topic flag of a failed call', () => {
    const r = recorder()
    const g = startGeneration(r.tracker, { provider: 'openai', model: 'gpt-4o-mini' }, manualClock())
    g.fail('sql_validation', { usage: { inputTokens: 500, outputTokens: 20 }, offTopic: true })
    expect(r.of('llm.generation')[0]).toMatchObject({ 'error.type': 'sql_validation', 'gen_ai.usage.input_tokens': 500, 'gen_ai.usage.output_tokens': 20, off_topic: true })
  })

  it('records only the first end() or fail(), and ignores first chunks after it', () => {
    const r = recorder()
    const clock = manualClock()
    const g = startGeneration(r.tracker, { provider: 'openai', model: 'gpt-4o' }, clock)
    clock.advance(10)
    g.end({ offTopic: true })
    g.firstChunk()
    g.fail(new Error('late'))
    g.end()
    expect(r.of('llm.generation')).toEqual([expect.objectContaining({ status: 'ok', off_topic: true, duration_ms: 10 })])
    expect(r.of('llm.generation')[0]).not.toHaveProperty('ttft_ms')
  })

  it('never lets a throwing tracker break the call it measures', async () => {
    const g = startGeneration({ track: () => { throw new Error('tracker down') } }, { provider: 'openai', model: 'gpt-4o' })
    await expect(g.step('x', async () => 7)).resolves.toBe(7)
    expect(() => g.end()).not.toThrow()
  })

  it('records a first chunk at the same clock reading as the start as 1 ms, not as absent', () => {
    const r = recorder()
    const g = startGeneration(r.tracker, { provider: 'openai', model: 'gpt-4o' }, manualClock())
    g.firstChunk()
    g.end()
    expect(r.of('llm.generation')[0]).toMatchObject({ ttft_ms: 1, ttfb_ms: 1 })
  })

  it('never throws on null where an object belongs, and still sends the call', async () => {
    const { telemetry, sent } = realTelemetry()
    const a = startGeneration(telemetry, { provider: 'openai', model: 'gpt-4o' }, manualClock())
    expect(() => a.end(null as never)).not.toThrow()
    const b = startGeneration(telemetry, { provider: 'openai', model: 'gpt-4o' }, manualClock())
    expect(() => b.fail(new Error('x'), null as never)).not.toThrow()
    const c = startGeneration(telemetry, null as never, null as never)
    expect(() => c.end()).not.toThrow()
    const events = await sent()
    expect(events.map((e) => [e.event, e.status, e['gen_ai.request.model']])).toEqual([
      ['llm.generation', 'ok', 'gpt-4o'],
      ['llm.generation', 'error', 'gpt-4o'],
      ['llm.generation', 'ok', '_OTHER'],
    ])
  })

  it('fits odd values to the catalog instead of losing the whole call', async () => {
    const { telemetry, sent } = realTelemetry()
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0'
    const clock = manualClock()
    const g = startGeneration(telemetry, { provider: 'aws.bedrock', model: arn, promptId: 'prompt 7' }, clock)
    g.step('nl to sql').end()
    clock.advance(90_000_000) // over a day
    g.end({ usage: { inputTokens: 3e9, outputTokens: 5 }, finishReasons: Array(10).fill('stop'), responseId: 'resp/ab+c=' })
    const events = await sent()
    expect(events.map((e) => e.event)).toEqual(['llm.step', 'llm.generation'])
    expect(events[0]).toMatchObject({ step: 'nl_to_sql', prompt_id: 'prompt_7' })
    expect(events[1]).toMatchObject({
      'gen_ai.request.model': arn.slice(0, 96),
      'gen_ai.response.finish_reasons': Array(8).fill('stop'),
      'gen_ai.response.id': 'resp_ab_c_',
      'gen_ai.usage.input_tokens': 2_147_483_647,
      duration_ms: 86_400_000,
    })
  })

  it('drops invalid token counts instead of losing the event', async () => {
    const { telemetry, sent } = realTelemetry()
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const g = startGeneration(telemetry, { provider: 'openai', model: 'gpt-4o' }, manualClock())
    g.end({ usage: { inputTokens: -5, outputTokens: Number.NaN, cacheReadTokens: 12.6 } })
    const [e] = await sent()
    expect(e).toMatchObject({ event: 'llm.generation', 'gen_ai.usage.cache_read.input_tokens': 13 })
    expect(e).not.toHaveProperty('gen_ai.usage.input_tokens')
    expect(e).not.toHaveProperty('gen_ai.usage.output_tokens')
  })

  it('warns in development when cached tokens exceed the input total (the exclusive convention)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const r = recorder()
    startGeneration(r.tracker, { provider: 'anthropic', model: 'claude-sonnet-4-5' }, manualClock()).end({ usage: { inputTokens: 10, cacheReadTokens: 2000 } })
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('usageFromAnthropic'))
  })
})

describe('times the clock could not give', () => {
  const record = (now: () => number, run: (g: ReturnType<typeof startGeneration>) => void) => {
    const r = recorder()
    run(startGeneration(r.tracker, { provider: 'openai', model: 'gpt-4o-mini' }, { now }))
    return r
  }

  it('leaves out a duration the clock gave no reading for, rather than send an instant 0', () => {
    const readings = [1000, NaN, NaN, NaN]
    const r = record(() => readings.shift() ?? NaN, (g) => {
      g.step('retrieval')!.end()
      g.firstChunk()
      g.end()
    })
    expect(r.of('llm.step')[0]).not.toHaveProperty('duration_ms')
    const [gen] = r.of('llm.generation')
    expect(gen).not.toHaveProperty('duration_ms')
    expect(gen).not.toHaveProperty('ttft_ms') // not a made-up 1 ms either
    expect(gen).not.toHaveProperty('ttfb_ms')
  })

  it('caps an endless duration at a day and never ends a call before its first chunk', () => {
    let t = 0
    const r = record(() => t, (g) => {
      g.firstChunk() // the clock has not moved: recorded as 1 ms
      g.end()
    })
    expect(r.of('llm.generation')[0]).toMatchObject({ ttft_ms: 1, duration_ms: 1 })
    t = 0
    const endless = record(() => t, (g) => {
      t = Infinity
      g.end()
    })
    expect(endless.of('llm.generation')[0]).toMatchObject({ duration_ms: 86_400_000 })
  })

  it('takes the query fingerprint at the end, when the query was made by a step', async () => {
    const fp = 'a'.repeat(64)
    const r = record(() => 0, (g) => g.end({ queryFingerprint: fp }))
    expect(r.of('llm.generation')[0]).toMatchObject({ query_fingerprint: fp })
    const failed = record(() => 0, (g) => g.fail(new Error('syntax error near SELECT'), { queryFingerprint: fp, step: 'sql_execution' }))
    expect(failed.of('llm.generation')[0]).toMatchObject({ query_fingerprint: fp, failed_step: 'sql_execution', status: 'error' })
    const text = record(() => 0, (g) => g.end({ queryFingerprint: 'SELECT salary FROM staff' }))
    expect(text.of('llm.generation')[0]).not.toHaveProperty('query_fingerprint') // a hash or nothing
  })
})

describe('a server serving many users', () => {
  it('sends each call for the user and session it was made for', async () => {
    const { telemetry, sent } = realTelemetry()
    startGeneration(telemetry, { provider: 'openai', model: 'm', userId: 'u-alice', sessionId: 'req-1' }, manualClock()).step('retrieval')!.end()
    startGeneration(telemetry, { provider: 'openai', model: 'm', userId: 'u-bob' }, manualClock()).end()
    startGeneration(telemetry, { provider: 'openai', model: 'm' }, manualClock()).end()
    const events = await sent()
    expect(events.map((e) => [e.event, e.user_id, e.session_id])).toEqual([
      ['llm.step', 'u-alice', 'req-1'],
      ['llm.generation', 'u-bob', 'sess-1'],
      ['llm.generation', undefined, 'sess-1'],
    ])
  })
})

