import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { memorySink } from '../../src/sinks/memory'
import type { Host } from '../../src/host/types'
import { validateBatch } from '../../src/core/validate'
import { catalog, fakeHost, view } from './fixtures'

let warn: MockInstance<typeof console.warn>
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => vi.restoreAllMocks())

const setup = (host: Host = fakeHost().host, more: { userId?: string; sessionId?: string } = {}) => {
  const sink = memorySink()
  return { sink, host, t: createTelemetry({ catalog, sink, host, ...more }) }
}

describe('identity', () => {
  it('gives every event the session id, and the user id once identified', async () => {
    const { t, sink } = setup()
    t.track('item.viewed', view)
    t.identify('u-42')
    t.track('item.viewed', view)
    await t.flush()
    const [a, b] = sink.events()
    expect(a!.session_id).toBe(t.context().sessionId)
    expect(a).not.toHaveProperty('user_id')
    expect(b).toMatchObject({ user_id: 'u-42', session_id: a!.session_id })
  })

  it('keeps the session id for the tab and the user id across visits', () => {
    const { t, host } = setup()
    t.identify('u-42')
    const again = createTelemetry({ catalog, sink: memorySink(), host })
    expect(again.context()).toMatchObject({ sessionId: t.context().sessionId, userId: 'u-42' })
  })

  it('forgets the user on identify(null)', async () => {
    const { t, sink, host } = setup()
    t.identify('u-42')
    t.identify(null)
    t.track('item.viewed', view)
    await t.flush()
    expect(sink.events()[0]).not.toHaveProperty('user_id')
    expect(createTelemetry({ catalog, sink, host }).context().userId).toBeUndefined()
  })

  it('forgets the user and starts a new session on reset()', async () => {
    const { t, sink, host } = setup()
    t.identify('u-42')
    const before = t.context().sessionId
    t.reset()
    t.track('item.viewed', view)
    await t.flush()
    const [e] = sink.events()
    expect(e).not.toHaveProperty('user_id')
    expect(e!.session_id).not.toBe(before)
    expect(createTelemetry({ catalog, sink, host }).context()).toMatchObject({ sessionId: e!.session_id, userId: undefined })
  })

  it('takes per-call ids for server-side use', async () => {
    const { t, sink } = setup()
    t.track('item.viewed', view, { userId: 'u-7', sessionId: 'req-9' })
    await t.flush()
    expect(sink.events()[0]).toMatchObject({ user_id: 'u-7', session_id: 'req-9' })
  })

  it('never sends an email or a credential as the user id', async () => {
    const { t, sink, host } = setup()
    t.identify('jane.doe@example.com')
    t.track('item.viewed', view)
    t.track('item.viewed', view, { userId: 'sk-proj-0123456789abcdefghij' })
    await t.flush()
    expect(JSON.stringify(sink.batches)).not.toMatch(/jane|sk-proj/)
    expect(sink.events()).toHaveLength(2)
    expect(createTelemetry({ catalog, sink, host }).context().userId).toBeUndefined()
    expect(warn).toHaveBeenCalled()
  })

  it('ignores a given session id that is not an id', async () => {
    const { t, sink } = setup(fakeHost().host, { sessionId: 'not an id!' })
    t.track('item.viewed', view)
    await t.flush()
    expect(sink.events()[0]!.session_id).toMatch(/^[\w.:-]{1,128}$/)
  })

  // A server tracking for many users: falling back to the client's own session would put this
  // event in every other request's session.
  it('refuses an event whose per-call session id is not an id', async () => {
    const { t, sink } = setup()
    t.track('item.viewed', view, { sessionId: 'me@example.com' })
    t.track('item.viewed', view, { sessionId: '' })
    // Equal to the client's own session only when converted: on the wire, an object or a list.
    const own = t.context().sessionId
    t.track('item.viewed', view, { sessionId: new String(own) as string })
    t.track('item.viewed', view, { sessionId: [own] as unknown as string })
    await t.flush()
    expect(sink.events()).toHaveLength(0)
    expect(t.stats().rejected).toBe(4)
  })

  it('sends no user id for a per-call userId of null, whoever was identified', async () => {
    const { t, sink } = setup()
    t.identify('u-1')
    t.track('item.viewed', view, { userId: null })
    t.track('item.viewed', view, {})
    await t.flush()
    expect(sink.events().map((e) => e.user_id)).toEqual([undefined, 'u-1'])
  })

  it('sends only ids the server accepts', async () => {
    const { t, sink } = setup(fakeHost().host, { userId: 'a b c' })
    t.track('item.viewed', view)
    t.identify('x'.repeat(500))
    t.track('item.viewed', view)
    await t.flush()
    expect(validateBatch(catalog, JSON.parse(JSON.stringify(sink.batches[0]))).rejected).toEqual([])
  })
})
