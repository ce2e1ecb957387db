import type { Host, KeyValue, WireEvent } from 'prompt-telemetry'
import type { PsrBody, PsrResult, PsrSource } from './submit'

/** What the controller needs of a telemetry client (any `createTelemetry()` result fits). */
export interface PsrClient {
  // Loosely typed so a client of any catalog that declares the psr.* events fits.
  track(name: any, ...args: any[]): void
  context(): { endpoint?: string | undefined; writeKey?: string | undefined; host: Host }
  subscribe(listener: (event: WireEvent) => void): () => void
}

/** The prompt a rating is about. */
export interface PsrTarget {
  promptId: string
  version?: string | undefined
  /** What led to the prompt: `copy` (default), `duplicate`, `manual`, `other`. */
  source?: PsrSource | undefined
}

/** `features.psr`: off by default; unknown (undefined, or a promise still pending) shows nothing. */
export type PsrFlag = boolean | undefined | null | PromiseLike<boolean | undefined | null>

export type PsrStatus = 'closed' | 'open' | 'submitting' | 'thanks'

export interface PsrState {
  status: PsrStatus
  /** The flag as known now: undefined while unknown. */
  enabled: boolean | undefined
  /** True while the widget is on screen: enabled and not closed. */
  visible: boolean
  promptId?: string | undefined
  version?: string | undefined
  source: PsrSource
  /** 1-5, or 0 before a star is chosen. */
  rating: number
  note: string
  /** The server's aggregate after a successful submit. */
  result?: PsrResult | undefined
  /** Why the last submit failed; the widget stays open (`status: 'open'`) to try again. */
  error?: string | undefined
}

/** `failed`: dismissed after a submit failed (no `psr.dismissed`: the rating was tracked). */
export type PsrCloseReason = 'dismissed' | 'submitted' | 'failed' | 'disabled'

export interface PsrOptions extends Omit<PsrTarget, 'promptId'> {
  promptId?: string | undefined
  client: PsrClient
  /** The `features.psr` flag. Default undefined: nothing is shown. */
  enabled?: PsrFlag | undefined
  /** Where ratings go; default `/psr` next to the client's endpoint (see `psrUrl`). */
  psrEndpoint?: string | undefined
  /** Set `include` to send cookies to a PSR endpoint on another origin. */
  credentials?: 'omit' | 'same-origin' | 'include' | undefined
  /** Frequency cap storage; default the client's host storage. */
  storage?: KeyValue | undefined
  now?: (() => number) | undefined
  /** How long the success toast stays, ms. Default 4000. */
  toastMs?: number | undefined
  fetch?: typeof fetch | undefined
  onSubmit?: ((result: PsrResult, body: PsrBody) => void) | undefined
  onClose?: ((reason: PsrCloseReason) => void) | undefined
  /** A rating could not be sent, with what was sent (a widget closed meanwhile may report one). */
  onError?: ((error: unknown, body: PsrBody) => void) | undefined
}

export interface PsrController {
  getState(): PsrState
  /** Called after every change; returns the unsubscribe. */
  subscribe(listener: (state: PsrState) => void): () => void
  /**
   * Shows the widget for the target (or the configured prompt) when the flag is on, no other
   * rating is in progress and the prompt was not shown today. Tracks `psr.shown`. Returns whether it opened.
   */
  open(target?: Partial<PsrTarget>): boolean
  setRating(n: number): void
  /** Keeps at most 280 code units. */
  setNote(note: string): void
  /**
   * Tracks `psr.submitted` (once per rating), POSTs the rating, then shows the toast. On a
   * failure the widget stays open with `error` set and the rating and note kept: submitting
   * again tries again. Never rejects.
   */
  submit(): Promise<boolean>
  /** Closes without a rating (tracks `psr.dismissed`), gives up after a failure or while sending, or closes the toast early. */
  dismiss(): void
  setEnabled(flag: PsrFlag): void
  /** Changes the default target and options; the open widget keeps its prompt. */
  configure(o: Partial<Omit<PsrOptions, 'client'>>): void
  /** Stops timers and listeners. */
  destroy(): void
}
