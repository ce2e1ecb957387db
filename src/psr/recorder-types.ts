// The shapes the suggestion funnel takes: what a ranker produces and what the app knows.

/** One suggested prompt as a scorer ranks it: `promptId`, or `prompt.id` as in seed scorers. */
export interface ScoredPrompt {
  promptId?: string
  prompt?: { id: string }
  score?: number
  /** 0-based position; default its index in the list. */
  rank?: number
  matchDetails?: { stageMatch?: boolean; lensWeight?: number; topicWeight?: number; momentBoost?: number; baseWeight?: number }
}

/** Where the user was when the list was shown. The seed's names (activeLensId, topicsExplored) work too. */
export interface PromptContext {
  /** The surface: carousel, sidebar, ... */
  source?: string
  stage?: string
  lensId?: string | null
  activeLensId?: string | null
  entropy?: number
  interactionCount?: number
  activeTopics?: readonly string[]
  topicsExplored?: readonly string[]
  activeMoments?: readonly string[]
}

export interface CompletionOutcome {
  outcome?: 'success' | 'error' | 'abandoned'
  dwellTimeMs?: number
  /** -1..1 */
  entropyDelta?: number
  followUpPromptId?: string
}

export type FeedbackValue = 'positive' | 'negative'
export type SkipReason = 'dismissed' | 'scrolled_past' | 'replaced' | 'other'

export interface PromptRecorderOptions {
  client: { track(name: any, ...args: any[]): void }
  /** Overrides the client's session id on these events. */
  sessionId?: string
  /** false makes every call a no-op. Default true. */
  enabled?: boolean
  /** Count an impression only once its element (see `observe`) is at least half on screen. */
  visibleOnly?: boolean
  /** The default `source` when the context gives none. */
  source?: string
}

export interface PromptRecorder {
  /** One `prompt.impression` per prompt per list shown; the same list again records nothing. */
  recordImpressions(prompts: readonly ScoredPrompt[], context?: PromptContext): void
  recordSelection(promptId: string): void
  recordCompletion(promptId: string, outcome?: CompletionOutcome): void
  recordFeedback(promptId: string, feedback: FeedbackValue, reason?: string): void
  recordSkip(promptId: string, reason?: SkipReason): void
  /** Watches the element that shows a prompt (IntersectionObserver); returns the unobserve. */
  observe(el: Element, promptId: string): () => void
  /** The impression id the prompt's events carry, while its list is current. */
  impressionId(promptId: string): string | undefined
  configure(o: Partial<Omit<PromptRecorderOptions, 'client'>>): void
  destroy(): void
}
