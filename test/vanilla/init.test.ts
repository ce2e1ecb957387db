// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineCatalog, attr } from 'prompt-telemetry'
import { init } from 'prompt-telemetry/vanilla'
import { click, recordingSink } from './setup'

vi.mock('react', () => ({}))

afterEach(() => {
  document.body.innerHTML = ''
  localStorage.clear()
  sessionStorage.clear()
})

describe('init', () => {
  it('creates a client of the built-in catalog', () => {
    const { sink } = recordingSink()
    const t = init({ sink })
    expect(Object.keys(t.catalog.events)).toContain('prompt_copied')
    t.track('prompt_copied', { prompt_id: 'p-1', variant: 'body', source: 'card' })
    expect(t.stats()).toMatchObject({ queued: 1, rejected: 0 })
  })

  it('installs the browser host: pagehide sends the queue as an unloading batch', async () => {
    const rec = recordingSink()
    const t = init({ sink: rec.sink })
    t.track('auth.logout')
    t.track('prompt_copied', { prompt_id: 'p-1', variant: 'json', source: 'detail' })
    window.dispatchEvent(new Event('pagehide'))
    await vi.waitFor(() => expect(rec.sent).toHaveLength(1))
    expect(rec.sent[0]!.ctx.unloading).toBe(true)
    expect(rec.events().map((e) => e.event)).toEqual(['auth.logout', 'prompt_copied'])
    await t.shutdown()
  })

  it('keeps the session id in sessionStorage', async () => {
    const t = init({ sink: recordingSink().sink })
    expect(sessionStorage.getItem('pt:sid')).toBe(t.context().sessionId)
    await t.shutdown()
  })

  it('takes a catalog of its own', () => {
    const catalog = defineCatalog({ 'report.exported': { attrs: { rows: attr.int() } } })
    const seen: unknown[] = []
    const t = init({ catalog, sink: recordingSink().sink })
    t.subscribe((e) => seen.push(e))
    t.track('report.exported', { rows: 3 })
    expect(seen).toMatchObject([{ event: 'report.exported', rows: 3 }])
  })

  it('wires declarative capture when asked and removes it on shutdown', async () => {
    document.body.innerHTML = '<button id="b" data-telemetry-event="auth.logout">Sign out</button>'
    const rec = recordingSink()
    const t = init({ sink: rec.sink, autocapture: true })
    click(document.querySelector('#b')!)
    expect(t.stats().queued).toBe(1)
    await t.shutdown()
    expect(rec.events().map((e) => e.event)).toEqual(['auth.logout'])
    click(document.querySelector('#b')!)
    expect(t.stats().queued).toBe(0)
  })

  it('leaves clicks alone without autocapture', () => {
    document.body.innerHTML = '<button id="b" data-telemetry-event="auth.logout">Sign out</button>'
    const t = init({ sink: recordingSink().sink })
    click(document.querySelector('#b')!)
    expect(t.stats().queued).toBe(0)
  })
})
