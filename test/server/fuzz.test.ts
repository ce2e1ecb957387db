import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { impression, testServer, WRITE_KEY, type TestServer } from './harness'

let s: TestServer
beforeAll(async () => {
  s = await testServer()
}, 120_000)
afterAll(() => s?.close())

// Values of every JSON shape, and some that are nasty to a parser or a database.
const nasty = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '__proto__', 'constructor', 'x'.repeat(5000), '😀'.repeat(40), "'; DROP TABLE events; --", -1, 1e308, -0, null, true),
  fc.jsonValue({ maxDepth: 3 }),
)
const key = fc.oneof(
  fc.constantFrom('body', 'email', 'token', 'password', '__proto__', 'constructor', 'prototype', 'id', 'event', 'ts', 'session_id', 'rank', 'prompt_id', 'source'),
  fc.string({ maxLength: 12 }),
)

/** An event broken in one or more ways: a wrong value, an extra key, a removed key. */
const badEvent = fc
  .tuple(fc.array(fc.tuple(key, nasty), { minLength: 1, maxLength: 3 }), fc.subarray(['id', 'event', 'ts', 'session_id', 'prompt_id', 'impression_id']))
  .map(([sets, removes]) => {
    const e: Record<string, unknown> = { ...impression() }
    for (const [k, v] of sets) Object.defineProperty(e, k, { value: v, enumerable: true, writable: true, configurable: true })
    for (const k of removes) delete e[k]
    return e
  })

/** A batch of bad events with valid neighbours, or a whole body that is wrong. */
const badBody = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.array(badEvent, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 4 })) },
  { weight: 1, arbitrary: fc.tuple(fc.constant([] as Record<string, unknown>[]), fc.constant(0)).map(() => 'whole' as const) },
)
const wholeBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.array(badEvent, { minLength: 51, maxLength: 60 }).map((events) => JSON.stringify({ events })),
  fc.dictionary(key, nasty, { maxKeys: 4 }).map((d) => JSON.stringify({ events: [impression()], ...d })),
)

describe('property: bad batches', () => {
  it('answers 4xx, never 5xx, to generated bad input and still stores every valid neighbour', async () => {
    const valid: string[] = []
    await fc.assert(
      fc.asyncProperty(badBody, wholeBody, fc.constantFrom('text/plain', 'application/json'), async (shape, whole, type) => {
        let body: string
        let good: string[] = []
        if (shape === 'whole') body = whole
        else {
          const [bad, nGood] = shape
          const goods = Array.from({ length: nGood }, () => impression({ id: randomUUID() }))
          good = goods.map((e) => e.id)
          const events: unknown[] = [...bad]
          goods.forEach((g, i) => events.splice((i * 3) % (events.length + 1), 0, g))
          body = JSON.stringify({ events })
        }
        const r = await s.post(`/telemetry/events?key=${WRITE_KEY}`, body, { 'content-type': type })
        expect(r.status).toBeLessThan(500)
        // A prototype-poisoning key costs only the event that holds it.
        if (good.length) {
          expect(r.status).toBe(200)
          expect(r.json.accepted).toBeGreaterThanOrEqual(good.length)
          valid.push(...good)
        } else if (r.status === 200) expect(r.json.accepted).toBeGreaterThan(0)
      }),
      { numRuns: 2000, seed: Number(process.env.FC_SEED ?? 4242) },
    )
    expect(await s.stored(valid)).toEqual(new Set(valid))
    expect((await s.get('/healthz', {})).status).toBe(200)
  }, 240_000)
})
