import type { InitOptions } from '../vanilla'

/** The `<script>` element this build was loaded by, found while it runs; none in a worker. */
export function currentScript(): HTMLScriptElement | null {
  if (typeof document == 'undefined') return null // importScripts() in a worker
  const s = document.currentScript as HTMLScriptElement | null
  // currentScript is null only when run from a module or a callback; fall back to the tag.
  return s ?? document.querySelector('script[src*="prompt-telemetry"]')
}

const flag = (v: string | null) => v != null && v != 'false'

/**
 * Init options from the script tag: `data-endpoint`, `data-write-key`, `data-autocapture`
 * and `data-debug` (the last two as booleans: present, empty or "true" means on).
 */
export function scriptOptions(el: Element | null): InitOptions {
  const o: InitOptions = {}
  const read = (name: string) => el?.getAttribute('data-' + name) ?? null
  const endpoint = read('endpoint')
  const writeKey = read('write-key')
  if (endpoint) o.endpoint = endpoint
  if (writeKey) o.writeKey = writeKey
  if (flag(read('autocapture'))) o.autocapture = true
  if (flag(read('debug'))) o.debug = true
  return o
}
