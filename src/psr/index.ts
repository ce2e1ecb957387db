/**
 * The headless layer under both UIs (`prompt-telemetry/react` and `prompt-telemetry/vanilla`).
 * Nothing here touches React, and nothing touches `window` or `document` until called, so it
 * imports fine during SSR. It reaches the core only as `prompt-telemetry` (one core instance).
 *
 * How an adapter uses it:
 *
 *   const psr = createPsr({ client, enabled: flags.psr, promptId? })  // state + cap + POST /psr
 *   const stop = onPsrTrigger(client, { on: ['prompt_copied'] }, psr.open) // open after Copy
 *   const unmount = mountPsrView(hostElement, psr, { unstyled, labels })  // the shared DOM UI
 *   // later: stop(); unmount(); psr.destroy()
 *
 * `psr.subscribe(fn)` / `psr.getState()` feed any other UI (React's `useSyncExternalStore`).
 * `createPsr` has no side effects: no listener, timer or storage access until a method runs.
 * The frequency cap lives in `psr:last:{prompt_id}` of the client's host storage (guarded:
 * private mode and a full quota fall back to memory), one show per prompt per UTC day.
 *
 * `createPromptRecorder` is the suggestion funnel (impression, selection, completion, feedback,
 * skip joined by `impression_id`) for `usePromptTelemetry` and any other adapter.
 */
export { createPsr } from './controller'
export type { PsrClient, PsrCloseReason, PsrController, PsrFlag, PsrOptions, PsrState, PsrStatus, PsrTarget } from './types'
export { canShowPsr, markPsrShown, psrCapKey, utcDay } from './cap'
export type { PsrCapOptions } from './cap'
export { psrUrl, submitPsr } from './submit'
export type { PsrBody, PsrResult, PsrSource, SubmitPsrOptions } from './submit'
export { onPsrTrigger, PSR_TRIGGERS } from './trigger'
export type { PsrTriggerEvent, PsrTriggerOptions } from './trigger'
export { clampNote, clampRating, psrLabels, PSR_MAX_NOTE, PSR_MAX_RATING } from './labels'
export type { PsrLabels } from './labels'
export { psrStyles } from './styles'
export { mountPsrView } from './view'
export type { PsrViewOptions } from './view'
export { createPromptRecorder } from './recorder'
export type { CompletionOutcome, FeedbackValue, PromptContext, PromptRecorder, PromptRecorderOptions, ScoredPrompt, SkipReason } from './recorder-types'
