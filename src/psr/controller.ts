import { redact, isDev } from 'prompt-telemetry'
import { canShowPsr, markPsrShown } from './cap'
import { clampNote, clampRating, PSR_MAX_NOTE } from './labels'
import { psrUrl, submitPsr, type PsrBody } from './submit'
import type { PsrCloseReason, PsrController, PsrFlag, PsrOptions, PsrState } from './types'

const dev = isDev
const isThenable = (v: unknown): v is PromiseLike<unknown> => !!v && typeof (v as PromiseLike<unknown>).then == 'function'

/**
 * The headless Prompt Satisfaction Rating: state, frequency cap, events and `POST /psr`,
 * without any UI. `PsrPrompt` (React) and `mountPsrPrompt` (vanilla) are views of it.
 * @example
 * const psr = createPsr({ client, promptId: 'prompt-42', enabled: flags.psr })
 * psr.subscribe(render)
 * if (psr.open()) psr.setRating(5), await psr.submit()
 */
export /* @__NO_SIDE_EFFECTS__ */ function createPsr(options: PsrOptions): PsrController {
  let o = { ...options }
  const listeners = new Set<(s: PsrState) => void>()
  let flagInput: PsrFlag
  let flagToken = 0
  let toast: unknown
  let gone = false // destroyed: a submit still in flight ends quietly
  const tracked = new Set<string>() // the ratings (and has_note) psr.submitted went with, since the widget opened
  let seq = 0 // which showing of the widget this is: a send's late answer is for its own only
  let state: PsrState = { status: 'closed', enabled: undefined, visible: false, source: o.source ?? 'copy', rating: 0, note: '' }
  const host = () => o.client.context().host
  const status = () => state.status // read after an await: not narrowed by the checks above
  const cap = () => ({ storage: o.storage ?? host().storage, now: o.now })

  const set = (patch: Partial<PsrState>) => {
    const next = { ...state, ...patch }
    next.visible = next.enabled === true && next.status != 'closed'
    state = next
    listeners.forEach((l) => l(next))
  }
  const attrs = () => ({ prompt_id: state.promptId!, version: state.version, source: state.source })
  const stopToast = () => {
    if (toast != null) host().clearTimeout(toast), (toast = undefined)
  }
  // Closed with a rating that could not be sent: the day's cap is given back, so the next copy
  // asks again. While it stays open, the cap holds (a second widget for the prompt stays shut).
  const giveBack = () => state.error && state.promptId && markPsrShown(state.promptId, cap(), false)
  const close = (reason: PsrCloseReason, patch: Partial<PsrState> = {}) => {
    stopToast()
    giveBack()
    seq++
    set({ status: 'closed', rating: 0, note: '', error: undefined, ...patch })
    o.onClose?.(reason)
  }

  const psr: PsrController = {
    getState: () => state,
    subscribe(l) {
      listeners.add(l)
      return () => void listeners.delete(l)
    },
    open(target = {}) {
      const promptId = target.promptId ?? o.promptId
      // A toast still showing gives way; a rating in progress does not.
      const free = state.status == 'closed' || state.status == 'thanks'
      if (state.enabled !== true || !free || !promptId || !canShowPsr(promptId, cap())) return false
      stopToast()
      const version = target.promptId ? target.version : (target.version ?? o.version)
      markPsrShown(promptId, cap())
      tracked.clear()
      set({ status: 'open', promptId, version, source: target.source ?? o.source ?? 'copy', rating: 0, note: '', result: undefined, error: undefined })
      o.client.track('psr.shown', attrs())
      return true
    },
    setRating(n) {
      if (state.status == 'open') set({ rating: clampRating(n) })
    },
    setNote(note) {
      if (state.status == 'open') set({ note: clampNote(String(note)) })
    },
    async submit() {
      if (state.status != 'open' || !state.rating) return false
      // The note is cut at its limit as it is typed or pasted, and may hold the start of a secret
      // that no pattern matches any more (`jane@example.c`, edited to `jane@example`, typed on
      // after; `sk-proj-01234`). So any `x@y` whose local part has a Latin letter or a digit
      // (`jöhn@könig`; `x＠y` with Latin after the ＠), whole or not, goes; so does
      // a last word with an @ and Latin after it (`@alice`); and, at the limit, a last word shaped
      // like a key (12 or more of A-Z a-z 0-9 _ . + / = - with a digit or one of _ + / =). Words of
      // letters, and text in scripts without spaces (`田中さん@営業部です`), stay.
      let text = redact(state.note.trim())
        .replace(/(?=[\p{L}\p{N}._%+-]*[A-Za-z\d])[\p{L}\p{N}._%+-]+(?:@[\p{L}\p{N}.-]*|[\uff20\ufe6b][\w-][\w.-]*)/gu, '[redacted]')
        .replace(/\S*[@\uff20\ufe6b][\w.-]*$/, '')
      if (state.note.length >= PSR_MAX_NOTE - 1) text = text.replace(/(?=[\w.+/=-]*[\d_+/=])[\w.+/=-]{12,}$/, '')
      const note = clampNote(text.trim())
      const { endpoint, writeKey } = o.client.context()
      const body: PsrBody = { prompt_id: state.promptId!, rating: state.rating, source: state.source }
      if (state.version) body.version = state.version
      if (note) body.note = note
      if (writeKey) body.write_key = writeKey
      set({ status: 'submitting', error: undefined })
      // Once per rating: trying again after a failure does not count the same rating twice.
      const key = body.rating + ' ' + !!note
      if (!tracked.has(key)) tracked.add(key), o.client.track('psr.submitted', { ...attrs(), rating: body.rating, has_note: !!note })
      const mine = seq
      // Closed, or closed and opened again for another prompt, while this was being sent.
      const moved = () => mine != seq || status() != 'submitting'
      try {
        const result = await submitPsr(body, { url: o.psrEndpoint ?? psrUrl(endpoint), credentials: o.credentials, fetch: o.fetch })
        if (gone || moved()) return true
        set({ status: 'thanks', result })
        o.onSubmit?.(result, body)
        toast = host().setTimeout(() => ((toast = undefined), close('submitted')), o.toastMs ?? 4000)
        return true
      } catch (e) {
        // The widget stays open with the rating and the note, and says so: Send tries again.
        if (dev()) console.warn('[prompt-telemetry] PSR not saved:', e)
        const given = () => (markPsrShown(body.prompt_id, cap(), false), false) // closed or unmounted meanwhile
        if (gone) return given()
        o.onError?.(e, body)
        if (moved()) return given()
        set({ status: 'open', error: String(e) })
        return false
      }
    },
    dismiss() {
      const st = state.status
      // Given up after a failed submit: the rating was tracked, so no psr.dismissed.
      if (st == 'open' && state.error) close('failed')
      else if (st == 'open') o.client.track('psr.dismissed', attrs()), close('dismissed')
      // While sending: the answer is not waited for (nor shown).
      else if (st == 'submitting') close('dismissed')
      else if (st == 'thanks') close('submitted')
    },
    setEnabled(flag) {
      if (flag === flagInput) return
      flagInput = flag
      const token = ++flagToken
      const apply = (v: unknown) => {
        if (token != flagToken) return
        const enabled = v == null ? undefined : v === true
        if (enabled !== true && state.status != 'closed') close('disabled', { enabled })
        else if (enabled !== state.enabled) set({ enabled })
      }
      if (isThenable(flag)) {
        apply(undefined)
        flag.then(apply, () => apply(false))
      } else apply(flag)
    },
    configure(next) {
      o = { ...o, ...next }
      if ('enabled' in next) psr.setEnabled(next.enabled)
      const source = o.source ?? 'copy'
      if (state.status == 'closed' && (state.promptId != o.promptId || state.version != o.version || state.source != source))
        set({ promptId: o.promptId, version: o.version, source })
    },
    destroy() {
      gone = true
      giveBack()
      seq++
      stopToast()
      listeners.clear()
      flagToken++
    },
  }
  state = { ...state, promptId: o.promptId, version: o.version }
  psr.setEnabled(o.enabled)
  return psr
}
