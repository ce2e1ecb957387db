import type { PsrController, PsrState } from './types'
import { PSR_MAX_NOTE, PSR_MAX_RATING, psrLabels, type PsrLabels } from './labels'
import { psrStyles } from './styles'

export interface PsrViewOptions {
  /** Texts to replace, e.g. to translate. */
  labels?: Partial<PsrLabels> | undefined
  /** No shadow root and no stylesheet: the markup lands in `host` with its `pt-psr__*` classes. */
  unstyled?: boolean | undefined
}

// One counter for every copy of this code on the page (the script tag beside a bundle, ESM
// beside CJS): two widgets never share an id, or a label would name the other's note.
const ids = globalThis as { [k: symbol]: number }
const SEQ = /* @__PURE__ */ Symbol.for('prompt-telemetry.psr')

// One constructed stylesheet per document, adopted by every widget's shadow root: unlike a
// <style> element it needs no 'unsafe-inline' in the page's style-src. Without constructable
// stylesheets (older browsers), a <style> element.
const sheets = /* @__PURE__ */ new WeakMap<Document, CSSStyleSheet>()
function sheetFor(doc: Document): CSSStyleSheet | undefined {
  let sheet = sheets.get(doc)
  if (!sheet)
    try {
      sheet = new (doc.defaultView as typeof globalThis).CSSStyleSheet()
      sheet.replaceSync(psrStyles)
      sheets.set(doc, sheet)
    } catch {}
  return sheet
}
const ATTR: Record<string, string> = { className: 'class', htmlFor: 'for', maxLength: 'maxlength' }

/**
 * Renders the PSR widget into `host` and keeps it in step with the controller: a shadow root
 * with the default stylesheet, or plain light-DOM markup when `unstyled`. Inline and non-modal:
 * it never moves focus, traps it or locks scrolling. Returns the unmount.
 * @example const unmount = mountPsrView(document.querySelector('#psr'), createPsr({ client, enabled: true }))
 */
export function mountPsrView(host: HTMLElement, psr: PsrController, o: PsrViewOptions = {}): () => void {
  const doc = host.ownerDocument
  const L: PsrLabels = { ...psrLabels, ...o.labels }
  const id = `pt-psr-${(ids[SEQ] = (ids[SEQ] ?? 0) + 1)}`
  const h = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...kids: (Node | string)[]) => {
    const el = doc.createElement(tag)
    for (const k in props) el.setAttribute(ATTR[k] ?? k, String(props[k]))
    el.append(...kids)
    return el
  }

  // A second mount on the same host (React StrictMode) reuses its shadow root.
  const root: HTMLElement | ShadowRoot = o.unstyled ? host : (host.shadowRoot ?? host.attachShadow({ mode: 'open' }))
  const radios: HTMLInputElement[] = []
  const stars: HTMLElement[] = []
  for (let n = 1; n <= PSR_MAX_RATING; n++) {
    const input = h('input', { type: 'radio', name: id, value: String(n), className: 'pt-psr__radio', 'aria-label': L.star(n, PSR_MAX_RATING) })
    radios.push(input)
    stars.push(h('label', { className: 'pt-psr__star' }, input, h('span', { 'aria-hidden': 'true' })))
  }
  const note = h('textarea', { id: `${id}-note`, className: 'pt-psr__note', rows: 2, maxLength: PSR_MAX_NOTE, 'aria-describedby': `${id}-count` })
  const counter = h('div', { id: `${id}-count`, className: 'pt-psr__counter' })
  const send = h('button', { type: 'submit', className: 'pt-psr__submit' }, L.submit)
  const close = h('button', { type: 'button', className: 'pt-psr__dismiss', 'aria-label': L.dismiss }, '\u00d7')
  // dir=auto: an untranslated English text on a right-to-left page keeps its punctuation at its end.
  const error = h('div', { className: 'pt-psr__error', dir: 'auto' }, L.error)
  const form = h(
    'form',
    { className: 'pt-psr', part: 'root' },
    h('fieldset', { className: 'pt-psr__stars' }, h('legend', { className: 'pt-psr__title' }, L.title), h('span', { className: 'pt-psr__row' }, ...stars)),
    h('label', { className: 'pt-psr__note-label', htmlFor: note.id }, L.note),
    note,
    counter,
    error,
    h('div', { className: 'pt-psr__actions' }, send),
    close,
  )
  // The one live region: it announces the widget when it appears (focus stays where it was)
  // and doubles as the success toast.
  const status = h('div', { className: 'pt-psr__status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', part: 'status', dir: 'auto' })

  form.addEventListener('change', (e) => {
    const t = e.target as HTMLInputElement
    // While sending, the choice is ignored: the stars are put back to what is being sent.
    if (t.name == id) psr.setRating(+t.value), render(psr.getState())
  })
  note.addEventListener('input', () => psr.setNote(note.value))
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void psr.submit()
  })
  close.addEventListener('click', () => psr.dismiss())
  const onKey = (e: Event) => {
    const { key, isComposing, keyCode } = e as KeyboardEvent
    const t = e.target as HTMLInputElement
    // A key an input method is composing with (Escape cancels the composition) is not ours.
    if (isComposing || keyCode == 229) return
    // Enter on a star chooses it: choosing never submits (the browser would submit the form).
    if (key == 'Enter' && t.name == id) return e.preventDefault(), psr.setRating(+t.value)
    // An Escape the widget uses is its own: it must not also close the dialog around it.
    if (key != 'Escape' || !psr.getState().visible) return
    e.preventDefault()
    e.stopPropagation()
    psr.dismiss()
  }
  root.addEventListener('keydown', onKey)

  let last: PsrState | undefined
  let wasOpen = false
  let opener: Element | null = null
  const focusInside = () => (root == host ? host.contains(doc.activeElement) : !!(root as ShadowRoot).activeElement)
  const render = (s: PsrState) => {
    const open = s.visible && (s.status == 'open' || s.status == 'submitting')
    // Focus is never taken; when the user had moved into the widget and it closes, focus goes
    // back to where it was when the widget appeared (the Copy button), not to <body>.
    if (open && !wasOpen) opener = doc.activeElement
    const restore = !open && wasOpen && focusInside()
    wasOpen = open
    form.hidden = !open
    if (restore && opener && opener != doc.body && (opener as HTMLElement).isConnected) (opener as HTMLElement).focus?.()
    if (!open && note.value) note.value = ''
    // Chosen stars are filled, the others hollow: told apart by shape, not colour alone (forced colours).
    radios.forEach((r, i) => {
      r.checked = i == s.rating - 1
      stars[i]!.toggleAttribute('data-on', i < s.rating)
      stars[i]!.lastChild!.textContent = i < s.rating ? '\u2605' : '\u2606'
    })
    if (note.value != s.note) note.value = s.note
    note.readOnly = s.status == 'submitting'
    const failed = open && !!s.error && s.status == 'open'
    error.hidden = !failed
    counter.textContent = L.counter(s.note.length, PSR_MAX_NOTE)
    // Not `disabled` while sending: that would drop focus to <body> (the controller ignores repeats).
    send.disabled = !s.rating
    // Sending shows as a dimmed Send, told to assistive technology too (clicks are ignored meanwhile).
    s.status == 'submitting' ? send.setAttribute('aria-disabled', 'true') : send.removeAttribute('aria-disabled')
    form.setAttribute('aria-busy', String(s.status == 'submitting'))
    const toast = s.visible && s.status == 'thanks'
    // Emptied while sending, so that a second failure is announced again.
    const text = toast ? L.thanks : failed ? L.error : s.status == 'submitting' ? '' : open ? L.title : ''
    status.toggleAttribute('data-toast', toast)
    // Announce on a change only: rewriting the same text makes some screen readers repeat it.
    if (status.textContent != text && (!last || last.status != s.status || last.visible != s.visible)) status.textContent = text
    host.toggleAttribute('data-open', s.visible)
    last = s
  }

  const shadow = root as ShadowRoot
  const sheet = o.unstyled ? undefined : sheetFor(doc)
  if (sheet) shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet]
  const style = o.unstyled || sheet ? [] : [h('style', {}, psrStyles)]
  root.append(...style, form, status)
  render(psr.getState())
  const unsubscribe = psr.subscribe(render)
  return () => {
    unsubscribe()
    root.removeEventListener('keydown', onKey)
    for (const el of [...style, form, status]) el.remove()
    if (sheet) shadow.adoptedStyleSheets = shadow.adoptedStyleSheets.filter((s) => s != sheet)
    host.removeAttribute('data-open')
  }
}
