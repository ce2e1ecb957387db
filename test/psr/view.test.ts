// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPsr, mountPsrView, psrStyles } from '../../src/psr'
import { testClient } from './setup'

afterEach(() => void (document.body.innerHTML = ''))

function setup(o: { unstyled?: boolean } = {}) {
  const { client, seen } = testClient()
  const psr = createPsr({ client, promptId: 'p1', enabled: true })
  const host = document.createElement('div')
  document.body.append(host)
  const unmount = mountPsrView(host, psr, { ...o, labels: { thanks: 'Merci !' } })
  const root = (o.unstyled ? host : host.shadowRoot!) as ParentNode
  const $ = <T extends Element = HTMLElement>(sel: string) => root.querySelector(sel) as T
  return { psr, host, root, $, unmount, seen }
}

describe('mountPsrView', () => {
  it('renders hidden into a shadow root with the default stylesheet', () => {
    const { host, $ } = setup()
    expect(host.shadowRoot).not.toBeNull()
    // A constructed stylesheet, not a <style>: a page's style-src needs no 'unsafe-inline' for it.
    const [sheet] = host.shadowRoot!.adoptedStyleSheets
    expect([...sheet!.cssRules].map((r) => r.cssText).join('\n')).toContain('.pt-psr__star')
    expect($('style')).toBeNull()
    expect($('form').hidden).toBe(true)
    expect(host.childNodes).toHaveLength(0) // nothing in the page's own DOM
  })

  it('shows five labelled radio stars in a fieldset, announced through a live region', () => {
    const { psr, $, root } = setup()
    psr.open()
    expect($('form').hidden).toBe(false)
    const radios = [...root.querySelectorAll('fieldset input[type=radio]')]
    expect(radios.map((r) => r.getAttribute('aria-label'))).toEqual(['1 of 5 stars', '2 of 5 stars', '3 of 5 stars', '4 of 5 stars', '5 of 5 stars'])
    expect($('legend').textContent).toBe('How well did this prompt work?')
    expect($('[role=status]').getAttribute('aria-live')).toBe('polite')
    expect($('[role=status]').textContent).toBe('How well did this prompt work?')
  })

  it('choosing a star sets the rating without submitting', () => {
    const { psr, $, root } = setup()
    psr.open()
    const third = root.querySelectorAll<HTMLInputElement>('input[type=radio]')[2]!
    third.click()
    expect(psr.getState()).toMatchObject({ rating: 3, status: 'open' })
    expect(root.querySelectorAll('[data-on]')).toHaveLength(3)
    expect($<HTMLButtonElement>('button[type=submit]').disabled).toBe(false)
  })

  it('shares one stylesheet between widgets, lets go of it on unmount, and falls back to <style>', () => {
    const a = setup()
    const b = setup()
    expect(a.host.shadowRoot!.adoptedStyleSheets[0]).toBe(b.host.shadowRoot!.adoptedStyleSheets[0])
    a.unmount()
    expect(a.host.shadowRoot!.adoptedStyleSheets).toEqual([])
    const other = document.implementation.createHTMLDocument('no constructable stylesheets')
    Object.defineProperty(other, 'defaultView', { value: { CSSStyleSheet: undefined } })
    const host = other.createElement('div')
    other.body.append(host)
    mountPsrView(host, createPsr({ client: testClient().client, promptId: 'p1', enabled: true }))
    expect(host.shadowRoot!.querySelector('style')!.textContent).toBe(psrStyles)
  })

  it('chooses the star under Enter, and Enter on a star never submits', () => {
    const { psr, root } = setup()
    psr.open()
    const second = root.querySelectorAll<HTMLInputElement>('input[type=radio]')[1]!
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })
    second.dispatchEvent(enter)
    expect(enter.defaultPrevented).toBe(true) // the browser's implicit submission
    expect(psr.getState()).toMatchObject({ rating: 2, status: 'open' })
  })

  it('fills chosen stars and leaves the others hollow, so shape tells them apart', () => {
    const { psr, root } = setup()
    psr.open()
    psr.setRating(2)
    const glyphs = () => [...root.querySelectorAll('.pt-psr__star span')].map((s) => s.textContent).join('')
    expect(glyphs()).toBe('\u2605\u2605\u2606\u2606\u2606')
    psr.setRating(5)
    expect(glyphs()).toBe('\u2605'.repeat(5))
  })

  it('never gives two widgets the same ids, even from two copies of the code (script tag beside a bundle)', async () => {
    const mountFromACopy = async () => {
      vi.resetModules()
      const copy = await import('../../src/psr/view')
      const host = document.createElement('div')
      document.body.append(host)
      copy.mountPsrView(host, createPsr({ client: testClient().client, promptId: 'p1', enabled: true }), { unstyled: true })
      return { copy, host }
    }
    const [a, b] = [await mountFromACopy(), await mountFromACopy()]
    expect(a.copy.mountPsrView).not.toBe(b.copy.mountPsrView)
    const ids = [a.host, b.host].map((h) => h.querySelector('textarea')!.id)
    expect(ids[0]).not.toBe(ids[1])
    expect(b.host.querySelector('label[for]')!.getAttribute('for')).toBe(ids[1])
  })

  it('clamps the note and counts it', () => {
    const { psr, $ } = setup()
    psr.open()
    const note = $<HTMLTextAreaElement>('textarea')
    expect(note.getAttribute('maxlength')).toBe('280')
    note.value = 'y'.repeat(300)
    note.dispatchEvent(new Event('input', { bubbles: true }))
    expect(note.value).toHaveLength(280)
    expect($('.pt-psr__counter').textContent).toBe('280 of 280 characters')
  })

  it('Escape and the dismiss button close it', () => {
    const { psr, $, seen } = setup()
    psr.open()
    $('textarea').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }))
    expect(psr.getState().status).toBe('closed')
    expect($('form').hidden).toBe(true)
    expect(seen.at(-1)?.event).toBe('psr.dismissed')
  })

  it('leaves an Escape that an input method is composing with alone', () => {
    const { psr, $ } = setup()
    psr.open()
    psr.setNote('とても良い')
    $('textarea').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, isComposing: true }))
    $('textarea').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, keyCode: 229 } as KeyboardEventInit))
    expect(psr.getState()).toMatchObject({ status: 'open', note: 'とても良い' })
  })

  it('holds the stars and the note still while the rating is being sent', async () => {
    const { psr, $, root } = setup()
    let answer!: (r: Response) => void
    psr.configure({ fetch: () => new Promise<Response>((r) => (answer = r)) })
    psr.open()
    psr.setRating(2)
    const sending = psr.submit()
    expect($<HTMLTextAreaElement>('textarea').readOnly).toBe(true)
    expect($('.pt-psr__submit').getAttribute('aria-disabled')).toBe('true')
    const five = root.querySelectorAll<HTMLInputElement>('input[type=radio]')[4]!
    five.checked = true
    five.dispatchEvent(new Event('change', { bubbles: true }))
    expect(five.checked).toBe(false) // put back: 2 is what is being sent
    expect(root.querySelectorAll<HTMLInputElement>('input[type=radio]')[1]!.checked).toBe(true)
    answer(new Response('{"avg_rating":2,"total_ratings":1}', { headers: { 'content-type': 'application/json' } }))
    expect(await sending).toBe(true)
    expect($('.pt-psr__submit').hasAttribute('aria-disabled')).toBe(false)
  })

  it('shows and announces a failed send, and names the dismiss button once', async () => {
    const { psr, $ } = setup()
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    psr.configure({ fetch: async () => new Response(null, { status: 503 }) })
    psr.open()
    expect($('.pt-psr__error').hidden).toBe(true)
    psr.setRating(3)
    await psr.submit()
    expect($('.pt-psr__error').hidden).toBe(false)
    expect($('[role=status]').textContent).toBe('Your rating could not be sent. Try again?')
    expect($('textarea').hasAttribute('readonly')).toBe(false)
    expect($('.pt-psr__dismiss').hasAttribute('title')).toBe(false)
    vi.restoreAllMocks()
  })

  it('keeps the Escape it uses to itself, so a dialog around it stays open', () => {
    const { psr, $ } = setup()
    const outside = vi.fn()
    document.addEventListener('keydown', outside)
    psr.open()
    const esc = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true })
    $('textarea').dispatchEvent(esc)
    expect(psr.getState().status).toBe('closed')
    expect(esc.defaultPrevented).toBe(true) // <dialog> closes on an Escape nobody prevented
    expect(outside).not.toHaveBeenCalled()
    $('form').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }))
    expect(outside).toHaveBeenCalledOnce() // closed: the next Escape is the page's
    document.removeEventListener('keydown', outside)
  })

  it('never moves focus when it opens', () => {
    const { psr } = setup()
    const button = document.createElement('button')
    document.body.append(button)
    button.focus()
    psr.open()
    expect(document.activeElement).toBe(button)
  })

  it('renders light-DOM markup without styles when unstyled', () => {
    const { host, psr } = setup({ unstyled: true })
    expect(host.shadowRoot).toBeNull()
    expect(host.querySelector('style')).toBeNull()
    psr.open()
    expect(host.querySelector('.pt-psr')).not.toBeNull()
  })

  it('unmounts cleanly and mounts again on the same host', () => {
    const { host, psr, unmount } = setup()
    unmount()
    expect(host.shadowRoot!.childNodes).toHaveLength(0)
    mountPsrView(host, psr)
    expect(host.shadowRoot!.querySelectorAll('form')).toHaveLength(1)
  })
})

describe('mountPsrView focus', () => {
  it('gives focus back to where it was when the widget closes with focus inside', () => {
    const { psr, $ } = setup()
    const copy = document.createElement('button')
    document.body.append(copy)
    copy.focus()
    psr.open()
    $<HTMLInputElement>('input[type=radio]').focus()
    psr.dismiss()
    expect(document.activeElement).toBe(copy)
  })

  it('leaves focus alone when it was elsewhere', () => {
    const { psr } = setup()
    const copy = document.createElement('button')
    const other = document.createElement('input')
    document.body.append(copy, other)
    copy.focus()
    psr.open()
    other.focus()
    psr.dismiss()
    expect(document.activeElement).toBe(other)
  })
})
