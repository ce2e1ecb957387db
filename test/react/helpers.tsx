import { StrictMode, type ReactNode } from 'react'
import { render } from '@testing-library/react'
import { createTelemetry, memorySink, basicHost, promptCatalog, type KeyValue } from 'prompt-telemetry'
import { TelemetryProvider, type TelemetryFeatures } from 'prompt-telemetry/react'

/** A client on a memory sink whose tracked events are in `seen`; `storage` survives remounts. */
export function makeClient(storage?: KeyValue) {
  const sink = memorySink()
  const host = { ...basicHost(), ...(storage ? { storage } : {}) }
  const client = createTelemetry({ catalog: promptCatalog, sink, host, endpoint: '/telemetry/events', writeKey: 'wk_test' })
  const seen: { event: string; [k: string]: unknown }[] = []
  client.subscribe((e) => seen.push(e))
  const named = (name: string) => seen.filter((e) => e.event == name)
  return { client, sink, seen, named }
}

type Client = ReturnType<typeof makeClient>['client']

export function renderWith(ui: ReactNode, o: { client: Client; features?: TelemetryFeatures | Promise<TelemetryFeatures>; strict?: boolean }) {
  const wrap = (node: ReactNode) => {
    const tree = <TelemetryProvider client={o.client} features={o.features}>{node}</TelemetryProvider>
    return o.strict ? <StrictMode>{tree}</StrictMode> : tree
  }
  const r = render(wrap(ui))
  return { ...r, rerender: (node: ReactNode) => r.rerender(wrap(node)) }
}

/** The widget's shadow root, for Testing Library's `within`. */
export function psrRoot(container: HTMLElement): HTMLElement {
  const host = container.querySelector('[data-pt-psr]')
  if (!host?.shadowRoot) throw new Error('no PSR widget rendered')
  return host.shadowRoot as unknown as HTMLElement
}
