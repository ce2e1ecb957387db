import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { createPsr, PSR_MAX_NOTE, type PsrState } from '../../src/psr'
import { testClient } from './setup'

const server = setupServer()
const bodies: unknown[] = []
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  bodies.length = 0
  vi.useRealTimers()
})
afterAll(() => server.close())
const ok = () =>
  server.use(http.post('http://127.0.0.1/psr', async ({ request }) => (bodies.push(JSON.parse(await request.text())), HttpResponse.json({ avg_rating: 4, total_ratings: 3 }))))

describe('createPsr', () => {
  it('stays closed while the flag is unknown or off', () => {
    const { client, seen } = testClient()
    const psr = createPsr({ client, promptId: 'p1' })
    expect(psr.getState().enabled).toBeUndefined()
    expect(psr.open()).toBe(false)
    psr.setEnabled(false)
    expect(psr.open()).toBe(false)
    expect(psr.getState().visible).toBe(false)
    expect(seen).toEqual([])
  })

  it('waits for a pending flag and opens once it resolves to true', async () => {
    const { client } = testClient()
    let resolve!: (v: boolean) => void
    const psr = createPsr({ client, promptId: 'p1', enabled: new Promise<boolean>((r) => (resolve = r)) })
    expect(psr.open()).toBe(false)
    resolve(true)
    await Promise.resolve()
    expect(psr.getState().enabled).toBe(true)
    expect(psr.open()).toBe(true)
  })

  it('treats a rejected flag as off', async () => {
    const { client } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: Promise.reject(new Error('flags down')) })
    await new Promise((r) => setTimeout(r, 0))
    expect(psr.getState().enabled).toBe(false)
  })

  it('opens once per prompt per day and tracks psr.shown', () => {
    const { client, seen } = testClient()
    const psr = createPsr({ client, enabled: true })
    expect(psr.open({ promptId: 'p1', version: '3', source: 'duplicate' })).toBe(true)
    expect(psr.getState()).toMatchObject({ status: 'open', visible: true, promptId: 'p1', version: '3', source: 'duplicate' })
    expect(seen.map((e) => [e.event, e.prompt_id, e.version, e.source])).toEqual([['psr.shown', 'p1', '3', 'duplicate']])
    psr.dismiss()
    expect(psr.open({ promptId: 'p1' })).toBe(false)
    const again = createPsr({ client, enabled: true }) // another widget on the same client storage
    expect(again.open({ promptId: 'p1' })).toBe(false)
    expect(again.open({ promptId: 'p2' })).toBe(true)
  })

  it('does not replace a widget that is already open', () => {
    const { client } = testClient()
    const psr = createPsr({ client, enabled: true })
    psr.open({ promptId: 'p1' })
    expect(psr.open({ promptId: 'p2' })).toBe(false)
    expect(psr.getState().promptId).toBe('p1')
  })

  it('replaces the success toast when another prompt is copied', async () => {
    ok()
    const { client } = testClient()
    const psr = createPsr({ client, enabled: true })
    psr.open({ promptId: 'p1' })
    psr.setRating(5)
    await psr.submit()
    expect(psr.getState().status).toBe('thanks')
    expect(psr.open({ promptId: 'p2' })).toBe(true)
    expect(psr.getState()).toMatchObject({ status: 'open', promptId: 'p2', rating: 0 })
  })

  it('clamps the rating to 1-5 and the note to 280 code units', () => {
    const { client } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true })
    psr.setRating(4) // closed: ignored
    expect(psr.getState().rating).toBe(0)
    psr.open()
    psr.setRating(9)
    expect(psr.getState().rating).toBe(5)
    psr.setRating(2.4)
    expect(psr.getState().rating).toBe(2)
    psr.setNote('x'.repeat(400))
    expect(psr.getState().note).toHaveLength(PSR_MAX_NOTE)
    psr.setNote('a'.repeat(279) + '\u{1F600}') // the emoji would be cut in half
    expect(psr.getState().note).toBe('a'.repeat(279))
  })

  it('tracks psr.dismissed with no rating and closes', () => {
    const { client, seen } = testClient()
    const onClose = vi.fn()
    const psr = createPsr({ client, promptId: 'p1', enabled: true, onClose })
    psr.open()
    psr.dismiss()
    expect(psr.getState().status).toBe('closed')
    expect(seen.map((e) => e.event)).toEqual(['psr.shown', 'psr.dismissed'])
    expect(onClose).toHaveBeenCalledWith('dismissed')
  })

  it('submits to /psr next to the endpoint, tracks psr.submitted without the note, then toasts and closes', async () => {
    ok()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { client, seen } = testClient({ writeKey: 'wk_1' })
    const states: PsrState['status'][] = []
    const psr = createPsr({ client, promptId: 'p1', version: '2', enabled: true, toastMs: 3000 })
    psr.subscribe((s) => states.push(s.status))
    psr.open()
    expect(await psr.submit()).toBe(false) // no star yet
    psr.setRating(4)
    psr.setNote('  works well, thanks  ')
    expect(await psr.submit()).toBe(true)
    expect(bodies).toEqual([{ prompt_id: 'p1', version: '2', rating: 4, note: 'works well, thanks', source: 'copy', write_key: 'wk_1' }])
    const submitted = seen.find((e) => e.event == 'psr.submitted')
    expect(submitted).toMatchObject({ prompt_id: 'p1', version: '2', rating: 4, source: 'copy', has_note: true })
    expect(JSON.stringify(seen)).not.toContain('works well')
    expect(psr.getState()).toMatchObject({ status: 'thanks', visible: true, result: { avg_rating: 4, total_ratings: 3 } })
    vi.advanceTimersByTime(3000)
    expect(psr.getState().status).toBe('closed')
    expect(states).toEqual(['open', 'open', 'open', 'submitting', 'thanks', 'closed'])
  })

  it('submits once when submit is called twice', async () => {
    ok()
    const { client } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true })
    psr.open()
    psr.setRating(5)
    await Promise.all([psr.submit(), psr.submit()])
    expect(bodies).toHaveLength(1)
  })

  it('redacts an email in the note before it leaves the page', async () => {
    ok()
    const { client } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true })
    psr.open()
    psr.setRating(3)
    psr.setNote('mail me at jane@example.com')
    await psr.submit()
    expect((bodies[0] as { note: string }).note).toBe('mail me at [redacted]')
  })

  it('uses an explicit psrEndpoint and credentials', async () => {
    let credentials = ''
    server.use(http.post('http://127.0.0.1/ratings', ({ request }) => ((credentials = request.credentials), HttpResponse.json({}))))
    const { client } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true, psrEndpoint: 'http://127.0.0.1/ratings', credentials: 'include' })
    psr.open()
    psr.setRating(1)
    expect(await psr.submit()).toBe(true)
    expect(credentials).toBe('include')
  })

  it('stays open after a failed submit with the rating, the note and the error, and tries again', async () => {
    server.use(http.post('http://127.0.0.1/psr', () => new HttpResponse(null, { status: 500 })))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const onError = vi.fn()
    const onClose = vi.fn()
    const { client, seen } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true, onError, onClose })
    psr.open()
    psr.setRating(2)
    psr.setNote('slow but good')
    expect(await psr.submit()).toBe(false)
    expect(psr.getState()).toMatchObject({ status: 'open', visible: true, rating: 2, note: 'slow but good' })
    expect(psr.getState().error).toMatch(/500/)
    expect(onError).toHaveBeenCalledOnce()
    expect(onClose).not.toHaveBeenCalled()
    expect(warn).toHaveBeenCalledOnce()
    ok()
    expect(await psr.submit()).toBe(true)
    expect(psr.getState()).toMatchObject({ status: 'thanks', error: undefined })
    expect(bodies).toEqual([expect.objectContaining({ rating: 2, note: 'slow but good' })])
    // The same rating is counted once, however many tries it took.
    expect(seen.filter((e) => e.event == 'psr.submitted')).toHaveLength(1)
    warn.mockRestore()
  })

  it('counts a changed rating again when it is sent after a failure', async () => {
    server.use(http.post('http://127.0.0.1/psr', () => new HttpResponse(null, { status: 503 })))
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { client, seen } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true })
    psr.open()
    psr.setRating(2)
    await psr.submit()
    psr.setRating(5)
    ok()
    await psr.submit()
    expect(seen.filter((e) => e.event == 'psr.submitted').map((e) => e.rating)).toEqual([2, 5])
    vi.restoreAllMocks()
  })

  // The rating was lost: the user may give it on the next copy, the same day.
  it('gives the day back when the user gives up after a failed save, so the next copy asks again', async () => {
    server.use(http.post('http://127.0.0.1/psr', () => new HttpResponse(null, { status: 503 })))
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const onClose = vi.fn()
    const { client, seen } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true, onClose })
    expect(psr.open()).toBe(true)
    psr.setRating(4)
    await psr.submit()
    psr.dismiss()
    expect(onClose).toHaveBeenCalledWith('failed')
    expect(seen.map((e) => e.event)).not.toContain('psr.dismissed') // the rating was tracked
    expect(psr.open()).toBe(true)
    psr.dismiss()
    expect(psr.open()).toBe(false) // dismissed: asked once today
    vi.restoreAllMocks()
  })

  /** Two widgets for p1, the first open with a rating /psr failed to take. */
  async function oneFailedOfTwo(rating: number) {
    server.use(http.post('http://127.0.0.1/psr', () => new HttpResponse(null, { status: 503 })))
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { client } = testClient()
    const [one, two] = [createPsr({ client, promptId: 'p1', enabled: true }), createPsr({ client, promptId: 'p1', enabled: true })]
    one.open()
    one.setRating(rating)
    await one.submit()
    return [one, two] as const
  }

  it('holds the day while a failed rating stays open, and gives it back when the widget goes', async () => {
    const [one, two] = await oneFailedOfTwo(4)
    expect(two.open()).toBe(false) // the first still asks for this prompt
    one.destroy()
    expect(two.open()).toBe(true) // unmounted with the rating unsent: the day is given back
    vi.restoreAllMocks()
  })

  // A late answer for a widget closed while sending landed on the next one: "Thanks!" for a
  // rating whose own request then failed unseen.
  it('keeps a late answer for a closed showing away from the next one', async () => {
    const answers: ((r: Response) => void)[] = []
    server.use(http.post('http://127.0.0.1/psr', () => new Promise<Response>((r) => answers.push(r))))
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const onSubmit = vi.fn()
    const { client } = testClient()
    const psr = createPsr({ client, enabled: true, onSubmit })
    psr.open({ promptId: 'p1' })
    psr.setRating(1)
    const first = psr.submit()
    await vi.waitFor(() => expect(answers).toHaveLength(1))
    psr.dismiss()
    psr.open({ promptId: 'p2' })
    psr.setRating(5)
    const second = psr.submit()
    await vi.waitFor(() => expect(answers).toHaveLength(2))
    answers[0]!(HttpResponse.json({ avg_rating: 1, total_ratings: 1 }))
    await first
    expect(psr.getState()).toMatchObject({ status: 'submitting', promptId: 'p2' })
    expect(onSubmit).not.toHaveBeenCalled()
    answers[1]!(new HttpResponse(null, { status: 500 }))
    await second
    expect(psr.getState()).toMatchObject({ status: 'open', promptId: 'p2', rating: 5 })
    expect(psr.getState().error).toMatch(/500/)
    vi.restoreAllMocks()
  })

  it('counts each rating sent once, however the tries go back and forth', async () => {
    server.use(http.post('http://127.0.0.1/psr', () => new HttpResponse(null, { status: 503 })))
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { client, seen } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true })
    psr.open()
    for (const n of [5, 4, 5, 5]) psr.setRating(n), await psr.submit()
    expect(seen.filter((e) => e.event == 'psr.submitted').map((e) => e.rating)).toEqual([5, 4])
    vi.restoreAllMocks()
  })

  it('gives the day back once: unmounting after a failed showing was closed takes nothing from the next', async () => {
    const [a, b] = await oneFailedOfTwo(2)
    a.dismiss() // the day is given back
    expect(b.open()).toBe(true)
    b.dismiss() // asked once today
    a.destroy()
    expect(b.open()).toBe(false)
    vi.restoreAllMocks()
  })

  it('closes at once when dismissed while sending, and ignores the answer', async () => {
    let answer!: () => void
    server.use(http.post('http://127.0.0.1/psr', () => new Promise<Response>((r) => (answer = () => r(HttpResponse.json({ avg_rating: 4, total_ratings: 1 }))))))
    const onClose = vi.fn()
    const onSubmit = vi.fn()
    const { client } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true, onClose, onSubmit })
    psr.open()
    psr.setRating(3)
    const sent = psr.submit()
    await vi.waitFor(() => expect(answer).toBeTypeOf('function'))
    psr.dismiss()
    expect(psr.getState()).toMatchObject({ status: 'closed', visible: false })
    expect(onClose).toHaveBeenCalledWith('dismissed')
    answer()
    expect(await sent).toBe(true)
    expect(psr.getState().status).toBe('closed')
    expect(onSubmit).not.toHaveBeenCalled()
  })

  // The note is cut to 280 as it is typed or pasted, so a secret the cut shortens
  // (`john.doe@company.c`) no longer looks like one, nor after it is edited shorter still.
  it.each([
    ['a'.repeat(261) + ' john.doe@company.com and more', 'company', 0],
    ['a'.repeat(262) + ' john.doe@company.com and more', 'company', 0],
    ['a'.repeat(261) + ' john.doe@company.com and more', 'company', 2], // then two Backspaces
    ['b'.repeat(260) + ' key sk-proj-0123456789abcdefghijkl', 'sk-proj', 0],
  ])('never sends the start of a secret that the limit cut short (%#)', async (typed, part, backspaces) => {
    ok()
    const { client } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true })
    psr.open()
    psr.setRating(4)
    psr.setNote(typed)
    psr.setNote(psr.getState().note.slice(0, PSR_MAX_NOTE - backspaces))
    await psr.submit()
    const note = (bodies[0] as { note: string }).note
    expect(note).not.toContain('@')
    expect(note).not.toContain(part)
    expect(note.startsWith(typed.slice(0, 240))).toBe(true)
  })

  it('never sends a cut address that more text follows, nor one without a top-level domain', async () => {
    ok()
    const { client } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true })
    psr.open()
    psr.setRating(4)
    psr.setNote('a'.repeat(261) + ' john.doe@company.com and more')
    psr.setNote(psr.getState().note.slice(0, PSR_MAX_NOTE - 4) + ' ok!') // edited, then typed on
    await psr.submit()
    psr.open({ promptId: 'p2' })
    psr.setRating(3)
    psr.setNote('mail john.doe@company about it, 田中さん@営業部です')
    await psr.submit()
    psr.open({ promptId: 'p3' })
    psr.setRating(3)
    psr.setNote('mail john.doe＠company, jöhn.döe@könig-gmbh or a﹫b; 会議＠Zoom。')
    await psr.submit()
    const notes = bodies.map((b) => (b as { note: string }).note)
    expect(notes[0]).toBe('a'.repeat(261) + ' [redacted] ok!')
    expect(notes[1]).toBe('mail [redacted] about it, 田中さん@営業部です')
    expect(notes[2]).toBe('mail [redacted], [redacted] or [redacted]; 会議＠Zoom。')
  })

  // Only a word that could be a cut secret goes: a full note of Japanese (no spaces) or one ending
  // in a long word of letters is sent whole.
  it.each([
    'c'.repeat(PSR_MAX_NOTE - 6) + ' great',
    'c'.repeat(PSR_MAX_NOTE - 15) + ' implementation',
    'c'.repeat(PSR_MAX_NOTE - 16) + ' implementation.',
    'c'.repeat(PSR_MAX_NOTE - 17) + ' state-of-the-art',
    'とても良いプロンプトでした。'.repeat(20).slice(0, PSR_MAX_NOTE),
  ])('keeps the last word of a full note that could not be a secret (%#)', async (typed) => {
    ok()
    const { client } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true })
    psr.open()
    psr.setRating(4)
    psr.setNote(typed)
    await psr.submit()
    expect((bodies[0] as { note: string }).note).toBe(typed)
  })

  it('ends quietly when destroyed mid-submit: no callbacks, no toast timer', async () => {
    let answer!: () => void
    server.use(http.post('http://127.0.0.1/psr', () => new Promise<Response>((r) => (answer = () => r(HttpResponse.json({ avg_rating: 4, total_ratings: 1 }))))))
    const onSubmit = vi.fn()
    const onClose = vi.fn()
    const onError = vi.fn()
    const { client } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true, onSubmit, onClose, onError, toastMs: 10 })
    psr.open()
    psr.setRating(4)
    const submitting = psr.submit()
    await vi.waitFor(() => expect(answer).toBeDefined())
    psr.destroy()
    answer()
    expect(await submitting).toBe(true) // the rating was saved
    await new Promise((r) => setTimeout(r, 50))
    expect([onSubmit, onClose, onError].map((f) => f.mock.calls.length)).toEqual([0, 0, 0])
  })

  it('closes when the flag turns off', () => {
    const { client } = testClient()
    const psr = createPsr({ client, promptId: 'p1', enabled: true })
    psr.open()
    psr.setEnabled(false)
    expect(psr.getState()).toMatchObject({ status: 'closed', visible: false, enabled: false })
  })

  it('touches no storage and tracks nothing until a method runs', () => {
    const get = vi.fn(() => null)
    const { client, seen } = testClient({ storage: { get, set: vi.fn(), remove: vi.fn() } })
    get.mockClear()
    createPsr({ client, promptId: 'p1', enabled: true })
    expect(get).not.toHaveBeenCalled()
    expect(seen).toEqual([])
  })
})
