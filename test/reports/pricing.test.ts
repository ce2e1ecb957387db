import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { ConfigError, resolveConfig } from '../../examples/ingest-server/src/config'
import { DEFAULT_PRICES, loadPriceOverride, PriceTableError, resolvePrices } from '../../examples/ingest-server/src/pricing/index'
import reports from '../../examples/ingest-server/src/reports/index'

describe('the price table', () => {
  it('names its version and its sources, and prices every model in USD per million tokens', () => {
    expect(DEFAULT_PRICES.version).toMatch(/^\d{4}-\d{2}/)
    expect(DEFAULT_PRICES.source).toContain('https://')
    for (const [model, p] of Object.entries(DEFAULT_PRICES.models)) {
      expect(model).toMatch(/^[\w.:/@-]+$/)
      expect(p.input).toBeGreaterThanOrEqual(0)
      expect(p.output).toBeGreaterThanOrEqual(0)
      if (p.cachedInput != null) expect(p.cachedInput).toBeLessThanOrEqual(p.input)
    }
  })

  it('adds and reprices models from an override and marks the version as custom', () => {
    const t = resolvePrices({ models: { 'my-finetune': { input: 3, output: 12 }, 'gpt-4o': { input: 2, cachedInput: 1, output: 8 } } })
    expect(t.models['my-finetune']).toEqual({ provider: undefined, input: 3, cachedInput: null, cacheWrite: null, output: 12 })
    expect(t.models['gpt-4o']!.input).toBe(2)
    expect(t.models['gpt-4o-mini']).toEqual(DEFAULT_PRICES.models['gpt-4o-mini'])
    expect(t.version).toBe(`${DEFAULT_PRICES.version}+custom`)
  })

  it('replaces the whole table when asked, with the version and source given', () => {
    const t = resolvePrices({ replace: true, version: 'acme-2025-q3', source: 'our contract', models: { m: { input: 1, output: 2 } } })
    expect(Object.keys(t.models)).toEqual(['m'])
    expect(t).toMatchObject({ version: 'acme-2025-q3', source: 'our contract' })
  })

  it.each([
    [{ models: { m: { input: -1, output: 1 } } }, 'm.input must be a price'],
    [{ models: { m: { input: 1 } } }, 'm.output must be a price'],
    [{ models: { m: { input: '1', output: 1 } } }, 'm.input must be a price'],
    [{ models: { m: { input: 1, output: 1, cachedInput: Number.NaN } } }, 'm.cachedInput must be a price'],
    [{ models: { m: { input: 1, output: 1, discount: 0.5 } } }, 'm.discount is not a known field'],
    [{ models: { 'bad model': { input: 1, output: 1 } } }, 'bad model name'],
    [{ replace: true, models: {} }, 'no models'],
  ])('refuses a bad override: %j', (override, message) => {
    expect(() => resolvePrices(override as never)).toThrow(message)
  })

  it('reads an override from a JSON file and says clearly when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-prices-'))
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ models: { x: { input: 1, output: 1 } } }))
    writeFileSync(join(dir, 'bad.json'), '{ nope')
    expect(loadPriceOverride(join(dir, 'ok.json')).models).toHaveProperty('x')
    expect(() => loadPriceOverride(join(dir, 'bad.json'))).toThrow('is not valid JSON')
    expect(() => loadPriceOverride(join(dir, 'missing.json'))).toThrow(PriceTableError)
  })

  it('stops the server start with a ConfigError when the override is wrong', async () => {
    const app = Fastify()
    const store = { query: async () => ({ rows: [] }) }
    const config = { ...resolveConfig({ serviceToken: 'x'.repeat(16) }), llmPrices: { models: { m: { input: -1, output: 0 } } } }
    app.register(reports, { store: store as never, config })
    await expect(app.ready()).rejects.toBeInstanceOf(ConfigError)
  })
})
