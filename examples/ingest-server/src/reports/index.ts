import type { FastifyPluginAsync } from 'fastify'
import { ConfigError, type ServerConfig } from '../config'
import { HttpError, storageError } from '../errors'
import { loadPriceOverride, PriceTableError, resolvePrices, syncPrices, type PriceOverride, type PriceTable } from '../pricing/index'
import type { Store } from '../store'
import { REPORTS } from './definitions'
import { BadParam, MAX_RANGE_DAYS } from './params'
import { MAX_LIMIT, parseReportQuery, runReport } from './run'

export interface ReportsOptions {
  store: Store
  config: ServerConfig
}

function priceTable(config: ReportsOptions['config']): PriceTable {
  const o = config.llmPrices ?? process.env.LLM_PRICES_FILE
  try {
    return resolvePrices(typeof o == 'string' && o ? loadPriceOverride(o) : (o as PriceOverride | undefined))
  } catch (e) {
    throw e instanceof PriceTableError ? new ConfigError(e.message) : e
  }
}

/**
 * Operator report routes, GET /reports/<name>?from&to&sort&order&limit[&lens&source], and the
 * list of reports at GET /reports. Registered behind the operator guard (service token or
 * operator session). At start-up the price table is written to llm_prices.
 */
const reports: FastifyPluginAsync<ReportsOptions> = async (app, { store, config }) => {
  const prices = priceTable(config)
  await syncPrices(store, prices)
  const pricing = { version: prices.version, source: prices.source, currency: prices.currency }

  app.get('/reports', async () => ({
    range: `from and to: ISO dates (a date-only to includes its whole UTC day) or date-times with a zone; at most ${MAX_RANGE_DAYS} days; default the last 30 days`,
    limit: `1 to ${MAX_LIMIT}, default 1000`,
    pricing,
    reports: REPORTS.map((d) => ({ name: d.name, path: `/reports/${d.name}`, description: d.description, columns: d.columns, sort: d.sort, order: d.order, filters: d.filters ?? [] })),
  }))

  for (const def of REPORTS)
    app.get(`/reports/${def.name}`, async (req) => {
      let q
      try {
        q = parseReportQuery(def, req.query, config.now())
      } catch (e) {
        if (e instanceof BadParam) throw new HttpError(400, e.message)
        throw e
      }
      const answer = await runReport(store, def, q).catch((e) => Promise.reject(storageError(e)))
      return def.priced ? { ...answer, pricing } : answer
    })
}

export default reports
