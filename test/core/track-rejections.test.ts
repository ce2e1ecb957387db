import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { createTelemetry } from '../../src/core/client'
import { memorySink } from '../../src/sinks/memory'
import { catalog, fakeHost, view, type AnyTrack } from './fixtures'

let warn: MockInstance<typeof console.warn>
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
})

const setup = () => {
  const sink = memorySink()
  const t = createTelemetry({ catalog, sink, host: fakeHost().host })
  return { t, sink, track: t.track as AnyTrack }
}

const rejectAll = (track: AnyTrack) => {
  track('no.such_event', {})
  track('item.viewed', { ...view, body: 'the whole prompt' })
  track('item.viewed', { ...view, place: 'sidebar' })
  track('item.viewed', { ...view, label: 'jane@example.com' })
  track('item.viewed', { place: 'card' })
  track('blob.sent', { data: 'd'.repeat(5000) })
}

describe('rejected events', () => {
  it('are never queued and are counted', async () => {
    const { t, sink, track } = setup()
    rejectAll(track)
    expect(t.stats()).toMatchObject({ rejected: 6, queued: 0 })
    await t.flush()
    expect(sink.batches).toEqual([])
  })

  it('warn in development once per event name, with the reason', () => {
    const { track } = setup()
    rejectAll(track)
    rejectAll(track)
    const messages = warn.mock.calls.map((c) => String(c[0]))
    expect(messages).toHaveLength(3) // no.such_event, item.viewed, blob.sent
    expect(messages[0]).toMatch(/no\.such_event.*not in the catalog/)
    expect(messages[1]).toMatch(/item\.viewed.*forbidden attribute "body"/)
    expect(messages[2]).toMatch(/blob\.sent.*4096 bytes/)
  })

  it('are silent in production but still counted', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const { t, track } = setup()
    rejectAll(track)
    expect(warn).not.toHaveBeenCalled()
    expect(t.stats().rejected).toBe(6)
  })

  it('warn in production when debug is set', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const t = createTelemetry({ catalog, sink: memorySink(), host: fakeHost().host, debug: true })
    ;(t.track as AnyTrack)('nope')
    expect(warn).toHaveBeenCalledOnce()
  })

  it('name the attribute and the problem in one word in production, in words in development', () => {
    const reasons = () => {
      warn.mockClear()
      const t = createTelemetry({ catalog, sink: memorySink(), host: fakeHost().host, debug: true })
      const track = t.track as AnyTrack
      track('item.viewed', { ...view, body: 'the whole prompt' })
      track('item.viewed', { ...view, label: 'jane@example.com' }) // same name: warned once
      track('blob.sent', {})
      return warn.mock.calls.map((c) => String(c[0]))
    }
    vi.stubEnv('NODE_ENV', 'production')
    expect(reasons()).toEqual(['[prompt-telemetry] item.viewed not tracked: body forbidden', '[prompt-telemetry] blob.sent not tracked: data missing'])
    vi.stubEnv('NODE_ENV', 'development')
    expect(reasons()).toEqual([
      '[prompt-telemetry] item.viewed not tracked: forbidden attribute "body"',
      '[prompt-telemetry] blob.sent not tracked: missing attribute "data"',
    ])
  })
})

describe('strings a server could not store', () => {
  it('are refused in short strings and lists, as the server refuses them, and cleaned in free text', async () => {
    const { t, sink, track } = setup()
    track('item.viewed', { ...view, label: 'a\u0000b' })
    track('item.viewed', { ...view, topics: ['ok', 'x\ud800'] })
    track('item.viewed', { ...view, topics: new Array(2) }) // gaps are not strings
    expect(t.stats().rejected).toBe(3)
    track('blob.sent', { data: 'note\u0000' })
    await t.flush()
    expect(sink.events().map((e) => e.data)).toEqual(['note\ufffd'])
  })
})

describe('accepted events', () => {
  // `own()` would take ['item.viewed'] or a String object for the name, and the wire would carry it.
  it('refuse an event name that is not a string, whatever it converts to', async () => {
    const { t, sink, track } = setup()
    track(['item.viewed'], view)
    track(new String('item.viewed'), view)
    track({ toString: () => 'item.viewed' }, view)
    await t.flush()
    expect(sink.events()).toHaveLength(0)
    expect(t.stats().rejected).toBe(3)
  })

  it('lose the keys the catalog does not declare', async () => {
    const { t, sink, track } = setup()
    track('item.viewed', { ...view, extra: 'x', nested: { a: 1 } })
    await t.flush()
    expect(sink.events()[0]).not.toHaveProperty('extra')
    expect(sink.events()[0]).not.toHaveProperty('nested')
  })

  it('cannot overwrite the envelope fields through attributes', async () => {
    const { t, sink, track } = setup()
    track('item.viewed', { ...view, id: 'mine', event: 'other', ts: 1, session_id: 'evil', user_id: 'someone' })
    await t.flush()
    const [e] = sink.events()
    expect(e).toMatchObject({ event: 'item.viewed', session_id: t.context().sessionId })
    expect(e!.id).not.toBe('mine')
    expect(e!.ts).toBeGreaterThan(1)
    expect(e).not.toHaveProperty('user_id')
  })

  it('carry clamped and redacted text', async () => {
    const { t, sink, track } = setup()
    track('item.viewed', { ...view, note: 'write to jane@example.com ' + 'x'.repeat(400) })
    await t.flush()
    const note = sink.events()[0]!.note as string
    expect(note.startsWith('write to [redacted] x')).toBe(true)
    expect(note).toHaveLength(280)
  })

  it('leave a list given by the caller untouched', async () => {
    const { t, sink, track } = setup()
    const topics = ['a', 'b']
    track('item.viewed', { ...view, topics })
    topics.push('c')
    await t.flush()
    expect(sink.events()[0]!.topics).toEqual(['a', 'b'])
  })
})
