import { useEffect, useMemo, version } from 'react'
import { createPromptRecorder, type PromptRecorder } from '../psr'
import { useShared } from './context'

export interface UsePromptTelemetryOptions {
  /** Overrides the client's session id on these events (e.g. a chat id). */
  sessionId?: string | undefined
  /** false: every callback is a no-op. Default true. */
  enabled?: boolean | undefined
  /** Count an impression only when its element (see `impressionRef`) is at least half on screen. */
  visibleOnly?: boolean | undefined
  /** The default `source` (surface) when a context gives none. */
  source?: string | undefined
}

export type PromptTelemetry = Pick<PromptRecorder, 'recordImpressions' | 'recordSelection' | 'recordCompletion' | 'recordFeedback' | 'recordSkip' | 'impressionId'> & {
  /** A stable callback ref for the element that shows the prompt. */
  impressionRef(promptId: string): (el: Element | null) => void
}

/**
 * Records the suggestion funnel with stable callbacks. Impressions, selections and
 * completions of one prompt share an `impression_id`; selections and completions are sent at
 * once; anything queued is flushed when the component unmounts.
 * @example
 * const pt = usePromptTelemetry({ visibleOnly: true })
 * useEffect(() => pt.recordImpressions(scored, { stage, source: 'carousel' }), [scored, stage])
 * return scored.map((s) => <Card key={s.prompt.id} ref={pt.impressionRef(s.prompt.id)} onClick={() => pt.recordSelection(s.prompt.id)} />)
 */
export function usePromptTelemetry(options: UsePromptTelemetryOptions = {}): PromptTelemetry {
  const { client, live } = useShared()
  const rec = useMemo(() => createPromptRecorder({ client }), [client])
  // The latest options, applied during render so child effects already see them.
  rec.configure({ ...options, enabled: live && options.enabled !== false })
  useEffect(() => () => void client.flush(), [client])
  return useMemo(() => {
    const refs = new Map<string, (el: Element | null) => void>()
    const cleanups = +version.split('.')[0]! >= 19 // a ref may return its cleanup
    const impressionRef = (promptId: string) => {
      let ref = refs.get(promptId)
      if (!ref) {
        // One ref per prompt, which may sit on several elements (a featured copy and the list's):
        // each is watched. React 19 cleans each up with the function returned. React 18 calls the
        // ref with null instead (and warns about a returned function), before it removes the
        // element: once it is gone, what is no longer in the document stops being watched.
        const stops = new Map<Element, () => void>()
        const prune = () => stops.forEach((stop, el) => el.isConnected || (stop(), stops.delete(el)))
        ref = ((el: Element | null) => {
          if (!el) return void queueMicrotask(prune)
          if (!stops.has(el)) stops.set(el, rec.observe(el, promptId))
          if (cleanups) return () => (stops.get(el)?.(), stops.delete(el))
        }) as (el: Element | null) => void
        refs.set(promptId, ref)
      }
      return ref
    }
    const { recordImpressions, recordSelection, recordCompletion, recordFeedback, recordSkip, impressionId } = rec
    return { recordImpressions, recordSelection, recordCompletion, recordFeedback, recordSkip, impressionId, impressionRef }
  }, [rec])
}

/**
 * The callback ref that counts a prompt's impression once it is at least half visible, for
 * an item component that gets the hook's result as a prop.
 * @example const ref = useImpressionRef(pt, prompt.id); return <li ref={ref}>{prompt.label}</li>
 */
export function useImpressionRef(telemetry: PromptTelemetry, promptId: string): (el: Element | null) => void {
  return telemetry.impressionRef(promptId)
}
