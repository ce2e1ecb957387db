import { createPsr, mountPsrView, onPsrTrigger, type PsrController, type PsrOptions, type PsrTriggerOptions, type PsrViewOptions } from '../psr'

export interface MountPsrOptions extends PsrOptions, PsrViewOptions {
  /**
   * Open after a high-intent event the client tracks: `true` (default) after `prompt_copied`
   * of `promptId`, or of any prompt when no `promptId` is set; options choose the events;
   * `false` opens only on `psr.open()`.
   */
  trigger?: boolean | PsrTriggerOptions | undefined
}

/** The unmount function, carrying the controller for manual `open()` and custom reads. */
export type PsrMount = (() => void) & { readonly psr: PsrController }

/**
 * The Prompt Satisfaction Rating widget without React: the same controller, markup,
 * keyboard use, live region, frequency cap and styles as `PsrPrompt`. A selector that does not
 * match yet while the document is still loading is looked up again on DOMContentLoaded.
 * @example
 * const unmount = mountPsrPrompt('#psr', { client, enabled: true })
 * // a click on Copy tracks prompt_copied and opens it; unmount() removes it
 */
export function mountPsrPrompt(target: Element | string, options: MountPsrOptions): PsrMount {
  const { trigger = true, labels, unstyled, ...rest } = options
  const psr = createPsr(rest)
  const stops: (() => void)[] = [() => psr.destroy()]
  if (trigger)
    stops.push(onPsrTrigger(rest.client, { promptId: rest.promptId, ...(trigger === true ? {} : trigger) }, (t) => void psr.open(t)))

  const find = () => (typeof target == 'string' ? document.querySelector<HTMLElement>(target) : (target as HTMLElement))
  const mount = () => {
    const host = find()
    if (host) stops.push(mountPsrView(host, psr, { labels, unstyled }))
    else console.warn(`[prompt-telemetry] mountPsrPrompt: no element matches ${String(target)}`)
  }
  if (!find() && document.readyState == 'loading') {
    document.addEventListener('DOMContentLoaded', mount, { once: true })
    stops.push(() => document.removeEventListener('DOMContentLoaded', mount))
  } else mount()

  let done = false
  const unmount = () => {
    if (!done) (done = true), stops.splice(0).reverse().forEach((f) => f())
  }
  return Object.assign(unmount, { psr })
}
