import type { FastifyInstance } from 'fastify'
import { ID, SESSION_COOKIE, operatorAccess, readSession, sameSecret, setSession } from '../auth'
import type { ServerConfig } from '../config'
import { HttpError } from '../errors'

const object = (b: unknown) => (b !== null && typeof b == 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : undefined)

/**
 * Session routes. POST /auth/demo-login signs anyone in as the user id they name (a stand-in
 * for your app's login; DEMO_LOGIN=0 turns it off). POST /auth/operator-login trades the
 * service token for an operator session cookie (for the dashboard in a browser).
 */
export function authRoutes(app: FastifyInstance, o: { config: ServerConfig }) {
  const { config } = o
  const opts = { bodyLimit: 4096 }

  if (config.demoLogin)
    app.post('/auth/demo-login', opts, async (req, reply) => {
      const b = object(req.body ?? {})
      if (!b) throw new HttpError(400, 'body must be a JSON object { "user_id"?: string }')
      const userId = b.user_id ?? `demo-${Math.random().toString(36).slice(2, 10)}`
      if (typeof userId != 'string' || !ID.test(userId)) throw new HttpError(400, 'user_id must be 1-128 of A-Z a-z 0-9 _ . : -')
      setSession(reply, { userId, role: 'user' }, config.now())
      return { user_id: userId, role: 'user' }
    })

  app.post('/auth/operator-login', opts, async (req, reply) => {
    const token = object(req.body)?.token
    if (typeof token != 'string' || !token) throw new HttpError(401, 'token required: { "token": "<service token>" }')
    if (!sameSecret(token, config.serviceToken)) throw new HttpError(403, 'wrong service token')
    setSession(reply, { userId: 'operator', role: 'operator' }, config.now())
    return { user_id: 'operator', role: 'operator' }
  })

  app.post('/auth/logout', opts, async (_req, reply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.code(204).send()
  })

  app.get('/auth/me', async (req) => {
    const s = readSession(req, config.now())
    if (s) return { user_id: s.userId, role: s.role }
    if (operatorAccess(req, config) === 200) return { user_id: 'operator', role: 'operator' }
    throw new HttpError(401, 'not signed in')
  })
}
