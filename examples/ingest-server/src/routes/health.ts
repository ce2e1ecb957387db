import type { FastifyInstance } from 'fastify'
import type { Store } from '../store'
import { within } from '../errors'

/** GET /healthz: 200 once migrations ran and the database answers, else 503. */
export function healthRoute(app: FastifyInstance, o: { store: Store; started: number; waitMs: number }) {
  app.get('/healthz', async (_req, reply) => {
    try {
      await within(o.waitMs, o.store.query('SELECT 1 FROM schema_migrations LIMIT 1'))
      return { ok: true, store: o.store.kind, uptime_s: Math.round((Date.now() - o.started) / 1000) }
    } catch {
      return reply.code(503).send({ ok: false, error: 'database unavailable' })
    }
  })
}
