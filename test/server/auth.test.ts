import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envelope, impression, testServer, type TestServer } from './harness'

let s: TestServer
beforeAll(async () => {
  s = await testServer({ allowedOrigins: ['https://app.example.com'] })
}, 120_000)
afterAll(() => s?.close())

const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!
const login = async (path: string, body: unknown) =>
  fetch(s.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('auth', () => {
  it('answers 401 to events without a session or write key', async () => {
    const r = await s.post('/telemetry/events', { events: [impression()] })
    expect(r.status).toBe(401)
    expect(r.json.error).toMatch(/write key/)
  })

  it('answers 403 to an unknown write key', async () => {
    const r = await s.post('/telemetry/events', envelope([impression()], { write_key: 'pk_not_a_key_of_ours' }))
    expect(r.status).toBe(403)
  })

  it('answers 400 to a write key that is not one string', async () => {
    const { write_key: _, ...noKey } = envelope([impression()])
    for (const [path, body] of [
      ['/telemetry/events', envelope([impression()], { write_key: 5 })],
      ['/telemetry/events', envelope([impression()], { write_key: ['pk_test_write_key'] })],
      ['/telemetry/events?key=pk_test_write_key&key=other', noKey],
      ['/psr?key=pk_test_write_key&key=pk_test_write_key', { prompt_id: 'p', rating: 5, source: 'copy' }],
    ] as const) {
      const r = await s.post(path, body)
      expect(r.status, path).toBe(400)
      expect(r.json.error).toMatch(/write key must be one string/)
    }
  })

  it('ignores a session cookie whose signature does not match', async () => {
    const forged = 'pt_session=' + Buffer.from(JSON.stringify({ u: 'root', r: 'operator', e: Date.now() + 1e9 })).toString('base64url') + '.bad'
    expect((await s.post('/telemetry/events', { events: [impression()] }, { cookie: forged })).status).toBe(401)
    expect((await s.get('/telemetry/prompts/performance', { cookie: forged })).status).toBe(401)
  })

  it('answers 401 with WWW-Authenticate to operator routes without credentials', async () => {
    const r = await s.get('/telemetry/prompts/performance', {})
    expect(r.status).toBe(401)
    expect(r.headers.get('www-authenticate')).toBe('Bearer')
    expect((await s.get('/telemetry/prompt/p-1/stats', {})).status).toBe(401)
  })

  // Taken for a page, a backend with a mistyped token would lose every user id without an error.
  it('answers 403 to events sent with a wrong bearer token, write key or not', async () => {
    const wrong = { authorization: 'Bearer wrong-token-wrong-token' }
    for (const body of [{ events: [impression({ user_id: 'u-1' })] }, envelope([impression({ user_id: 'u-1' })])]) {
      const r = await s.post('/telemetry/events', body, wrong)
      expect(r.status).toBe(403)
      expect(r.json.error).toBe('wrong service token')
    }
    // Another scheme is not a service token: the caller is identified as a page.
    expect((await s.post('/telemetry/events', envelope([impression()]), { authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(200)
  })

  it('answers 403 to a wrong service token', async () => {
    expect((await s.get('/telemetry/prompts/performance', { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(403)
  })

  it('answers 403 to a user session on operator routes', async () => {
    const cookie = cookieOf(await login('/auth/demo-login', { user_id: 'u-1' }))
    expect((await s.get('/telemetry/prompts/performance', { cookie })).status).toBe(403)
  })

  it('does not take a write key as operator credentials', async () => {
    expect((await s.get('/telemetry/prompts/performance?key=pk_test_write_key', {})).status).toBe(401)
  })

  it('opens operator routes to the bearer token', async () => {
    expect((await s.get('/telemetry/prompts/performance')).status).toBe(200)
  })

  it('trades the service token for an operator session cookie', async () => {
    expect((await login('/auth/operator-login', { token: 'nope-nope-nope-nope' })).status).toBe(403)
    expect((await login('/auth/operator-login', {})).status).toBe(401)
    const res = await login('/auth/operator-login', { token: s.config.serviceToken })
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i)
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Lax/i)
    const cookie = cookieOf(res)
    expect((await s.get('/telemetry/prompts/performance', { cookie })).status).toBe(200)
    expect((await s.get('/auth/me', { cookie })).json).toEqual({ user_id: 'operator', role: 'operator' })
  })

  it('signs a user in with the demo login and out with logout', async () => {
    const res = await login('/auth/demo-login', { user_id: 'u-bob' })
    expect(await res.json()).toEqual({ user_id: 'u-bob', role: 'user' })
    const cookie = cookieOf(res)
    expect((await s.get('/auth/me', { cookie })).json).toEqual({ user_id: 'u-bob', role: 'user' })
    // A client that sends a JSON content type with no body signs out too.
    const out = await fetch(s.url + '/auth/logout', { method: 'POST', headers: { cookie, 'content-type': 'application/json' } })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/pt_session=;/)
    expect((await s.get('/auth/me', {})).status).toBe(401)
  })

  it('refuses a demo login with a malformed user id', async () => {
    expect((await login('/auth/demo-login', { user_id: 'has spaces' })).status).toBe(400)
  })

  it('has no demo login when it is turned off', async () => {
    const off = await testServer({ demoLogin: false })
    try {
      expect((await off.post('/auth/demo-login', { user_id: 'u-1' })).status).toBe(404)
    } finally {
      await off.close()
    }
  }, 120_000)
})

describe('CORS and origins', () => {
  const origin = 'https://app.example.com'

  it('answers a preflight from an allowed origin with credentials allowed', async () => {
    const res = await fetch(s.url + '/telemetry/events', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(origin)
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/)
    expect(res.headers.get('access-control-allow-headers')).toMatch(/content-type/)
  })

  it('gives no CORS headers to an origin outside the allowlist', async () => {
    const res = await fetch(s.url + '/telemetry/events', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: string }).error).toMatch(/origin https:\/\/evil.example is not allowed/)
  })

  it('stores a simple text/plain POST from an allowed origin and exposes the trace headers', async () => {
    const r = await s.post('/telemetry/events', envelope([impression()]), { origin })
    expect(r.status).toBe(200)
    expect(r.headers.get('access-control-allow-origin')).toBe(origin)
    expect(r.headers.get('access-control-expose-headers')).toMatch(/x-trace-id/)
  })

  it('refuses a POST from a page of another origin with 403', async () => {
    const e = impression()
    const r = await s.post('/telemetry/events', envelope([e]), { origin: 'https://evil.example' })
    expect(r.status).toBe(403)
    expect(await s.stored([e.id])).toEqual(new Set())
  })

  it('accepts a POST from the server own origin', async () => {
    const r = await s.post('/telemetry/events', envelope([impression()]), { origin: s.url })
    expect(r.status).toBe(200)
  })
})
