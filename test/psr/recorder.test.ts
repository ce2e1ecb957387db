import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPromptRecorder, type ScoredPrompt } from '../../src/psr'
import { testClient } from './setup'
import { FakeIO } from './io'

afterEach(() => {
  vi.unstubAllGlobals()
  FakeIO.all.clear()
})

const scored: ScoredPrompt[] = [
  { prompt: { id: 'a' }, score: 0.9, matchDetails: { stageMatch: true, lensWeight: 0.5, topicWeight: 0.2, momentBoost: 0, baseWeight: 1 } },
  { promptId: 'b', score: 0.4 },
]
const ctx = { stage: 'explore', activeLensId: 'lens-1', entropy: 0.3, interactionCount: 4, topicsExplored: ['x'], activeMoments: [], source: 'carousel' }

describe('createPromptRecorder', () => {
  it('records one impression per prompt with rank, score, match details and context', () => {
    const { client, seen } = testClient()
    const rec = createPromptRecorder({ client })
    rec.recordImpressions(scored, ctx)
    expect(seen).toHaveLength(2)
    expect(seen[0]).toMatchObject({
      event: 'prompt.impression', prompt_id: 'a', rank: 0, score: 0.9, stage_match: true, lens_weight: 0.5, topic_weight: 0.2, moment_boost: 0, base_weight: 1,
      stage: 'explore', lens_id: 'lens-1', entropy: 0.3, interaction_count: 4, active_topics: ['x'], source: 'carousel',
    })
    expect(seen[1]).toMatchObject({ prompt_id: 'b', rank: 1, score: 0.4 })
    expect(seen[0]!.impression_id).not.toBe(seen[1]!.impression_id)
    expect(client.stats().rejected).toBe(0)
  })

  it('records the same list only once, and a new list with new impression ids', () => {
    const { client, seen } = testClient()
    const rec = createPromptRecorder({ client })
    rec.recordImpressions(scored, ctx)
    rec.recordImpressions([...scored], { ...ctx })
    expect(seen).toHaveLength(2)
    const first = rec.impressionId('a')
    rec.recordImpressions([scored[1]!, scored[0]!], ctx)
    expect(seen).toHaveLength(4)
    expect(rec.impressionId('a')).not.toBe(first)
    expect(seen[3]).toMatchObject({ prompt_id: 'a', rank: 1 })
  })

  it('joins selection and completion to the impression, keeping scoring after the list changes', () => {
    const { client, seen } = testClient()
    const rec = createPromptRecorder({ client, sessionId: 'chat-9' })
    rec.recordImpressions(scored, ctx)
    const imp = rec.impressionId('a')
    rec.recordSelection('a')
    rec.recordImpressions([{ promptId: 'c' }], { stage: 'later' })
    rec.recordCompletion('a', { outcome: 'success', dwellTimeMs: 5000, entropyDelta: -0.1, followUpPromptId: 'c' })
    const sel = seen.find((e) => e.event == 'prompt.selection')
    const done = seen.find((e) => e.event == 'prompt.completion')
    expect(sel).toMatchObject({ prompt_id: 'a', impression_id: imp, rank: 0, score: 0.9, stage: 'explore', session_id: 'chat-9' })
    expect(done).toMatchObject({ prompt_id: 'a', impression_id: imp, rank: 0, stage: 'explore', outcome: 'success', dwell_time_ms: 5000, entropy_delta: -0.1, follow_up_prompt_id: 'c' })
    expect(client.stats().rejected).toBe(0)
  })

  it('records feedback and skips with the impression id', () => {
    const { client, seen } = testClient()
    const rec = createPromptRecorder({ client })
    rec.recordImpressions(scored, ctx)
    rec.recordFeedback('a', 'negative', 'off-topic')
    rec.recordSkip('b', 'dismissed')
    expect(seen.slice(2)).toMatchObject([
      { event: 'prompt.feedback', prompt_id: 'a', feedback: 'negative', reason: 'off-topic', impression_id: rec.impressionId('a') },
      { event: 'prompt.skip', prompt_id: 'b', reason: 'dismissed', impression_id: rec.impressionId('b') },
    ])
  })

  it('does nothing when disabled', () => {
    const { client, seen } = testClient()
    const rec = createPromptRecorder({ client, enabled: false })
    rec.recordImpressions(scored, ctx)
    rec.recordSelection('a')
    rec.recordCompletion('a')
    rec.recordFeedback('a', 'positive')
    rec.recordSkip('a')
    expect(seen).toEqual([])
  })

  it('with visibleOnly, waits until the element is at least half visible', () => {
    vi.stubGlobal('IntersectionObserver', FakeIO)
    const { client, seen } = testClient()
    const rec = createPromptRecorder({ client, visibleOnly: true })
    const elA = {} as Element
    const elB = {} as Element
    rec.observe(elA, 'a')
    rec.observe(elB, 'b')
    rec.recordImpressions(scored, ctx)
    expect(seen).toEqual([])
    FakeIO.show(elA, 0.3)
    expect(seen).toEqual([])
    FakeIO.show(elA, 0.6)
    FakeIO.show(elA, 0.9)
    expect(seen.map((e) => e.prompt_id)).toEqual(['a'])
    rec.recordSelection('b') // picked before it was counted: the impression comes first
    expect(seen.map((e) => [e.event, e.prompt_id])).toEqual([['prompt.impression', 'a'], ['prompt.impression', 'b'], ['prompt.selection', 'b']])
  })

  it('with visibleOnly, judges the elements afresh in the layout of a new list', () => {
    vi.stubGlobal('IntersectionObserver', FakeIO)
    const { client, seen } = testClient()
    const rec = createPromptRecorder({ client, visibleOnly: true })
    const [a, b] = [{} as Element, {} as Element]
    rec.observe(a, 'a')
    rec.observe(b, 'b')
    FakeIO.show(a, 1) // both on screen before the list...
    FakeIO.show(b, 1)
    const observe = vi.spyOn(FakeIO.prototype, 'observe')
    rec.recordImpressions(scored, ctx)
    expect(seen).toEqual([]) // ...not counted on that old report
    expect(observe.mock.calls.map(([el]) => el)).toEqual([a, b]) // looked at again
    FakeIO.show(a, 1) // the new layout: a still on screen, b pushed below the fold
    FakeIO.show(b, 0)
    expect(seen.map((e) => e.prompt_id)).toEqual(['a'])
  })

  it('with visibleOnly, counts a card taller than the screen once it covers half of it', () => {
    vi.stubGlobal('IntersectionObserver', FakeIO)
    const { client, seen } = testClient()
    const rec = createPromptRecorder({ client, visibleOnly: true })
    const el = {} as Element
    rec.observe(el, 'a')
    rec.recordImpressions(scored, ctx)
    const entry = (height: number) => ({ target: el, isIntersecting: true, intersectionRatio: height / 1800, rootBounds: { height: 600, width: 800 }, intersectionRect: { height, width: 800 } })
    for (const io of FakeIO.all) (io as unknown as { cb: IntersectionObserverCallback }).cb([entry(200) as unknown as IntersectionObserverEntry], io as unknown as IntersectionObserver)
    expect(seen).toEqual([]) // a third of the screen
    for (const io of FakeIO.all) (io as unknown as { cb: IntersectionObserverCallback }).cb([entry(600) as unknown as IntersectionObserverEntry], io as unknown as IntersectionObserver)
    expect(seen.map((e) => e.prompt_id)).toEqual(['a']) // the whole screen, a third of the card
  })

  it('with visibleOnly but no IntersectionObserver, records at once', () => {
    vi.stubGlobal('IntersectionObserver', undefined)
    const { client, seen } = testClient()
    const rec = createPromptRecorder({ client, visibleOnly: true })
    rec.observe({} as Element, 'a')
    rec.recordImpressions(scored, ctx)
    expect(seen).toHaveLength(2)
  })
})
