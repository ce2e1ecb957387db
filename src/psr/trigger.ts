import type { PsrClient, PsrTarget } from './types'
import type { PsrSource } from './submit'

/** The high-intent events that may open the PSR widget, and the source each one records. */
export const PSR_TRIGGERS = { prompt_copied: 'copy', 'prompts.duplicate': 'duplicate' } as const satisfies Record<string, PsrSource>

export type PsrTriggerEvent = keyof typeof PSR_TRIGGERS

export interface PsrTriggerOptions {
  /** Only this prompt's events; default any prompt. */
  promptId?: string | undefined
  /** Which events open it. Default `['prompt_copied']`. */
  on?: readonly PsrTriggerEvent[] | undefined
}

/**
 * Calls `open` with the prompt of every trigger event the client tracks (after Copy by
 * default). Returns the unsubscribe.
 * @example const stop = onPsrTrigger(client, { on: ['prompt_copied', 'prompts.duplicate'] }, psr.open)
 */
export function onPsrTrigger(client: PsrClient, o: PsrTriggerOptions, open: (target: PsrTarget) => void): () => void {
  const on: readonly string[] = o.on ?? ['prompt_copied']
  return client.subscribe((e) => {
    if (!on.includes(e.event) || typeof e.prompt_id != 'string') return
    if (o.promptId != null && e.prompt_id != o.promptId) return
    const target: PsrTarget = { promptId: e.prompt_id, source: PSR_TRIGGERS[e.event as PsrTriggerEvent] }
    if (typeof e.version == 'string') target.version = e.version
    open(target)
  })
}
