import { readFileSync } from 'node:fs'
import { DEFAULT_PRICES, type ModelPrice, type PriceTable } from './table'

/** An app's changes to the price table: models added or repriced, or a whole table with `replace`. */
export interface PriceOverride {
  version?: string
  source?: string
  /** Drop the built-in models and keep only these. */
  replace?: boolean
  models?: Record<string, ModelPrice>
}

export class PriceTableError extends Error {
  override name = 'PriceTableError'
}

const MODEL = /^[\w.:/@-]{1,96}$/
const rate = (where: string, v: unknown, optional: boolean): number | null => {
  if (v == null && optional) return null
  if (typeof v != 'number' || !Number.isFinite(v) || v < 0 || v > 1e6)
    throw new PriceTableError(`${where} must be a price in USD per million tokens (a number >= 0), got ${JSON.stringify(v)}`)
  return v
}

function checkModel(name: string, p: unknown): ModelPrice {
  if (!MODEL.test(name)) throw new PriceTableError(`price table: bad model name ${JSON.stringify(name)}`)
  if (!p || typeof p != 'object') throw new PriceTableError(`price table: ${name} must be an object`)
  const m = p as Record<string, unknown>
  for (const k of Object.keys(m))
    if (!['provider', 'input', 'cachedInput', 'cacheWrite', 'output'].includes(k)) throw new PriceTableError(`price table: ${name}.${k} is not a known field`)
  return {
    provider: typeof m.provider == 'string' ? m.provider.slice(0, 32) : undefined,
    input: rate(`${name}.input`, m.input, false)!,
    cachedInput: rate(`${name}.cachedInput`, m.cachedInput, true),
    cacheWrite: rate(`${name}.cacheWrite`, m.cacheWrite, true),
    output: rate(`${name}.output`, m.output, false)!,
  }
}

/**
 * The built-in table with an app's override applied. The result names its source: an
 * overridden table gets the override's version (or `<built-in>+custom`).
 * @example resolvePrices({ models: { 'my-finetune': { input: 3, output: 12 } } })
 */
export function resolvePrices(override?: PriceOverride | null, base: PriceTable = DEFAULT_PRICES): PriceTable {
  if (!override) return base
  if (typeof override != 'object') throw new PriceTableError('price override must be an object')
  const models: Record<string, ModelPrice> = override.replace ? {} : { ...base.models }
  for (const [name, p] of Object.entries(override.models ?? {})) models[name] = checkModel(name, p)
  if (!Object.keys(models).length) throw new PriceTableError('price table: no models')
  return {
    version: String(override.version ?? `${base.version}+custom`).slice(0, 64),
    source: String(override.source ?? (override.replace ? 'app configuration' : `${base.source} ; app configuration`)).slice(0, 500),
    currency: 'USD',
    models,
  }
}

/** Reads an override from a JSON file (the `LLM_PRICES_FILE` setting). */
export function loadPriceOverride(file: string): PriceOverride {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new PriceTableError(`cannot read the price file ${file}: ${(e as Error).message}`)
  }
  try {
    return JSON.parse(text) as PriceOverride
  } catch {
    throw new PriceTableError(`the price file ${file} is not valid JSON`)
  }
}
