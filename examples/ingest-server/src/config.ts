import { randomBytes } from 'node:crypto'
import type { SpanExporter } from '@opentelemetry/sdk-trace-base'
import type { PriceOverride } from './pricing/index'

export interface ServerConfig {
  /** 0 picks a free port. Default 8787. */
  port: number
  /** Default 127.0.0.1. */
  host: string
  /** A PostgreSQL server (`postgres://...`); absent = embedded PGlite. */
  databaseUrl?: string
  /** PGlite's data folder; absent = an in-memory database (gone when the process ends). */
  dataDir?: string
  /** Project write keys browsers may send as `write_key` in the body or `?key=`. */
  writeKeys: string[]
  /** Bearer token for the operator routes. */
  serviceToken: string
  /** Origins allowed to call with CORS (credentials allowed). Exact `scheme://host[:port]`. */
  allowedOrigins: string[]
  /** Raw events older than this many days are deleted (aggregates are kept). Default 90. */
  retentionDays: number
  /** Signs session cookies and keys anonymous owner ids; at least 32 characters. */
  cookieSecret: string
  /** Requests per minute per user (per IP without a session). Default 120. */
  rateLimitPerMinute: number
  /** Largest POST /telemetry/events body in bytes; larger is a 413 before parsing. Default 262144. */
  bodyLimit: number
  /**
   * A connection silent this long is closed, a request must arrive whole within it, and close()
   * cuts what is still open after it, ms. Default 10000: a stalled upload never holds the server.
   */
  requestTimeoutMs: number
  /** Enables POST /auth/demo-login (anyone may claim a user id). Default true. */
  demoLogin: boolean
  /** pino level: fatal, error, warn, info, debug, trace or silent. Default info. */
  logLevel: string
  /**
   * The proxies in front of the server whose X-Forwarded-* to trust: how many (`true` is one;
   * the nearest must connect from a private or loopback address), or their addresses
   * (`10.0.0.0/8, loopback`). The client IP is the address the nearest untrusted hop had, not
   * one a client wrote in the header. Default none.
   */
  trustProxy?: boolean | number | string
  /** Extra static folders, e.g. the built SDK at /sdk/. */
  static?: Array<{ prefix: string; root: string }>
  /** The clock for received_at, PSR days and retention (tests move it). */
  now: () => Date
  /** How often the retention job runs, ms. Default one hour; 0 = only at start-up. */
  retentionIntervalMs: number
  /** Where finished spans go (e.g. an OTLP or console exporter); none by default. */
  spanExporter?: SpanExporter
  /** Changes to the LLM price table, or the path of a JSON file holding them (LLM_PRICES_FILE); see docs/llm.md. */
  llmPrices?: PriceOverride | string
  /** The migrations folder; defaults to the server's own. */
  migrationsDir?: string
}

/** A setting that is wrong or missing, said in one line. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Fills defaults and checks every field; throws ConfigError naming the first bad one. */
export function resolveConfig(o: Partial<ServerConfig> = {}): ServerConfig {
  const c: ServerConfig = {
    port: 8787,
    host: '127.0.0.1',
    writeKeys: [],
    serviceToken: o.serviceToken ?? randomBytes(24).toString('base64url'),
    allowedOrigins: [],
    retentionDays: 90,
    cookieSecret: o.cookieSecret ?? randomBytes(32).toString('base64url'),
    rateLimitPerMinute: 120,
    bodyLimit: 256 * 1024,
    requestTimeoutMs: 10_000,
    demoLogin: true,
    logLevel: 'info',
    now: () => new Date(),
    retentionIntervalMs: 3_600_000,
    ...stripUndefined(o),
  }
  // "memory" means the same everywhere (the CLI, the demo, startServer): no folder at all.
  if (c.dataDir === 'memory') delete c.dataDir
  const int = (name: keyof ServerConfig, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${v}`)
  }
  int('port', c.port, 0, 65535)
  int('retentionDays', c.retentionDays, 1, 36500)
  int('rateLimitPerMinute', c.rateLimitPerMinute, 1, 1e9)
  int('bodyLimit', c.bodyLimit, 1024, 64 * 1024 * 1024)
  int('requestTimeoutMs', c.requestTimeoutMs, 100, 3_600_000)
  int('retentionIntervalMs', c.retentionIntervalMs, 0, 2 ** 31 - 1)
  if (!c.host) throw new ConfigError('host must not be empty')
  if (c.serviceToken.length < 16) throw new ConfigError('serviceToken must be at least 16 characters')
  if (c.cookieSecret.length < 32) throw new ConfigError('cookieSecret must be at least 32 characters')
  for (const k of c.writeKeys) if (!/^[\w.-]{8,128}$/.test(k)) throw new ConfigError(`write key "${k.slice(0, 12)}..." must be 8-128 of A-Z a-z 0-9 _ . -`)
  for (const origin of c.allowedOrigins) {
    let ok = false
    try {
      ok = new URL(origin).origin === origin
    } catch {}
    if (!ok) throw new ConfigError(`allowed origin "${origin}" must be scheme://host[:port] with no path or trailing slash`)
  }
  if (c.databaseUrl != null && !/^postgres(ql)?:\/\//.test(c.databaseUrl)) throw new ConfigError('databaseUrl must start with postgres:// or postgresql://')
  if (c.databaseUrl && c.dataDir) throw new ConfigError('set either databaseUrl (PostgreSQL) or dataDir (PGlite), not both')
  if (!LOG_LEVELS.includes(c.logLevel)) throw new ConfigError(`logLevel must be one of ${LOG_LEVELS.join(', ')}`)
  for (const s of c.static ?? []) if (!s.prefix.startsWith('/')) throw new ConfigError(`static prefix "${s.prefix}" must start with /`)
  return c
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
