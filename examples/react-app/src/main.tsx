import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { TelemetryProvider, type TelemetryFeatures } from 'prompt-telemetry/react'
import { App } from './App'
import './app.css'

const params = new URLSearchParams(location.search)
const writeKey = params.get('key') ?? document.querySelector<HTMLMetaElement>('meta[name="prompt-telemetry-write-key"]')?.content ?? ''

// Flags usually come from a server; until they arrive, PsrPrompt renders nothing.
// `?psr=off` shows the widget staying away.
const features = new Promise<TelemetryFeatures>((resolve) => setTimeout(() => resolve({ psr: params.get('psr') != 'off' }), 300))

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TelemetryProvider options={{ endpoint: '/telemetry/events', writeKey: writeKey || undefined, flushInterval: 2000 }} features={features}>
      <App />
    </TelemetryProvider>
  </StrictMode>,
)
