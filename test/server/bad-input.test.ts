import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envelope, impression, testServer, WRITE_KEY, type TestServer } from './harness'

let s: TestServer
beforeAll(async () => {
  s = await testServer()
}, 120_000)
afterAll(() => s?.close())

const q = `/telemetry/events?key=${WRITE_KEY}`

/** Sends a body with an arbitrary content type and returns status and JSON. */
const send = (body: string, contentType = 'text/plain') => s.post(q, body, { 'content-type': contentType })

describe('bad input to POST /telemetry/events', () => {
  const cases: [string, string, number, RegExp][] = [
    ['malformed JSON', '{"events": [', 400, /not valid JSON/],
    ['an empty body', '', 400, /empty/],
    ['a JSON array', '[]', 400, /JSON object/],
    ['a JSON string', '"events"', 400, /JSON object/],
    ['events that are not an array', '{"events": {"0": {}}}', 400, /events must be an array/],
    ['an empty events array', '{"events": []}', 400, /must not be empty/],
    ['an unknown envelope key', JSON.stringify({ events: [impression()], extra: 1 }), 400, /unknown envelope key "extra"/],
    ['a wrong envelope type', JSON.stringify({ events: [impression()], dropped: -1 }), 400, /dropped/],
    ['a __proto__ key', '{"events": [], "__proto__": {"polluted": true}}', 400, /unknown envelope key "__proto__"/],
    ['a constructor.prototype key', '{"events": [], "constructor": {"prototype": {"polluted": true}}}', 400, /unknown envelope key "constructor"/],
    ['an event outside the catalog', JSON.stringify({ events: [{ ...impression(), event: 'admin.delete_all' }] }), 400, /no valid events/],
    ['a forbidden key', JSON.stringify({ events: [{ ...impression(), email: 'a@b.co' }] }), 400, /no valid events/],
    ['an unknown attribute', JSON.stringify({ events: [{ ...impression(), colour: 'red' }] }), 400, /no valid events/],
    ['a wrong attribute type', JSON.stringify({ events: [impression({ rank: '1' })] }), 400, /no valid events/],
    ['a nested object attribute', JSON.stringify({ events: [impression({ source: { a: 1 } })] }), 400, /no valid events/],
    ['an id that is not a UUID', JSON.stringify({ events: [impression({ id: 'x' })] }), 400, /no valid events/],
    // 2 x 20 items of 64 three-byte characters: within every length limit, 7.7 KB of UTF-8.
    ['an event over 4 KB', JSON.stringify({ events: [impression({ active_topics: Array(20).fill('\u4e2d'.repeat(64)), active_moments: Array(20).fill('\u6587'.repeat(64)) })] }), 400, /no valid events/],
    ['51 events', JSON.stringify({ events: Array.from({ length: 51 }, () => impression()) }), 400, /at most 50 events/],
    ['a NUL character', JSON.stringify({ events: [impression({ source: 'a\u0000b' })] }), 400, /no valid events/],
    ['an unpaired surrogate', JSON.stringify({ events: [impression({ source: 'a\ud800b' })] }), 400, /no valid events/],
  ]
  for (const [what, body, status, message] of cases)
    it(`answers ${status} with a clear error to ${what}`, async () => {
      const r = await send(body)
      expect(r.status).toBe(status)
      expect(r.json.error).toMatch(message)
    })

  it('names the reason of each event in a batch where nothing is valid', async () => {
    const r = await send(JSON.stringify({ events: [{ ...impression(), body: 'secret prompt' }, impression({ rank: -1 })] }))
    expect(r.status).toBe(400)
    expect(r.json.rejected).toEqual([
      { index: 0, reason: 'forbidden attribute "body"' },
      { index: 1, reason: expect.stringContaining('rank must be int >= 0') },
    ])
  })

  it('answers 400 to deeply nested JSON without crashing', async () => {
    const deep = '{"events":[' + '['.repeat(50_000) + ']'.repeat(50_000) + ']}'
    const r = await send(deep)
    expect(r.status).toBe(400)
    expect((await s.get('/healthz', {})).status).toBe(200)
  })

  it('answers 413 to a 1 MB string', async () => {
    const r = await send(JSON.stringify({ events: [impression({ source: 'x'.repeat(1 << 20) })] }))
    expect(r.status).toBe(413)
    expect(r.json.error).toMatch(/body larger than 262144 bytes/)
  })

  it('answers 4xx to 10,000 events', async () => {
    const events = Array.from({ length: 10_000 }, () => impression())
    const r = await send(JSON.stringify({ events }))
    expect([400, 413]).toContain(r.status)
    expect(await s.stored(events.slice(0, 100).map((e) => e.id))).toEqual(new Set())
  })

  it('answers 413 from the declared length, before reading the body', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(s.url + q, { method: 'POST', headers: { 'content-type': 'text/plain', 'content-length': String(50 << 20) } }, (res) => {
        resolve(res.statusCode!)
        res.resume()
        req.destroy()
      })
      req.on('error', reject)
      req.write('{"events": [') // only the first bytes of a declared 50 MB
    })
    expect(status).toBe(413)
  })

  it('answers 415 to a content type other than JSON or text', async () => {
    const r = await send(JSON.stringify(envelope([impression()])), 'application/xml')
    expect(r.status).toBe(415)
    expect(r.json.error).toMatch(/application\/json or text\/plain/)
  })

  // Read as UTF-8, a Latin-1 é was stored as a replacement character.
  it('answers 415 to a charset other than UTF-8, and takes UTF-8 however it is spelt', async () => {
    for (const charset of ['iso-8859-1', 'utf-16', '"windows-1252"']) {
      const r = await send(JSON.stringify(envelope([impression()])), `text/plain;charset=${charset}`)
      expect(r.status, charset).toBe(415)
      expect(r.json.error, charset).toMatch(/send UTF-8/)
    }
    for (const charset of ['UTF-8', 'utf8', '"utf-8"', 'us-ascii']) {
      const r = await send(JSON.stringify(envelope([impression()])), `application/json; charset=${charset}`)
      expect(r.status, charset).toBe(200)
    }
  })

  it('answers 415 to a compressed body rather than reading it as plain JSON', async () => {
    for (const encoding of ['gzip', 'br', 'deflate']) {
      const r = await s.post(q, JSON.stringify(envelope([impression()])), { 'content-type': 'text/plain', 'content-encoding': encoding })
      expect(r.status, encoding).toBe(415)
      expect(r.json.error).toMatch(/content-encoding/)
    }
  })

  it('stores nothing from any of the bad requests above but the four UTF-8 ones', async () => {
    expect(await s.count()).toBe(4)
  })

  it('stores the valid events beside one that carries a prototype-poisoning key, and touches no prototype', async () => {
    const good = impression()
    const body = `{"events": [${JSON.stringify(good)}, {"__proto__": {"polluted": true}, "event": "prompt.impression"}, ${JSON.stringify({ ...impression(), constructor: { prototype: { polluted: true } } })}]}`
    const r = await send(body)
    expect(r.status).toBe(200)
    expect(r.json.accepted).toBe(1)
    expect(r.json.rejected.map((x: { index: number }) => x.index)).toEqual([1, 2])
    expect(r.json.rejected[1].reason).toMatch(/unknown attribute "constructor"/)
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
    expect((await s.stored([good.id])).size).toBe(1)
  })
})
