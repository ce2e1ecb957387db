import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trustHops } from '../../examples/ingest-server/src/proxy'
import { envelope, impression, testServer, type TestServer } from './harness'

let s: TestServer
beforeAll(async () => {
  s = await testServer({ rateLimitPerMinute: 3 })
}, 120_000)
afterAll(() => s?.close())

const login = async (user_id: string) =>
  (await fetch(s.url + '/auth/demo-login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id }) }))
    .headers.get('set-cookie')!
    .split(';')[0]!

describe('rate limit', () => {
  it('answers 429 with Retry-After past the limit per user, and other users go on', async () => {
    // The logins themselves count against the caller IP, not against the users.
    const alice = await login('u-alice')
    const bob = await login('u-bob')
    const send = (cookie: string) => s.post('/telemetry/events', { events: [impression()] }, { cookie })
    for (let i = 0; i < 3; i++) expect((await send(alice)).status).toBe(200)
    const limited = await send(alice)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(limited.json.error).toMatch(/rate limit exceeded: at most 3 requests per minute/)
    expect((await s.post('/psr', { prompt_id: 'p', rating: 5, source: 'copy' }, { cookie: alice })).status).toBe(429)
    expect((await send(bob)).status).toBe(200)
  })

  it('limits callers without a session per IP', async () => {
    let last = 0
    for (let i = 0; i < 4; i++) last = (await s.post('/telemetry/events', envelope([impression()]))).status
    expect(last).toBe(429)
  })

  it('never limits a backend sending with the service token, whose events keep their user ids', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await s.post('/telemetry/events', { events: [{ ...impression(), user_id: `u-served-${i}` }] }, s.bearer)
      expect(r.status).toBe(200)
    }
    const stored = await s.store.query<{ user_id: string }>("SELECT user_id FROM events WHERE user_id LIKE 'u-served-%' ORDER BY user_id")
    expect(stored.rows.map((r) => r.user_id)).toEqual(['u-served-0', 'u-served-1', 'u-served-2', 'u-served-3', 'u-served-4'])
  })

  // Keyed by session, each new demo session was a fresh allowance, and so was each guess at the
  // service token through the operator login.
  it('counts sign-ins per IP, whatever session the caller holds', async () => {
    const own = await testServer({ rateLimitPerMinute: 3 })
    try {
      let cookie = ''
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) {
        const r = await fetch(own.url + '/auth/demo-login', { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ user_id: `u-${i}` }) })
        statuses.push(r.status)
        cookie = r.headers.get('set-cookie')?.split(';')[0] ?? cookie
      }
      expect(statuses).toEqual([200, 200, 200, 429])
      const guess = await fetch(own.url + '/auth/operator-login', { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ token: 'guess-guess-guess-guess' }) })
      expect(guess.status).toBe(429)
    } finally {
      await own.close()
    }
  })

  // With trust in every hop, the client's own first X-Forwarded-For address was its IP: a fresh
  // one per request escaped the limit (and picked its anonymous id).
  it('behind a trusted proxy, keys on the address the proxy saw, not on one the client wrote', async () => {
    const own = await testServer({ rateLimitPerMinute: 3, trustProxy: true })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) {
        const r = await fetch(own.url + '/telemetry/events', {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'x-forwarded-for': `6.6.6.${i}, 203.0.113.7` },
          body: JSON.stringify(envelope([impression()])),
        })
        statuses.push(r.status)
      }
      expect(statuses).toEqual([200, 200, 200, 429])
      const other = await fetch(own.url + '/telemetry/events', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-forwarded-for': '203.0.113.8' },
        body: JSON.stringify(envelope([impression()])),
      })
      expect(other.status).toBe(200) // another client behind the same proxy
    } finally {
      await own.close()
    }
  })

  // Counting alone trusted any peer: a client reaching the server directly wrote its own IP.
  it('trusts a counted proxy only from a private or loopback address', () => {
    const one = trustHops(1)
    for (const a of ['127.0.0.1', '::1', '10.1.2.3', '172.16.0.9', '172.31.255.1', '192.168.1.1', '100.64.0.1', '::ffff:10.0.0.1', 'fd00::1', 'fe80::1'])
      expect(one(a, 0), a).toBe(true)
    for (const a of ['203.0.113.7', '8.8.8.8', '172.32.0.1', '100.128.0.1', '::ffff:8.8.8.8', '2001:db8::1', '11.0.0.1'])
      expect(one(a, 0), a).toBe(false)
    expect(one('10.0.0.1', 1)).toBe(false) // past the count
    expect(trustHops(2)('203.0.113.7', 1)).toBe(true) // the second proxy, as the first reported it
  })

  it('never limits the health check or the operator routes', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await s.get('/healthz', {})).status).toBe(200)
      expect((await s.get('/telemetry/prompts/performance')).status).toBe(200)
    }
  })
})
