import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventRow } from '../../examples/ingest-server/src/store'
import { testServer, type TestServer } from './harness'

// The group-commit writer on the running server's own store (PGlite, or PostgreSQL with
// TEST_POSTGRES=1): COPY for new ids, INSERT ... ON CONFLICT when an id was seen before.

let s: TestServer
beforeAll(async () => {
  s = await testServer()
}, 120_000)
afterAll(() => s?.close())

const row = (over: Partial<EventRow> = {}): EventRow => ({
  id: randomUUID(),
  event: 'prompt_copied',
  ts: Date.now(),
  session_id: 'sess-w',
  user_id: 'anon:writer',
  prompt_id: 'p-w',
  attributes: { variant: 'body', source: 'card' },
  trace_id: null,
  ...over,
})

const today = () => new Date().toISOString().slice(0, 10)
async function counts() {
  const r = await s.store.query<{ accepted: number; stored: number }>(
    'SELECT coalesce(sum(events_accepted), 0) AS accepted, coalesce(sum(events_stored), 0) AS stored FROM ingest_stats WHERE day = $1',
    [today()],
  )
  return r.rows[0]!
}
const stored = async (ids: string[]) =>
  (await s.store.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE id = ANY($1::uuid[])', [ids])).rows[0]!.n

describe('the event writer', () => {
  it('loads new ids with COPY and counts every row stored', async () => {
    const before = await counts()
    const inserts = s.writer.stats.inserts
    const rows = [row(), row(), row()]
    await s.writer.write(rows, { events_accepted: 3 })
    expect(await stored(rows.map((r) => r.id))).toBe(3)
    expect(s.writer.stats.inserts).toBe(inserts)
    expect(await counts()).toEqual({ accepted: before.accepted + 3, stored: before.stored + 3 })
  })

  it('stores an id already stored once, and counts only the new rows stored', async () => {
    const first = [row(), row()]
    await s.writer.write(first, { events_accepted: 2 })
    const before = await counts()
    const inserts = s.writer.stats.inserts
    const fresh = row()
    await s.writer.write([...first, fresh], { events_accepted: 3 })
    expect(await stored([...first, fresh].map((r) => r.id))).toBe(3)
    expect(s.writer.stats.inserts).toBe(inserts + 1)
    expect(await counts()).toEqual({ accepted: before.accepted + 3, stored: before.stored + 1 })
  })

  it('stores an id that two requests of one commit carry once', async () => {
    const before = await counts()
    const a = row()
    // Queued in the same tick, so both ride in the same commit.
    await Promise.all([s.writer.write([a], { events_accepted: 1 }), s.writer.write([{ ...a }, row({ id: a.id.toUpperCase() })], { events_accepted: 2 })])
    expect(await stored([a.id])).toBe(1)
    expect(await counts()).toEqual({ accepted: before.accepted + 3, stored: before.stored + 1 })
  })

  it('keeps tabs, newlines, backslashes, quotes and NULLs intact, and years past 9999', async () => {
    const odd = row({
      session_id: 'a\tb\nc\\d\re',
      user_id: null,
      prompt_id: null,
      attributes: { note: 'tab\t nl\n back\\slash "quoted" \\N', list: ['x\\y', 'z'] },
      trace_id: '\\N',
    })
    const far = row({ ts: 8.64e15 })
    const y10k = row({ ts: Date.UTC(10000, 0, 1) })
    await s.writer.write([odd, far, y10k], { events_accepted: 3 })
    const r = await s.store.query<any>('SELECT id::text AS id, ts, session_id, user_id, prompt_id, attributes, trace_id FROM events WHERE id = ANY($1::uuid[])', [
      [odd.id, far.id, y10k.id],
    ])
    const by = new Map(r.rows.map((x) => [x.id, x]))
    expect(by.get(odd.id)).toMatchObject({ session_id: odd.session_id, user_id: null, prompt_id: null, attributes: odd.attributes, trace_id: '\\N' })
    expect(new Date(by.get(far.id).ts).getTime()).toBe(8.64e15)
    expect(new Date(by.get(y10k.id).ts).getTime()).toBe(Date.UTC(10000, 0, 1))
  })

  it('fails only the request the database refuses; the others of its commit are stored', async () => {
    const good = row()
    const [bad, ok] = await Promise.allSettled([
      s.writer.write([row({ id: 'not-a-uuid' })], { events_accepted: 1 }),
      s.writer.write([good], { events_accepted: 1 }),
    ])
    expect(bad.status).toBe('rejected')
    expect((bad as PromiseRejectedResult).reason).toMatchObject({ code: '22P02' })
    expect(ok.status).toBe('fulfilled')
    expect(await stored([good.id])).toBe(1)
  })
})
