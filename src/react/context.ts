import { createContext, createElement, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { basicHost, createTelemetry, promptCatalog, type Catalog, type PromptCatalog, type Telemetry, type TelemetryOptions } from 'prompt-telemetry'

/** Feature flags the React components read; `psr` gates `PsrPrompt` (default off). */
export interface TelemetryFeatures {
  psr?: boolean | undefined
}

type AnyTelemetry = Telemetry<any>
type Features = TelemetryFeatures | PromiseLike<TelemetryFeatures | null | undefined> | null

export type TelemetryProviderProps = {
  children?: ReactNode | undefined
  /** The flags, or a promise of them; while unknown, flagged UI renders nothing. */
  features?: Features | undefined
} & (
  | { client: AnyTelemetry; options?: never | undefined }
  | { /** Options for a client the provider makes once (catalog: the prompt catalog by default). */ options: Omit<TelemetryOptions<Catalog>, 'catalog'> & { catalog?: Catalog | undefined }; client?: never | undefined }
)

interface Shared {
  client: AnyTelemetry
  features?: Features | undefined
  /** False when there is no provider: everything is a no-op. */
  live: boolean
}

const Ctx = createContext<Shared | null>(null)

declare const process: { env: { NODE_ENV?: string | undefined } }
let warned = false
let noop: Shared | undefined

/** The shared client, or a disabled one with a single development warning when there is no provider. */
export function useShared(): Shared {
  const shared = useContext(Ctx)
  if (shared) return shared
  try {
    if (!warned && process.env.NODE_ENV !== 'production')
      (warned = true), console.warn('[prompt-telemetry] no <TelemetryProvider> above this component: telemetry is off here')
  } catch {}
  return (noop ??= { client: createTelemetry({ catalog: promptCatalog, enabled: false, host: basicHost(), sink: { send: async () => ({ ok: true }) } }), live: false })
}

/**
 * Shares one telemetry client with the hooks and `PsrPrompt` below it. Pass a client, or
 * options for one it creates on first render (later changes to `options` are ignored).
 * Queued events are flushed when it unmounts, and a client it created is shut down.
 * @example
 * <TelemetryProvider options={{ endpoint: '/telemetry/events', writeKey }} features={{ psr: true }}>
 *   <App />
 * </TelemetryProvider>
 */
export function TelemetryProvider(props: TelemetryProviderProps): ReactNode {
  const [client] = useState(() => props.client ?? createTelemetry({ ...props.options, catalog: props.options?.catalog ?? promptCatalog }))
  const current = props.client ?? client
  useEffect(() => () => void current.flush(), [current])
  useStop(current, (c) => c === client && !props.client && void c.shutdown())
  const value = useMemo<Shared>(() => ({ client: current, features: props.features, live: true }), [current, props.features])
  return createElement(Ctx.Provider, { value }, props.children)
}

/**
 * The client of the nearest `TelemetryProvider`; without one, a disabled client whose
 * methods do nothing. Typed with the prompt catalog; name yours if the client has another.
 * @example const t = useTelemetry(); t.track('prompt_copied', { prompt_id, variant: 'body', source: 'card' })
 */
export function useTelemetry<C extends Catalog = PromptCatalog>(): Telemetry<C> {
  return useShared().client
}

/**
 * Runs `stop(value)` once `value` is no longer used: on unmount, or when it changes. StrictMode
 * runs an effect, its cleanup, then the effect again with the same value: the stop waits a
 * tick, and that second run cancels it.
 */
export function useStop<T>(value: T, stop: (value: T) => void): void {
  const pending = useRef<[T, ReturnType<typeof setTimeout>]>(undefined)
  useEffect(() => {
    if (pending.current?.[0] === value) clearTimeout(pending.current[1])
    return () => void (pending.current = [value, setTimeout(() => stop(value), 0)])
  }, [value])
}
