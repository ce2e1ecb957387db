// The PSR show/hide loop of bench/psr.bench.ts. It runs as-is in happy-dom (Node) and, bundled,
// in Chromium: one React root, one PsrPrompt, the Copy -> show and Dismiss -> hide paths.
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { createTelemetry, memorySink, promptCatalog } from 'prompt-telemetry'
import { PsrPrompt, TelemetryProvider } from 'prompt-telemetry/react'
import { createPsr, mountPsrView } from '../src/psr'

export interface PsrBenchResult {
  /** ms per show: track('prompt_copied') -> controller, view and React update -> style and layout. */
  show: number[]
  /** ms per hide: a click on Dismiss -> the same. */
  hide: number[]
  /** ms for the one-time mount (shadow root, stylesheet, markup) when the flag turns on. */
  mount: number[]
}

const tick = () => new Promise((r) => setTimeout(r, 0))
// Reading layout makes the browser do style and layout now, inside the timed span.
const layout = () => document.body.getBoundingClientRect().height

export async function runPsrBench(n: number): Promise<PsrBenchResult> {
  const client = createTelemetry({ catalog: promptCatalog, sink: memorySink() })
  const out: PsrBenchResult = { show: [], hide: [], mount: [] }

  for (let i = 0; i < Math.min(n, 200); i++) {
    const host = document.createElement('div')
    document.body.append(host)
    const psr = createPsr({ client, enabled: true })
    const t = performance.now()
    const unmount = mountPsrView(host, psr)
    layout()
    out.mount.push(performance.now() - t)
    unmount()
    host.remove()
  }

  const el = document.createElement('div')
  document.body.append(el)
  const root = createRoot(el)
  flushSync(() =>
    root.render(
      <TelemetryProvider client={client} features={{ psr: true }}>
        <PsrPrompt />
      </TelemetryProvider>,
    ),
  )
  await tick() // the view mounts in an effect
  const dismiss = el.querySelector('[data-pt-psr]')!.shadowRoot!.querySelector<HTMLButtonElement>('.pt-psr__dismiss')!
  for (let i = 0; i < n; i++) {
    let t = performance.now()
    flushSync(() => client.track('prompt_copied', { prompt_id: `p-${i}`, variant: 'body', source: 'card' }))
    layout()
    out.show.push(performance.now() - t)
    t = performance.now()
    flushSync(() => dismiss.click())
    layout()
    out.hide.push(performance.now() - t)
  }
  root.unmount()
  await client.shutdown()
  return out
}
