import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ServerConfig } from './config'

export const SESSION_COOKIE = 'pt_session'
const SESSION_DAYS = 7
export const ID = /^[\w.:-]{1,128}$/

export interface Session {
  userId: string
  role: 'user' | 'operator'
}

/** Who is calling: a signed-in user, a page holding a project write key, or nobody. */
export type Caller =
  | { kind: 'session'; userId: string; role: Session['role'] }
  | { kind: 'write_key'; userId: string }
  | { kind: 'none' }
  | { kind: 'bad_key' }
  /** A write key given as something other than one string (repeated ?key=, a number, ...). */
  | { kind: 'malformed_key' }

const sessions = new WeakMap<FastifyRequest, Session | null>()

/** The session of a valid signed cookie, else null. Cached per request. */
export function readSession(req: FastifyRequest, now: Date): Session | null {
  if (sessions.has(req)) return sessions.get(req)!
  let s: Session | null = null
  const raw = req.cookies?.[SESSION_COOKIE]
  if (raw) {
    const u = req.unsignCookie(raw)
    if (u.valid && u.value) {
      try {
        const v = JSON.parse(Buffer.from(u.value, 'base64url').toString('utf8'))
        if (typeof v.u == 'string' && ID.test(v.u) && (v.r == 'user' || v.r == 'operator') && v.e > now.getTime()) s = { userId: v.u, role: v.r }
      } catch {}
    }
  }
  sessions.set(req, s)
  return s
}

export function setSession(reply: FastifyReply, s: Session, now: Date): void {
  const value = Buffer.from(JSON.stringify({ u: s.userId, r: s.role, e: now.getTime() + SESSION_DAYS * 86_400_000 })).toString('base64url')
  reply.setCookie(SESSION_COOKIE, value, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: reply.request.protocol === 'https',
    path: '/',
    maxAge: SESSION_DAYS * 86_400,
  })
}

/**
 * Identifies a browser caller. A session wins; else a write key from the body (`write_key`)
 * or the query (`?key=`). A write-key caller has no account, so its user id is derived:
 * `anon:` + an HMAC of the key, client IP, user agent and UTC day. It is stable for a day,
 * needs no cookie (beacons, cross-origin pages without credentials) and cannot be reversed.
 */
export function identify(req: FastifyRequest, config: ServerConfig, bodyKey: unknown): Caller {
  const now = config.now()
  const s = readSession(req, now)
  if (s) return { kind: 'session', userId: s.userId, role: s.role }
  const q = (req.query as Record<string, unknown> | undefined)?.key
  if ((bodyKey != null && typeof bodyKey != 'string') || (q != null && typeof q != 'string')) return { kind: 'malformed_key' }
  const key = typeof bodyKey == 'string' ? bodyKey : typeof q == 'string' ? q : undefined
  if (key === undefined) return { kind: 'none' }
  if (!config.writeKeys.includes(key)) return { kind: 'bad_key' }
  const day = now.toISOString().slice(0, 10)
  const h = createHmac('sha256', config.cookieSecret).update(`${key}\n${req.ip}\n${req.headers['user-agent'] ?? ''}\n${day}`)
  return { kind: 'write_key', userId: 'anon:' + h.digest('hex').slice(0, 32) }
}

/**
 * A backend sending events with the service token (`Authorization: Bearer`): the user ids of its
 * events are its to give, as a server that knows its users (the seed's backend
 * `track(name, props, { userId })`). Another scheme (a page behind Basic auth) changes nothing:
 * the caller is identified as a page is. A wrong bearer token is refused by the events route.
 */
export function serviceCall(req: FastifyRequest, config: ServerConfig): boolean {
  const token = bearer(req)
  return token !== undefined && sameSecret(token, config.serviceToken)
}

/** The request's bearer token, if it has one. */
export const bearer = (req: FastifyRequest): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1]

const digest = (s: string) => createHash('sha256').update(s).digest()

/** Constant-time comparison of a presented secret with the expected one. */
export const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected))

/**
 * Operator access: `Authorization: Bearer <service token>` or an operator session cookie.
 * 401 when no credential is presented, 403 when one is but it does not grant access.
 */
export function operatorAccess(req: FastifyRequest, config: ServerConfig): 200 | 401 | 403 {
  if (req.headers.authorization) return serviceCall(req, config) ? 200 : 403
  const s = readSession(req, config.now())
  if (s) return s.role === 'operator' ? 200 : 403
  return 401
}
