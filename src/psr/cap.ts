import { memoryStore, type KeyValue } from 'prompt-telemetry'

/** The storage key of the frequency cap for one prompt. */
export const psrCapKey = (promptId: string): string => `psr:last:${promptId}`

/** The UTC day of a time, `YYYY-MM-DD`: the cap resets at midnight UTC, as the server's does. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

// A host without storage still caps within the page: one store for every widget.
let fallback: KeyValue | undefined
const store = (s?: KeyValue): KeyValue => s ?? (fallback ??= memoryStore())

export interface PsrCapOptions {
  /** Where the last day shown is kept; the client's `context().host.storage` is guarded already. */
  storage?: KeyValue | undefined
  /** The clock, ms. Default `Date.now`. */
  now?: (() => number) | undefined
}

/**
 * True unless the PSR widget was already shown for this prompt today (UTC). The server
 * enforces the same rule; this only predicts it so the widget never flashes for nothing.
 * @example if (canShowPsr('prompt-42', { storage: client.context().host.storage })) psr.open()
 */
export function canShowPsr(promptId: string, o: PsrCapOptions = {}): boolean {
  try {
    return store(o.storage).get(psrCapKey(promptId)) != utcDay((o.now ?? Date.now)())
  } catch {
    return true
  }
}

/** Records that the widget was shown for this prompt today, or with `shown: false` forgets it. */
export function markPsrShown(promptId: string, o: PsrCapOptions = {}, shown = true): void {
  try {
    const s = store(o.storage)
    shown ? s.set(psrCapKey(promptId), utcDay((o.now ?? Date.now)())) : s.remove(psrCapKey(promptId))
  } catch {}
}
