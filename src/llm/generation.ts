import { uuidv7 } from '../core/uuid'
import { generationAttrs, stepAttrs, whoOf, type GenerationInit, type GenerationResult, type LlmTracker } from './attrs'
import { errorType } from './error-type'
import type { GenerationUsage } from './usage'

export interface GenerationOptions {
  /** A monotonic clock in ms. Default `performance.now()`. */
  now?: (() => number) | undefined
}

export interface GenerationFailure {
  /** The step that failed; defaults to the step that threw inside `step()`, if any. */
  step?: string | undefined
  /** The `error.type`; defaults to `errorType(error)`. */
  type?: string | undefined
  /** Tokens already spent before the failure (they are billed). */
  usage?: GenerationUsage | undefined
  offTopic?: boolean | undefined
  /** SHA-256 hex of the normalized query made before the failure (the SQL that failed to run). */
  queryFingerprint?: string | undefined
}

export interface Step {
  end(): void
  fail(): void
}

export interface Generation {
  /** The generation id its steps carry. */
  readonly id: string
  /** The first byte of the response arrived (headers or the first chunk). Later calls are ignored. */
  firstByte(): void
  /** The first content chunk or token arrived. Later calls are ignored. */
  firstChunk(): void
  /** Times `fn` as a named step (sync or async); a throw marks the step failed and is rethrown. */
  step<T>(name: string, fn: () => T): T
  /** Starts a named step; call `end()` or `fail()` on what it returns. */
  step(name: string): Step
  /** Records the call as finished. Only the first end() or fail() counts. */
  end(result?: GenerationResult): void
  /** Records the call as failed; the error's message is never recorded. */
  fail(error?: unknown, failure?: GenerationFailure): void
}

const perfNow = () => globalThis.performance.now()
const isThenable = (v: unknown): v is PromiseLike<unknown> => !!v && typeof (v as PromiseLike<unknown>).then == 'function'

/**
 * Starts timing one LLM call. Sends `llm.step` as each step ends and one `llm.generation` at
 * `end()` or `fail()`. Times not measured are left out (null on the server), never 0.
 * @example
 * const g = startGeneration(telemetry, { provider: 'openai', model: 'gpt-4o-mini', streaming: true })
 * for await (const chunk of stream) { g.firstChunk(); ... }
 * g.end({ usage: usageFromOpenAI(final.usage), finishReasons: ['stop'] })
 */
export function startGeneration(telemetry: LlmTracker, init: GenerationInit, options: GenerationOptions = {}): Generation {
  const now = options?.now ?? perfNow
  const id = uuidv7()
  const start = now()
  const who = whoOf(init)
  // Two equal clock readings: quicker than the clock's resolution, recorded as 1 ms, not as
  // absent. No reading (NaN, a clock gone backwards): absent, not 1 ms.
  const since = () => {
    const d = now() - start
    return d > 0 ? d : d === 0 ? 1e-3 : NaN
  }
  let ttfb: number | undefined
  let ttft: number | undefined
  let lastFailedStep: string | undefined
  let done = false

  // The attributes are built inside the guard too: telemetry never breaks the call it measures.
  const track = (name: 'llm.generation' | 'llm.step', attrs: () => unknown) => {
    try {
      telemetry.track(name, attrs(), who)
    } catch {}
  }

  function startStep(name: string): Step {
    const at = now()
    let over = false
    const finish = (ok: boolean) => {
      if (over) return
      over = true
      if (!ok) lastFailedStep = name
      track('llm.step', () => stepAttrs(id, init, name, now() - at, ok))
    }
    return { end: () => finish(true), fail: () => finish(false) }
  }

  function step(name: string, fn?: () => unknown): unknown {
    const s = startStep(name)
    if (!fn) return s
    let out: unknown
    try {
      out = fn()
    } catch (e) {
      s.fail()
      throw e
    }
    if (!isThenable(out)) return s.end(), out
    return Promise.resolve(out).then(
      (v) => (s.end(), v),
      (e) => {
        s.fail()
        throw e
      },
    )
  }

  function finish(result: GenerationResult, failure?: { type: string; step?: string | undefined }): void {
    if (done) return
    done = true
    track('llm.generation', () => generationAttrs(id, init, result, { durationMs: now() - start, ttfbMs: ttfb, ttftMs: ttft }, failure))
  }

  return {
    id,
    firstByte() {
      if (ttfb == null && !done) ttfb = since()
    },
    firstChunk() {
      if (ttft != null || done) return
      ttft = since()
      if (ttfb == null) ttfb = ttft // a chunk is also a byte
    },
    step: step as Generation['step'],
    end: (result) => finish(result ?? {}),
    fail(error, f) {
      f ??= {}
      finish({ usage: f.usage, offTopic: f.offTopic, queryFingerprint: f.queryFingerprint }, { type: errorType(f.type ?? error), step: f.step ?? lastFailedStep })
    },
  }
}
