import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testServer, WRITE_KEY, type TestServer } from './harness'

let s: TestServer
let clock = new Date('2030-03-10T12:00:00Z')
beforeAll(async () => {
  s = await testServer({ now: () => clock })
}, 120_000)
afterAll(() => s?.close())

const session = async (userId: string) => {
  const res = await fetch(s.url + '/auth/demo-login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: userId }) })
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]! }
}
const rate = (body: Record<string, unknown>, headers: Record<string, string> = {}) => s.post('/psr', body, headers)

describe('POST /psr', () => {
  it('stores a rating and answers the prompt aggregate', async () => {
    const alice = await session('u-alice')
    const bob = await session('u-bob')
    expect((await rate({ prompt_id: 'p-agg', rating: 5, source: 'copy' }, alice)).json).toMatchObject({ avg_rating: 5, total_ratings: 1, replaced: false })
    const r = await rate({ prompt_id: 'p-agg', rating: 2, source: 'duplicate', version: 'v3' }, bob)
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ avg_rating: 3.5, total_ratings: 2 })
  })

  it('replaces a same-day resubmit by the same owner', async () => {
    const carol = await session('u-carol')
    await rate({ prompt_id: 'p-day', rating: 1, source: 'copy', note: 'first' }, carol)
    clock = new Date('2030-03-10T23:59:00Z')
    const r = await rate({ prompt_id: 'p-day', rating: 4, source: 'manual' }, carol)
    expect(r.json).toMatchObject({ avg_rating: 4, total_ratings: 1, replaced: true })
    const rows = (await s.store.query<any>("SELECT rating, note, source FROM psr_ratings WHERE prompt_id = 'p-day'")).rows
    expect(rows).toEqual([{ rating: 4, note: null, source: 'manual' }])
  })

  it('keeps one rating per UTC day: the next day adds another', async () => {
    const dan = await session('u-dan')
    clock = new Date('2030-03-11T23:30:00Z')
    await rate({ prompt_id: 'p-days', rating: 2, source: 'copy' }, dan)
    clock = new Date('2030-03-12T00:30:00Z')
    const r = await rate({ prompt_id: 'p-days', rating: 4, source: 'copy' }, dan)
    expect(r.json).toMatchObject({ avg_rating: 3, total_ratings: 2, replaced: false })
  })

  it('scopes ratings to their owner', async () => {
    clock = new Date('2030-03-13T10:00:00Z')
    await rate({ prompt_id: 'p-own', rating: 5, source: 'copy' }, await session('u-1'))
    const r = await rate({ prompt_id: 'p-own', rating: 1, source: 'copy' }, await session('u-2'))
    expect(r.json).toMatchObject({ avg_rating: 3, total_ratings: 2, replaced: false })
  })

  it('gives a write-key caller a stable anonymous owner for the day', async () => {
    const a = await rate({ prompt_id: 'p-anon', rating: 5, source: 'copy', write_key: WRITE_KEY })
    const b = await s.post(`/psr?key=${WRITE_KEY}`, { prompt_id: 'p-anon', rating: 3, source: 'copy' })
    expect(a.status).toBe(200)
    expect(b.json).toMatchObject({ total_ratings: 1, replaced: true, avg_rating: 3 })
    const owner = (await s.store.query<{ owner_id: string }>("SELECT owner_id FROM psr_ratings WHERE prompt_id = 'p-anon'")).rows[0]!.owner_id
    expect(owner).toMatch(/^anon:[0-9a-f]{32}$/)
  })

  it('redacts emails and credentials in the note and keeps it within 280 characters', async () => {
    const eve = await session('u-eve')
    const note = 'write to eve@example.com ' + 'x'.repeat(250)
    expect((await rate({ prompt_id: 'p-note', rating: 3, source: 'other', note }, eve)).status).toBe(200)
    const stored = (await s.store.query<{ note: string }>("SELECT note FROM psr_ratings WHERE prompt_id = 'p-note'")).rows[0]!.note
    expect(stored).not.toContain('eve@example.com')
    expect(stored).toContain('[redacted]')
    expect([...stored].length).toBeLessThanOrEqual(280)
  })

  it('refuses a prompt id that looks like a credential, as the events endpoint does', async () => {
    const r = await rate({ prompt_id: 'sk-abcdefghijklmnopqrstuvwxyz', rating: 4, source: 'copy' }, await session('u-carol'))
    expect(r.status).toBe(400)
    expect(r.json.error).toMatch(/credential/)
  })

  it('answers 401 without a session or write key and 403 with a wrong key', async () => {
    expect((await rate({ prompt_id: 'p-x', rating: 3, source: 'copy' })).status).toBe(401)
    expect((await rate({ prompt_id: 'p-x', rating: 3, source: 'copy', write_key: 'pk_wrong_key_1' })).status).toBe(403)
  })

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a rating of 0', { prompt_id: 'p', rating: 0, source: 'copy' }, /rating/],
    ['a rating of 6', { prompt_id: 'p', rating: 6, source: 'copy' }, /rating/],
    ['a fractional rating', { prompt_id: 'p', rating: 4.5, source: 'copy' }, /rating/],
    ['a rating as a string', { prompt_id: 'p', rating: '5', source: 'copy' }, /rating/],
    ['an unknown source', { prompt_id: 'p', rating: 5, source: 'email' }, /source/],
    ['a missing prompt id', { rating: 5, source: 'copy' }, /prompt_id/],
    ['a note over 280 characters', { prompt_id: 'p', rating: 5, source: 'copy', note: 'n'.repeat(281) }, /note/],
    ['an unknown key', { prompt_id: 'p', rating: 5, source: 'copy', body: 'prompt text' }, /unknown key "body"/],
    ['a long version', { prompt_id: 'p', rating: 5, source: 'copy', version: 'v'.repeat(33) }, /version/],
    ['half a surrogate pair in the version', { prompt_id: 'p', rating: 5, source: 'copy', version: 'v\ud800' }, /version must not contain NUL or unpaired surrogates/],
    ['an email as the version', { prompt_id: 'p', rating: 5, source: 'copy', version: 'a@b.co' }, /version looks like an email/],
  ]
  for (const [what, body, message] of bad)
    it(`answers 400 to ${what}`, async () => {
      const r = await rate(body, await session('u-bad'))
      expect(r.status).toBe(400)
      expect(r.json.error).toMatch(message)
    })

  it('accepts application/json as well as text/plain', async () => {
    const r = await rate({ prompt_id: 'p-json', rating: 4, source: 'copy' }, { ...(await session('u-json')), 'content-type': 'application/json' })
    expect(r.status).toBe(200)
  })
})
