import { isDev } from 'prompt-telemetry'
import type { AttrSpec, Catalog } from 'prompt-telemetry'

export interface AutocaptureOptions {
  /** Where clicks are listened to. Default `document`. */
  root?: Document | Element | undefined
  /** Warn about unknown events and attributes even in production builds. */
  debug?: boolean | undefined
}

interface Tracker {
  readonly catalog: Catalog
  track(name: any, ...args: any[]): void
}

const PREFIX = 'data-telemetry-'
const dev = isDev

// Attribute values are strings; the catalog says what each one should become.
function coerce(spec: AttrSpec, v: string): unknown {
  switch (spec.kind) {
    case 'int':
    case 'number':
      // Decimal notation only: "0x10" or "0b1" are not numbers a page author meant.
      return /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(v) ? +v : v
    case 'bool':
      return v == '' || v == 'true' ? true : v == 'false' ? false : v
    case 'list':
      return v.split(',').map((x) => x.trim()).filter(Boolean)
    default:
      return v
  }
}

/** Whether a node is inside an element, across shadow roots (their host is the way out). */
const within = (n: Node | null, el: Element): boolean => {
  for (; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) if (n == el) return true
  return false
}

/**
 * Tracks a catalog event for every click on an element (or inside one) that carries
 * `data-telemetry-event`, with its other `data-telemetry-*` attributes as the event's
 * attributes (`data-telemetry-prompt-id` -> `prompt_id`, numbers and booleans converted as the
 * catalog declares them). Inside an open shadow root too. An event outside the catalog is
 * rejected and counted as `track()` does; attributes outside it are ignored, with a warning in
 * development. Returns the cleanup.
 * @example
 * // <button data-telemetry-event="prompt_copied" data-telemetry-prompt-id="p-42"
 * //         data-telemetry-variant="body" data-telemetry-source="card">Copy</button>
 * const stop = autocapture(client)
 */
export function autocapture(client: Tracker, o: AutocaptureOptions = {}): () => void {
  const root = o.root ?? document
  const warned = new Set<string>() // once each, not on every click
  const warn = (msg: string) => (o.debug || dev()) && !warned.has(msg) && (warned.add(msg), console.warn('[prompt-telemetry] ' + msg))
  // A click on a label is followed, in the same task, by the browser's click on its control: the
  // same user click. The label's is counted and the control's skipped. (Counting the control's
  // instead would lose clicks the browser does not forward: a prevented label click, a link in
  // the label, a control disabled by its fieldset.)
  let skip: EventTarget | undefined
  const onClick = (e: Event) => {
    // The click's whole path, so that a tagged button inside a web component's open shadow root
    // is found (at the document, the target is the host).
    const path = e.composedPath()
    if (skip && path[0] == skip) return void (skip = undefined)
    const at = path.findIndex((n) => !!(n as Element).hasAttribute?.(PREFIX + 'event'))
    if (at < 0) return
    const el = path[at] as Element
    const label = path.slice(0, at + 1).find((n) => (n as Element).tagName == 'LABEL') as HTMLLabelElement | undefined
    const control = label?.control
    if (control && !path.includes(control) && within(control, el)) {
      skip = control
      setTimeout(() => (skip = undefined))
    }
    const name = el.getAttribute(PREFIX + 'event')!
    const spec = Object.prototype.hasOwnProperty.call(client.catalog.events, name) && client.catalog.events[name]
    if (!spec) {
      if (o.debug && !dev()) warn(`${PREFIX}event="${name.slice(0, 64)}" is not in the catalog`) // the client warns in development
      return void client.track(name) // rejected and counted by the client
    }
    const attrs: Record<string, unknown> = {}
    for (const { name: attrName, value } of Array.from(el.attributes)) {
      if (!attrName.startsWith(PREFIX) || attrName == PREFIX + 'event') continue
      const key = attrName.slice(PREFIX.length).replace(/-/g, '_')
      const a = spec.attrs && Object.prototype.hasOwnProperty.call(spec.attrs, key) && spec.attrs[key]
      if (a) attrs[key] = coerce(a, value)
      else warn(`ignored ${attrName} on ${name}: not an attribute of that event`)
    }
    client.track(name, attrs)
  }
  // Capture phase: an app handler that stops propagation does not hide the click.
  root.addEventListener('click', onClick, true)
  return () => root.removeEventListener('click', onClick, true)
}
