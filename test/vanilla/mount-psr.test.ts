// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import userEvent from '@testing-library/user-event'
import { createTelemetry, memoryStore, promptCatalog, type WireEvent } from 'prompt-telemetry'
import { autocapture, mountPsrPrompt, psrStyles, type MountPsrOptions } from 'prompt-telemetry/vanilla'
import { click, memoryHost, recordingSink } from './setup'

vi.mock('react', () => ({}))

const psrBodies: unknown[] = []
const server = setupServer(
  http.post('http://127.0.0.1/psr', async ({ request }) => {
    psrBodies.push(JSON.parse(await request.text()))
    return HttpResponse.json({ avg_rating: 4, total_ratings: 1 })
  }),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())
afterEach(() => {
  document.body.innerHTML = ''
  psrBodies.length = 0
})

const COPY = '<button id="copy" data-telemetry-event="prompt_copied" data-telemetry-prompt-id="p-7" data-telemetry-variant="body" data-telemetry-source="card">Copy</button>'

function setup(o: Partial<MountPsrOptions> = {}) {
  document.body.innerHTML = `${COPY}<div id="psr"></div>`
  const host = memoryHost()
  const client = createTelemetry({ catalog: promptCatalog, sink: recordingSink().sink, host, endpoint: 'http://127.0.0.1/telemetry/events' })
  const events: WireEvent[] = []
  client.subscribe((e) => events.push(e))
  autocapture(client)
  const m = mountPsrPrompt('#psr', { client, enabled: true, toastMs: 30, ...o })
  const el = document.querySelector<HTMLElement>('#psr')!
  const root = (o.unstyled ? el : el.shadowRoot!) as ParentNode
  const $ = <T extends Element = HTMLElement>(sel: string) => root.querySelector(sel) as T
  const names = () => events.map((e) => e.event)
  return { client, host, m, el, root, $, events, names, copy: () => click(document.querySelector('#copy')!) }
}

describe('mountPsrPrompt', () => {
  it('renders nothing visible until a copy, then opens for the copied prompt', () => {
    const { $, el, copy, names, m } = setup()
    expect(el.shadowRoot!.adoptedStyleSheets).toHaveLength(1)
    expect($('form').hidden).toBe(true)
    copy()
    expect($('form').hidden).toBe(false)
    expect(el.hasAttribute('data-open')).toBe(true)
    expect(m.psr.getState()).toMatchObject({ status: 'open', promptId: 'p-7', source: 'copy' })
    expect(names()).toEqual(['prompt_copied', 'psr.shown'])
  })

  it('has the same accessible structure as PsrPrompt: radio stars in a fieldset and a polite live region', () => {
    const { root, $, copy } = setup()
    copy()
    const stars = [...root.querySelectorAll('fieldset input[type=radio]')].map((r) => r.getAttribute('aria-label'))
    expect(stars).toEqual(['1 of 5 stars', '2 of 5 stars', '3 of 5 stars', '4 of 5 stars', '5 of 5 stars'])
    expect($('[role=status]').getAttribute('aria-live')).toBe('polite')
    expect($('textarea').getAttribute('maxlength')).toBe('280')
  })

  it('is rated with the keyboard only: Tab to the stars, arrows, typing, Enter', async () => {
    const user = userEvent.setup()
    const { root, $, copy, m, names } = setup({ unstyled: true })
    copy()
    ;(document.querySelector('#copy') as HTMLElement).focus()
    await user.tab()
    const radios = [...root.querySelectorAll<HTMLInputElement>('input[type=radio]')]
    expect(document.activeElement).toBe(radios[0])
    await user.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}')
    expect(m.psr.getState().rating).toBe(4)
    await user.tab()
    expect(document.activeElement).toBe($('textarea'))
    await user.keyboard('Clear and to the point')
    expect($('.pt-psr__counter').textContent).toBe('22 of 280 characters')
    await user.tab()
    expect(document.activeElement).toBe($('button[type=submit]'))
    await user.keyboard('{Enter}')
    await vi.waitFor(() => expect($('[role=status]').textContent).toBe('Thanks! Your rating was saved.'))
    expect(psrBodies).toEqual([{ prompt_id: 'p-7', rating: 4, note: 'Clear and to the point', source: 'copy' }])
    expect(names()).toContain('psr.submitted')
    await vi.waitFor(() => expect(m.psr.getState().status).toBe('closed'))
  })

  it('is not shown again for the same prompt the same day, but is for another prompt', () => {
    const { copy, m, names } = setup()
    copy()
    m.psr.dismiss()
    copy()
    expect(m.psr.getState().status).toBe('closed')
    expect(names().filter((n) => n == 'psr.shown')).toHaveLength(1)
    expect(m.psr.open({ promptId: 'p-8' })).toBe(true)
  })

  it('keeps the cap in the storage it is given, across mounts', () => {
    const storage = memoryStore()
    const a = setup({ storage })
    a.copy()
    a.m()
    const b = setup({ storage })
    b.copy()
    expect(b.m.psr.getState().status).toBe('closed')
  })

  it('shows nothing while the features.psr flag is off or unknown', () => {
    for (const enabled of [false, undefined]) {
      const { copy, $, names } = setup({ enabled })
      copy()
      expect($('form').hidden).toBe(true)
      expect(names()).toEqual(['prompt_copied'])
    }
  })

  it('opens only on psr.open() with trigger: false', () => {
    const { copy, m } = setup({ trigger: false })
    copy()
    expect(m.psr.getState().status).toBe('closed')
    expect(m.psr.open({ promptId: 'p-9' })).toBe(true)
  })

  it('opens only for its promptId when one is set', () => {
    const { copy, m } = setup({ promptId: 'other' })
    copy()
    expect(m.psr.getState().status).toBe('closed')
  })

  it('Escape closes it and tracks psr.dismissed', () => {
    const { copy, $, names } = setup()
    copy()
    $('form').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }))
    expect($('form').hidden).toBe(true)
    expect(names()).toContain('psr.dismissed')
  })

  it('unmount removes the widget and stops opening it', () => {
    const { copy, m, el, names } = setup()
    m()
    m()
    expect(el.shadowRoot!.children).toHaveLength(0)
    copy()
    expect(names()).toEqual(['prompt_copied'])
  })

  it('waits for DOMContentLoaded when the selector matches nothing while the page loads', () => {
    const { client } = setup()
    document.body.innerHTML = ''
    const state = vi.spyOn(document, 'readyState', 'get').mockReturnValue('loading')
    const m = mountPsrPrompt('#later', { client, enabled: true, trigger: false })
    document.body.innerHTML = '<div id="later"></div>'
    state.mockRestore()
    document.dispatchEvent(new Event('DOMContentLoaded'))
    m.psr.open({ promptId: 'p-1' })
    expect(document.querySelector('#later')!.shadowRoot!.querySelector('form')!.hidden).toBe(false)
  })

  it('warns instead of throwing when the target does not exist', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { client } = setup()
    expect(() => mountPsrPrompt('#missing', { client, enabled: true })).not.toThrow()
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('#missing'))
    warn.mockRestore()
  })
})
