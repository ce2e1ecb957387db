import { useEffect, useMemo, useSyncExternalStore } from 'react'
import { createPsr, onPsrTrigger, type PsrController, type PsrFlag, type PsrOptions, type PsrState, type PsrTriggerEvent } from '../psr'
import { useShared, useStop, type TelemetryFeatures } from './context'

export interface UsePsrOptions extends Omit<PsrOptions, 'client' | 'enabled'> {
  /** `features.psr`; default the provider's `features.psr`. Unknown (undefined, a pending promise) shows nothing. */
  enabled?: PsrFlag | undefined
}

export type UsePsrResult = PsrState & Pick<PsrController, 'open' | 'setRating' | 'setNote' | 'submit' | 'dismiss'> & { controller: PsrController }

const thenable = (v: unknown): v is PromiseLike<unknown> => !!v && typeof (v as PromiseLike<unknown>).then == 'function'

/**
 * The Prompt Satisfaction Rating without UI: the same state, cap, events and `POST /psr` as
 * `PsrPrompt`, for your own components.
 * @example
 * const psr = usePsr({ promptId: prompt.id, enabled: flags.psr })
 * usePsrTrigger(psr, { promptId: prompt.id })
 * if (psr.visible) return <MyStars value={psr.rating} onChange={psr.setRating} onSend={psr.submit} />
 */
export function usePsr(options: UsePsrOptions = {}): UsePsrResult {
  const { client, features, live } = useShared()
  const fromProvider = useMemo<PsrFlag>(
    () => (thenable(features) ? Promise.resolve(features).then((f: TelemetryFeatures | null | undefined) => f?.psr) : features?.psr),
    [features],
  )
  const flag = !live ? false : options.enabled !== undefined ? options.enabled : fromProvider
  const psr = useMemo(() => createPsr({ ...options, client, enabled: flag }), [client])
  useEffect(() => psr.configure({ ...options, enabled: flag }))
  // Unmounted mid-submit: no toast timer, no onSubmit/onClose afterwards.
  useStop(psr, (p) => p.destroy())
  const state = useSyncExternalStore(psr.subscribe, psr.getState, psr.getState)
  return { ...state, open: psr.open, setRating: psr.setRating, setNote: psr.setNote, submit: psr.submit, dismiss: psr.dismiss, controller: psr }
}

export interface UsePsrTriggerOptions {
  /** Only this prompt's events; default any prompt. */
  promptId?: string | undefined
  /** Default `['prompt_copied']`; add `'prompts.duplicate'` to open after a duplicate too. */
  on?: readonly PsrTriggerEvent[] | undefined
}

/**
 * Opens the PSR after a high-intent event tracked through the provider's client: Copy
 * (`prompt_copied`) by default, optionally Duplicate. `false` for `on` turns it off.
 * @example const psr = usePsr(); usePsrTrigger(psr, { on: ['prompt_copied', 'prompts.duplicate'] })
 */
export function usePsrTrigger(psr: Pick<PsrController, 'open'>, options: UsePsrTriggerOptions | false = {}): void {
  const { client } = useShared()
  const open = psr.open
  const promptId = options ? options.promptId : undefined
  const on = options ? (options.on ?? ['prompt_copied']).join() : ''
  useEffect(() => {
    if (!on) return
    return onPsrTrigger(client, { promptId, on: on.split(',') as PsrTriggerEvent[] }, (t) => void open(t))
  }, [client, open, promptId, on])
}
