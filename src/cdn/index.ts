import { createGlobal, type PromptTelemetryGlobal } from './global'
import { currentScript, scriptOptions } from './script-options'

// A queued call; the snippet's mountPsrPrompt stub returns an unmount that sets x (cancelled
// before the script loaded) or calls s (the replayed mount's own unmount).
type Queued = [string, unknown[]] & { x?: 1; s?: () => void }
type Stub = { q?: Queued[]; loaded?: boolean }
type W = typeof globalThis & { PromptTelemetry?: Stub & Partial<PromptTelemetryGlobal> }

// The script-tag build: installs `window.PromptTelemetry`, initializes from the tag's data-*
// attributes, then replays, in order, every call the inline snippet queued before it loaded.
const w = globalThis as W
if (!w.PromptTelemetry?.loaded) {
  const script = currentScript()
  const defaults = scriptOptions(script)
  const queued = w.PromptTelemetry?.q ?? []
  const g = createGlobal(defaults) as PromptTelemetryGlobal & Stub
  g.loaded = true
  w.PromptTelemetry = g
  // A queued init() call carries the page's own options; without one, the tag alone is enough.
  if (defaults.endpoint && !queued.some(([m]) => m == 'init')) g.init()
  for (const e of queued)
    try {
      const r = e.x ? undefined : (g as any)[e[0]]?.(...e[1])
      if (typeof r == 'function') e.s = r
    } catch {}
}
