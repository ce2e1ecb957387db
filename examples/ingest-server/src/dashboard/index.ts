import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync } from 'fastify'
import type { ServerConfig } from '../config'
import type { Store } from '../store'

export interface DashboardOptions {
  store: Store
  config: ServerConfig
}

const PUBLIC = fileURLToPath(new URL('./public/', import.meta.url))
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' }

// The page only draws what /reports answers; it needs nothing from any other origin.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

function chartJs(): string {
  const main = createRequire(import.meta.url).resolve('chart.js') // .../chart.js/dist/chart.cjs
  return readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8')
}

/**
 * Serves the operator dashboard at /dashboard: a static page and a small script that signs in
 * with the service token (POST /auth/operator-login sets an operator session cookie) and draws
 * the /reports answers with Chart.js. The page holds no data: every number comes from the
 * operator routes, which refuse anyone without the session or the token.
 */
const dashboard: FastifyPluginAsync<DashboardOptions> = async (app) => {
  const files = new Map<string, { body: string; type: string }>()
  for (const name of ['index.html', 'main.js', 'api.js', 'charts.js', 'table.js', 'format.js', 'dashboard.css'])
    files.set(name, { body: readFileSync(join(PUBLIC, name), 'utf8'), type: TYPES[name.split('.').pop()!]! })
  files.set('vendor/chart.umd.min.js', { body: chartJs(), type: TYPES.js! })

  const send = (name: string) => async (_req: unknown, reply: import('fastify').FastifyReply) => {
    const f = files.get(name)!
    return reply
      .header('content-type', f.type)
      .header('cache-control', name == 'index.html' ? 'no-cache' : 'public, max-age=300')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(f.body)
  }
  app.get('/dashboard', send('index.html'))
  app.get('/dashboard/', send('index.html'))
  for (const name of files.keys()) if (name != 'index.html') app.get(`/dashboard/${name}`, send(name))
}

export default dashboard
