import { uuidv7 } from 'prompt-telemetry'
import type { PromptContext, PromptRecorder, PromptRecorderOptions, ScoredPrompt } from './recorder-types'

type Attrs = Record<string, unknown>
interface Entry {
  scoring: Attrs
  impressionId: string
  shown: boolean
}

const flatContext = (c: PromptContext = {}, source?: string): Attrs => ({
  source: c.source ?? source,
  stage: c.stage,
  lens_id: c.lensId ?? c.activeLensId,
  entropy: c.entropy,
  interaction_count: c.interactionCount,
  active_topics: c.activeTopics ?? c.topicsExplored,
  active_moments: c.activeMoments,
})

const idOf = (p: ScoredPrompt) => p.promptId ?? p.prompt?.id

/**
 * The suggestion funnel, headless: impressions, selections, completions, feedback and skips
 * joined by `impression_id`, with the list's context and scoring carried along.
 * @example
 * const rec = createPromptRecorder({ client })
 * rec.recordImpressions(scored, { stage: 'explore', source: 'carousel' })
 * rec.recordSelection(scored[0].prompt.id)
 */
export /* @__NO_SIDE_EFFECTS__ */ function createPromptRecorder(options: PromptRecorderOptions): PromptRecorder {
  let o = { ...options }
  let list = new Map<string, Entry>()
  let signature = ''
  let context: Attrs = {}
  const selected = new Map<string, Attrs>() // what a completion carries, even after the list changed
  const elements = new Map<Element, string>()
  let io: IntersectionObserver | undefined

  const on = () => o.enabled !== false
  const canObserve = () => typeof IntersectionObserver == 'function'
  const track = (name: string, attrs: Attrs) => o.client.track(name, attrs, o.sessionId ? { sessionId: o.sessionId } : undefined)
  const base = (promptId: string): Attrs => ({ prompt_id: promptId, ...context, impression_id: list.get(promptId)?.impressionId })

  const show = (promptId: string) => {
    const e = list.get(promptId)
    if (!e || e.shown) return
    e.shown = true
    track('prompt.impression', { ...base(promptId), ...e.scoring })
  }

  // Seen: at least half of it on screen, or (a card taller than the screen) covering half of it.
  const seen: IntersectionObserverCallback = (entries) => {
    for (const x of entries) {
      const r = x.rootBounds
      if (x.isIntersecting && (x.intersectionRatio >= 0.5 || (!!r && x.intersectionRect.height * 2 >= r.height && x.intersectionRect.width * 2 >= r.width))) {
        if (on()) show(elements.get(x.target)!)
      }
    }
  }

  const rec: PromptRecorder = {
    recordImpressions(prompts, ctx) {
      if (!on()) return
      const flat = flatContext(ctx, o.source)
      const ids = prompts.map(idOf)
      const sig = JSON.stringify([ids, flat])
      if (sig == signature) return // the same list again: a re-render or a StrictMode re-run
      signature = sig
      context = flat
      list = new Map()
      prompts.forEach((p, i) => {
        const id = ids[i]
        if (!id || list.has(id)) return
        const m = p.matchDetails ?? {}
        const scoring = { rank: p.rank ?? i, score: p.score, stage_match: m.stageMatch, lens_weight: m.lensWeight, topic_weight: m.topicWeight, moment_boost: m.momentBoost, base_weight: m.baseWeight }
        list.set(id, { scoring, impressionId: uuidv7(), shown: false })
      })
      if (!o.visibleOnly || !canObserve()) for (const id of list.keys()) show(id)
      else if (io) {
        // What was on screen before this list may not be now (the new list pushed it down): the
        // elements are looked at afresh, and the observer reports them in the new layout.
        for (const el of elements.keys()) io.unobserve(el), io.observe(el)
      }
    },
    recordSelection(promptId) {
      if (!on()) return
      show(promptId) // picked before it counted as seen (keyboard, a tiny element): it was seen
      const attrs = { ...base(promptId), ...list.get(promptId)?.scoring }
      selected.set(promptId, attrs)
      track('prompt.selection', attrs)
    },
    recordCompletion(promptId, r = {}) {
      if (!on()) return
      const attrs = selected.get(promptId) ?? { ...base(promptId), ...list.get(promptId)?.scoring }
      track('prompt.completion', { ...attrs, outcome: r.outcome, dwell_time_ms: r.dwellTimeMs, entropy_delta: r.entropyDelta, follow_up_prompt_id: r.followUpPromptId })
    },
    recordFeedback(promptId, feedback, reason) {
      if (on()) track('prompt.feedback', { ...base(promptId), feedback, reason })
    },
    recordSkip(promptId, reason) {
      if (on()) track('prompt.skip', { ...base(promptId), reason })
    },
    observe(el, promptId) {
      if (!canObserve()) return () => {}
      io ??= new IntersectionObserver(seen, { threshold: [0, 0.05, 0.1, 0.25, 0.5] })
      elements.set(el, promptId)
      io.observe(el)
      return () => {
        if (elements.get(el) != promptId) return
        elements.delete(el)
        io?.unobserve(el)
      }
    },
    impressionId: (promptId) => list.get(promptId)?.impressionId,
    configure(next) {
      o = { ...o, ...next }
    },
    destroy() {
      io?.disconnect()
      io = undefined
      elements.clear()
    },
  }
  return rec
}
