// The shapes the suggestion funnel takes: what a ranker produces and what the app knows.

/** One suggested prompt as a scorer ranks it: `promptId`, or `prompt.id` as in seed scorers. */
export interface ScoredPrompt {
  promptId?: string | undefined
  prompt?: { id: string } | undefined
  score?: number | undefined
  /** 0-based position; default its index in the list. */
  rank?: number | undefined
  matchDetails?: { stageMatch?: boolean | undefined; lensWeight?: number | undefined; topicWeight?: number | undefined; momentBoost?: number | undefined; baseWeight?: number | undefined } | undefined
}

/** Where the user was when the list was shown. The seed's names (activeLensId, topicsExplored) work too. */
export interface PromptContext {
  /** The surface: carousel, sidebar, ... */
  source?: string | undefined
  stage?: string | undefined
  lensId?: string | null | undefined
  activeLensId?: string | null | undefined
  entropy?: number | undefined
  interactionCount?: number | undefined
  activeTopics?: readonly string[] | undefined
  topicsExplored?: readonly string[] | undefined
  activeMoments?: readonly string[] | undefined
}

export interface CompletionOutcome {
  outcome?: 'success' | 'error' | 'abandoned' | undefined
  dwellTimeMs?: number | undefined
  /** -1..1 */
  entropyDelta?: number | undefined
  followUpPromptId?: string | undefined
}

export type FeedbackValue = 'positive' | 'negative'
export type SkipReason = 'dismissed' | 'scrolled_past' | 'replaced' | 'other'

export interface PromptRecorderOptions {
  client: { track(name: any, ...args: any[]): void }
  /** Overrides the client's session id on these events. */
  sessionId?: string | undefined
  /** false makes every call a no-op. Default true. */
  enabled?: boolean | undefined
  /** Count an impression only once its element (see `observe`) is at least half on screen. */
  visibleOnly?: boolean | undefined
  /** The default `source` when the context gives none. */
  source?: string | undefined
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
