import { attr, defineCatalog, hash, type PromptCatalog, type Telemetry } from 'prompt-telemetry'
import { init, mountPsrPrompt, type InitOptions, type MountPsrOptions, type PsrMount } from '../vanilla'

/** The client methods the global forwards to the default client. */
export const METHODS = ['track', 'flush', 'shutdown', 'identify', 'reset', 'optOut', 'optIn', 'stats'] as const

type Client = Telemetry<PromptCatalog>
type Forwarded = { [M in (typeof METHODS)[number]]: (...args: Parameters<Client[M]>) => ReturnType<Client[M]> | undefined }

export interface PromptTelemetryGlobal extends Forwarded {
  /** Creates the default client once; the script tag's data-* attributes are its defaults. */
  init(options?: InitOptions): Client
  /** The widget on the default client unless `client` is given; mounted once a client exists. */
  mountPsrPrompt(target: Element | string, options?: Partial<MountPsrOptions>): () => void
  /** The default client, once `init` ran. */
  readonly client: Client | undefined
  defineCatalog: typeof defineCatalog
  attr: typeof attr
  hash: typeof hash
}

// Calls made before init wait here (bounded, like the snippet's queue) and run in order.
const MAX_PENDING = 1000

/** The `window.PromptTelemetry` object of the script-tag build. */
export function createGlobal(defaults: InitOptions): PromptTelemetryGlobal {
  let client: Client | undefined
  const pending: (() => void)[] = []
  const later = (f: () => void) => void (pending.length < MAX_PENDING && pending.push(f))

  const g = {
    init(options?: InitOptions) {
      if (client) return client
      // An option left undefined keeps the tag's value.
      const o: Record<string, unknown> = { ...defaults }
      for (const [k, v] of Object.entries(options ?? {})) if (v !== undefined) o[k] = v
      client = init(o)
      // Run what waited; one bad call must not stop the others.
      for (const f of pending.splice(0))
        try {
          f()
        } catch {}
      return client
    },
    mountPsrPrompt(target: Element | string, options: Partial<MountPsrOptions> = {}) {
      const mount = () => mountPsrPrompt(target, { ...options, client: options.client ?? client! })
      if (client || options.client) return mount()
      let stop: PsrMount | undefined
      let gone = false
      later(() => void (gone || (stop = mount())))
      return () => ((gone = true), stop?.())
    },
    get client() {
      return client
    },
    defineCatalog,
    attr,
    hash,
  } as PromptTelemetryGlobal
  for (const m of METHODS) {
    const call = (...args: unknown[]): unknown => (client ? (client[m] as (...a: unknown[]) => unknown)(...args) : later(() => void call(...args)))
    ;(g as unknown as Record<string, unknown>)[m] = call
  }
  return g
}
