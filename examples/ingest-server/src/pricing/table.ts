/** Prices of one model in USD per million tokens. */
export interface ModelPrice {
  provider?: string
  input: number
  /** Input tokens read from the provider's cache; absent: billed as input. */
  cachedInput?: number | null
  /** Input tokens written to the provider's cache; absent: billed as input. */
  cacheWrite?: number | null
  output: number
}

export interface PriceTable {
  /** Which edition of the prices this is, stored with every cost so reports can name it. */
  version: string
  /** Where the prices come from. */
  source: string
  currency: 'USD'
  models: Record<string, ModelPrice>
}

const OPENAI = 'https://platform.openai.com/docs/pricing'
const ANTHROPIC = 'https://docs.anthropic.com/en/docs/about-claude/pricing'
const GEMINI = 'https://ai.google.dev/gemini-api/docs/pricing'

/**
 * List prices of the standard (not batch, not priority) tier, as the providers published them
 * in August 2025. Anthropic bills a 5-minute cache write at 1.25x input and a cache read at 0.1x;
 * OpenAI bills no cache write; Gemini's rates are for prompts up to 200k tokens (longer prompts
 * cost more and cache storage is billed per hour: neither is modelled). An estimate, not an
 * invoice: check the sources and override what differs (see docs/llm.md, "Cost: the price table").
 */
export const DEFAULT_PRICES: PriceTable = {
  version: '2025-08',
  source: `${OPENAI} ; ${ANTHROPIC} ; ${GEMINI}`,
  currency: 'USD',
  models: {
    'gpt-5': { provider: 'openai', input: 1.25, cachedInput: 0.125, output: 10 },
    'gpt-5-mini': { provider: 'openai', input: 0.25, cachedInput: 0.025, output: 2 },
    'gpt-5-nano': { provider: 'openai', input: 0.05, cachedInput: 0.005, output: 0.4 },
    'gpt-4.1': { provider: 'openai', input: 2, cachedInput: 0.5, output: 8 },
    'gpt-4.1-mini': { provider: 'openai', input: 0.4, cachedInput: 0.1, output: 1.6 },
    'gpt-4.1-nano': { provider: 'openai', input: 0.1, cachedInput: 0.025, output: 0.4 },
    'gpt-4o': { provider: 'openai', input: 2.5, cachedInput: 1.25, output: 10 },
    'gpt-4o-mini': { provider: 'openai', input: 0.15, cachedInput: 0.075, output: 0.6 },
    o3: { provider: 'openai', input: 2, cachedInput: 0.5, output: 8 },
    'o4-mini': { provider: 'openai', input: 1.1, cachedInput: 0.275, output: 4.4 },
    'text-embedding-3-small': { provider: 'openai', input: 0.02, output: 0 },
    'text-embedding-3-large': { provider: 'openai', input: 0.13, output: 0 },
    'claude-opus-4-1': { provider: 'anthropic', input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
    'claude-opus-4': { provider: 'anthropic', input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
    'claude-sonnet-4-5': { provider: 'anthropic', input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
    'claude-sonnet-4': { provider: 'anthropic', input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
    'claude-3-7-sonnet': { provider: 'anthropic', input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
    'claude-3-5-haiku': { provider: 'anthropic', input: 0.8, cachedInput: 0.08, cacheWrite: 1, output: 4 },
    'gemini-2.5-pro': { provider: 'gcp.gemini', input: 1.25, cachedInput: 0.31, output: 10 },
    'gemini-2.5-flash': { provider: 'gcp.gemini', input: 0.3, cachedInput: 0.075, output: 2.5 },
    'gemini-2.5-flash-lite': { provider: 'gcp.gemini', input: 0.1, cachedInput: 0.025, output: 0.4 },
  },
}
