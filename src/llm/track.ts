import { uuidv7 } from '../core/uuid'
import { generationAttrs, stepAttrs, whoOf, type GenerationInit, type GenerationResult, type LlmTracker } from './attrs'
import { errorType } from './error-type'

/** A call measured elsewhere, recorded in one go. */
export interface GenerationRecord extends GenerationInit, GenerationResult {
  durationMs: number
  /** Time to first byte, ms; leave out (or null) when not measured. 0 counts as not measured. */
  ttfbMs?: number | null | undefined
  /** Time to first content chunk, ms; leave out (or null) when not measured. */
  ttftMs?: number | null | undefined
  /** Step durations in ms by step name, in the order they ran. */
  steps?: Readonly<Record<string, number>> | undefined
  /** Set when the call failed: an error (its code or name becomes `error.type`) or a type string. */
  error?: unknown
  failedStep?: string | undefined
}

/**
 * Records a finished LLM call whose times were measured elsewhere (a server log, a proxy).
 * Returns the generation id.
 * @example
 * trackGeneration(telemetry, { provider: 'anthropic', model: 'claude-sonnet-4-5', durationMs: 1840,
 *   ttftMs: 420, usage: usageFromAnthropic(msg.usage), steps: { retrieval: 120, generation: 1700 } })
 */
export function trackGeneration(telemetry: LlmTracker, record: GenerationRecord): string {
  const id = uuidv7()
  // Never throws: a bad record costs at most its own events, and no record sends nothing.
  if (!record || typeof record != 'object') return id
  try {
    const r = record
    const failed = r.error != null || r.failedStep != null
    const who = whoOf(r)
    const track: LlmTracker['track'] = (name, attrs) => {
      try {
        telemetry.track(name, attrs, who)
      } catch {}
    }
    for (const name in r.steps ?? {}) track('llm.step', stepAttrs(id, r, name, r.steps![name]!, !(failed && name == r.failedStep)))
    const failure = failed ? { type: errorType(r.error), step: r.failedStep } : undefined
    track('llm.generation', generationAttrs(id, r, r, r, failure))
  } catch {}
  return id
}
