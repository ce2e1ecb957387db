import { browserHost, createTelemetry, promptCatalog, type Catalog, type PromptCatalog, type Telemetry, type TelemetryOptions } from 'prompt-telemetry'
import { autocapture, type AutocaptureOptions } from './autocapture'

export interface InitOptions<C extends Catalog = PromptCatalog> extends Omit<TelemetryOptions<C>, 'catalog'> {
  /** The events this page may send. Default the built-in `promptCatalog`. */
  catalog?: C | undefined
  /** Track clicks on `[data-telemetry-event]` elements (see `autocapture`). Default false. */
  autocapture?: boolean | AutocaptureOptions | undefined
}

/**
 * Creates the telemetry client for a page: the browser host (flush on page hide, idle
 * scheduling, sendBeacon, guarded storage) and, when asked, declarative click capture,
 * which `shutdown()` removes.
 * @example
 * const t = init({ endpoint: '/telemetry/events', autocapture: true })
 * t.track('prompt_copied', { prompt_id: 'p-42', variant: 'body', source: 'card' })
 */
export function init<C extends Catalog = PromptCatalog>(options: InitOptions<C> = {}): Telemetry<C> {
  const { autocapture: capture, ...rest } = options
  const browser = typeof document != 'undefined'
  const t = createTelemetry({ host: browser ? browserHost() : undefined, ...rest, catalog: (rest.catalog ?? promptCatalog) as C })
  if (capture && browser) {
    const stop = autocapture(t, { debug: rest.debug, ...(capture === true ? {} : capture) })
    const shutdown = t.shutdown
    t.shutdown = () => (stop(), shutdown())
  }
  return t
}
