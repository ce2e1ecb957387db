import { createTelemetry } from '../../src/core/client'
import { basicHost } from '../../src/host/types'
import { memorySink } from '../../src/sinks/memory'
import { promptCatalog } from '../../src/catalogs/prompt'
import type { WireEvent } from '../../src/core/validate'

/** A hand-driven monotonic clock, in ms. */
export function manualClock(start = 1000) {
  let t = start
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

/** A real client on the built-in catalog with a memory sink; `sent()` flushes and returns what left. */
export function realTelemetry() {
  const sink = memorySink()
  const telemetry = createTelemetry({ catalog: promptCatalog, sink, host: basicHost(), sessionId: 'sess-1', debug: true })
  const sent = async (): Promise<WireEvent[]> => {
    await telemetry.flush()
    return sink.events()
  }
  return { telemetry, sent }
}

/** A tracker that only records calls, as `track()` would receive them. */
export function recorder() {
  const calls: { name: string; attrs: Record<string, unknown> }[] = []
  const defined = (a: Record<string, unknown>) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined))
  return {
    calls,
    tracker: { track: (name: 'llm.generation' | 'llm.step', attrs: Record<string, unknown>) => void calls.push({ name, attrs: defined(attrs) }) },
    of: (name: string) => calls.filter((c) => c.name == name).map((c) => c.attrs),
  }
}
