import { fileURLToPath } from 'node:url'
import { ConfigError, type ServerConfig } from './config'

/** The default PGlite folder: examples/ingest-server/data, wherever the command runs from. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../data', import.meta.url))

/** Every environment variable the server reads, with what it sets (printed by --help). */
export const ENV_VARS: Record<string, string> = {
  PORT: 'port to listen on (default 8787; 0 = any free port)',
  HOST: 'address to bind (default 127.0.0.1)',
  DATABASE_URL: 'postgres://... to use a PostgreSQL server; absent = embedded PGlite',
  DATA_DIR: 'PGlite data folder (default examples/ingest-server/data); "memory" = in memory only, lost on exit',
  WRITE_KEYS: 'comma-separated project write keys (8-128 of A-Z a-z 0-9 _ . -)',
  SERVICE_TOKEN: 'bearer token for the operator routes (required, >= 16 characters)',
  ALLOWED_ORIGINS: 'comma-separated origins allowed by CORS, e.g. https://app.example.com',
  RETENTION_DAYS: 'days raw events are kept (default 90)',
  COOKIE_SECRET: 'signs session cookies (required, >= 32 characters)',
  RATE_LIMIT_PER_MINUTE: 'requests per minute per user, or per IP without a session (default 120)',
  BODY_LIMIT: 'largest POST /telemetry/events body in bytes (default 262144)',
  DEMO_LOGIN: '1 (default) enables POST /auth/demo-login; 0 turns it off',
  TRUST_PROXY: 'proxies in front whose X-Forwarded-* to trust: 1 for one load balancer, or their addresses (default 0)',
  REQUEST_TIMEOUT_MS: 'ms a connection may stay silent, and a request take to arrive (default 10000)',
  LLM_PRICES_FILE: 'JSON file of LLM price changes, or a whole table (see docs/llm.md)',
  LOG_LEVEL: 'pino level (default info)',
}

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

function int(name: string, v: string | undefined): number | undefined {
  if (v == null || v === '') return undefined
  if (!/^\d+$/.test(v.trim())) throw new ConfigError(`${name} must be a whole number, got "${v}"`)
  return Number(v)
}

// How many proxies, or their addresses (`10.0.0.0/8, loopback`).
function proxies(v: string | undefined): number | string | undefined {
  if (v == null || !v.trim() || /^(0|false|no|off)$/i.test(v.trim())) return undefined
  if (/^(true|yes|on)$/i.test(v.trim())) return 1
  return /^\s*\d+\s*$/.test(v) ? Number(v) : v
}

function bool(name: string, v: string | undefined): boolean | undefined {
  if (v == null || v === '') return undefined
  if (/^(1|true|yes|on)$/i.test(v)) return true
  if (/^(0|false|no|off)$/i.test(v)) return false
  throw new ConfigError(`${name} must be 1 or 0, got "${v}"`)
}

/**
 * Reads the server's settings from environment variables. Throws ConfigError with a one-line
 * message for a missing or malformed one; resolveConfig checks the rest.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<ServerConfig> {
  if (!env.SERVICE_TOKEN) throw new ConfigError('SERVICE_TOKEN is required (a secret of at least 16 characters for the operator routes)')
  if (!env.COOKIE_SECRET) throw new ConfigError('COOKIE_SECRET is required (a secret of at least 32 characters that signs session cookies)')
  const dataDir = env.DATA_DIR === 'memory' ? undefined : env.DATA_DIR || (env.DATABASE_URL ? undefined : DEFAULT_DATA_DIR)
  return {
    port: int('PORT', env.PORT),
    host: env.HOST || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    writeKeys: env.WRITE_KEYS ? list(env.WRITE_KEYS) : undefined,
    serviceToken: env.SERVICE_TOKEN,
    cookieSecret: env.COOKIE_SECRET,
    allowedOrigins: env.ALLOWED_ORIGINS ? list(env.ALLOWED_ORIGINS) : undefined,
    retentionDays: int('RETENTION_DAYS', env.RETENTION_DAYS),
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE),
    bodyLimit: int('BODY_LIMIT', env.BODY_LIMIT),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', env.REQUEST_TIMEOUT_MS),
    demoLogin: bool('DEMO_LOGIN', env.DEMO_LOGIN),
    trustProxy: proxies(env.TRUST_PROXY),
    logLevel: env.LOG_LEVEL || undefined,
    llmPrices: env.LLM_PRICES_FILE || undefined,
  }
}

/** The environment variable behind each setting, to word errors the way the user set them. */
export const ENV_OF: Record<string, string> = {
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  dataDir: 'DATA_DIR',
  writeKeys: 'WRITE_KEYS',
  serviceToken: 'SERVICE_TOKEN',
  allowedOrigins: 'ALLOWED_ORIGINS',
  retentionDays: 'RETENTION_DAYS',
  cookieSecret: 'COOKIE_SECRET',
  rateLimitPerMinute: 'RATE_LIMIT_PER_MINUTE',
  bodyLimit: 'BODY_LIMIT',
  requestTimeoutMs: 'REQUEST_TIMEOUT_MS',
  logLevel: 'LOG_LEVEL',
  llmPrices: 'LLM_PRICES_FILE',
}
