// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { memoryStore } from 'prompt-telemetry'
import { PsrPrompt, useTelemetry } from 'prompt-telemetry/react'
import { makeClient, psrRoot, renderWith } from './helpers'

const server = setupServer()
const bodies: Record<string, unknown>[] = []
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  cleanup()
  server.resetHandlers()
  bodies.length = 0
  vi.useRealTimers()
})
afterAll(() => server.close())
const psrOk = () =>
  server.use(http.post('*/psr', async ({ request }) => (bodies.push(JSON.parse(await request.text())), HttpResponse.json({ avg_rating: 4.5, total_ratings: 12 }))))

function CopyButton({ id = 'p1' }: { id?: string }) {
  const t = useTelemetry()
  return <button onClick={() => t.track('prompt_copied', { prompt_id: id, version: '2', variant: 'body', source: 'card' })}>Copy {id}</button>
}

const copy = async (user: ReturnType<typeof userEvent.setup>, id = 'p1') => user.click(screen.getByRole('button', { name: `Copy ${id}` }))

describe('PsrPrompt', () => {
  it('renders nothing while the flag is unknown, and nothing when it is off', async () => {
    const user = userEvent.setup()
    const { client, named } = makeClient()
    const { container, rerender } = renderWith(<><CopyButton /><PsrPrompt /></>, { client })
    await copy(user)
    expect(container.querySelector('[data-pt-psr]')).toBeNull()
    rerender(<><CopyButton /><PsrPrompt enabled={false} /></>)
    await copy(user)
    expect(container.querySelector('[data-pt-psr]')).toBeNull()
    expect(named('psr.shown')).toHaveLength(0)
  })

  it('waits for a pending features promise from the provider', async () => {
    let resolve!: (f: { psr: boolean }) => void
    const features = new Promise<{ psr: boolean }>((r) => (resolve = r))
    const { client } = makeClient()
    const { container } = renderWith(<PsrPrompt />, { client, features })
    expect(container.querySelector('[data-pt-psr]')).toBeNull()
    await act(async () => resolve({ psr: true }))
    expect(container.querySelector('[data-pt-psr]')).not.toBeNull()
  })

  it('opens after Copy, inline and without taking focus, with five radio stars', async () => {
    const user = userEvent.setup()
    const { client, named } = makeClient()
    const { container } = renderWith(<><CopyButton /><PsrPrompt enabled /></>, { client })
    await copy(user)
    const root = within(psrRoot(container))
    expect(root.getByRole('group', { name: 'How well did this prompt work?' })).toBeTruthy()
    expect(root.getAllByRole('radio').map((r) => r.getAttribute('aria-label'))).toEqual(['1 of 5 stars', '2 of 5 stars', '3 of 5 stars', '4 of 5 stars', '5 of 5 stars'])
    expect(root.getByRole('status').textContent).toBe('How well did this prompt work?')
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Copy p1' }))
    expect(container.querySelector('dialog')).toBeNull()
    expect(named('psr.shown')).toMatchObject([{ prompt_id: 'p1', version: '2', source: 'copy' }])
  })

  it('moves between stars with the arrow keys and does not submit on a choice', async () => {
    psrOk()
    const user = userEvent.setup()
    const { client } = makeClient()
    // Unstyled keeps the radios in the light DOM, where user-event's arrow-key emulation can
    // see the group; in the shadow root the browser groups them by the same shared name.
    const { container } = renderWith(<><CopyButton /><PsrPrompt enabled unstyled /></>, { client })
    await copy(user)
    const root = within(container.querySelector<HTMLElement>('[data-pt-psr]')!)
    const star = (n: number) => root.getByRole<HTMLInputElement>('radio', { name: `${n} of 5 stars` })
    await user.click(star(2))
    expect(star(2).checked).toBe(true)
    await user.keyboard('{ArrowRight}')
    expect(star(3).checked).toBe(true)
    expect(document.activeElement).toBe(star(3))
    await user.keyboard('{ArrowLeft}{ArrowLeft}')
    expect(star(1).checked).toBe(true)
    expect(bodies).toEqual([])
    expect(root.getByRole('button', { name: 'Send rating' })).toBeTruthy()
  })

  it('groups the shadow-DOM stars as one radio group in one fieldset', async () => {
    const user = userEvent.setup()
    const { client } = makeClient()
    const { container } = renderWith(<><CopyButton /><PsrPrompt enabled /></>, { client })
    await copy(user)
    const radios = within(psrRoot(container)).getAllByRole<HTMLInputElement>('radio')
    expect(new Set(radios.map((r) => r.name)).size).toBe(1)
    expect(new Set(radios.map((r) => r.closest('fieldset'))).size).toBe(1)
  })

  it('clamps the note at 280 characters with a live counter', async () => {
    const user = userEvent.setup()
    const { client } = makeClient()
    const { container } = renderWith(<><CopyButton /><PsrPrompt enabled /></>, { client })
    await copy(user)
    const root = within(psrRoot(container))
    const note = root.getByRole<HTMLTextAreaElement>('textbox', { name: 'Add a note (optional)' })
    await user.type(note, 'great')
    expect(root.getByText('5 of 280 characters')).toBeTruthy()
    fireEvent.input(note, { target: { value: 'z'.repeat(400) } }) // a script or an IME can bypass maxlength
    expect(note.value).toHaveLength(280)
    expect(root.getByText('280 of 280 characters')).toBeTruthy()
  })

  it('submits through POST /psr, shows the toast, then closes', async () => {
    psrOk()
    const user = userEvent.setup()
    const { client, named } = makeClient()
    const onSubmit = vi.fn()
    const { container } = renderWith(<><CopyButton /><PsrPrompt enabled toastMs={50} onSubmit={onSubmit} /></>, { client })
    await copy(user)
    const root = within(psrRoot(container))
    await user.click(root.getByRole('radio', { name: '4 of 5 stars' }))
    await user.type(root.getByRole('textbox'), 'saved me time')
    await user.click(root.getByRole('button', { name: 'Send rating' }))
    await waitFor(() => expect(root.getByRole('status').textContent).toBe('Thanks! Your rating was saved.'))
    expect(bodies).toEqual([{ prompt_id: 'p1', version: '2', rating: 4, note: 'saved me time', source: 'copy', write_key: 'wk_test' }])
    expect(onSubmit).toHaveBeenCalledWith({ avg_rating: 4.5, total_ratings: 12 }, bodies[0])
    expect(named('psr.submitted')).toMatchObject([{ prompt_id: 'p1', rating: 4, has_note: true }])
    expect(named('psr.submitted')[0]).not.toHaveProperty('note')
    await waitFor(() => expect(root.getByRole('status').textContent).toBe(''))
    expect(psrRoot(container).querySelector('form')!.hidden).toBe(true)
  })

  it('says so when /psr fails, keeps the rating, and sends it when asked again', async () => {
    server.use(http.post('*/psr', () => HttpResponse.error()))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const user = userEvent.setup()
    const { client } = makeClient()
    const onClose = vi.fn()
    const { container } = renderWith(<><CopyButton /><PsrPrompt enabled onClose={onClose} /></>, { client })
    await copy(user)
    const root = within(psrRoot(container))
    await user.click(root.getByRole('radio', { name: '5 of 5 stars' }))
    await user.click(root.getByRole('button', { name: 'Send rating' }))
    await waitFor(() => expect(root.getByRole('status').textContent).toBe('Your rating could not be sent. Try again?'))
    expect(root.getByText('Your rating could not be sent. Try again?', { selector: '.pt-psr__error' })).toBeTruthy()
    expect(root.getByRole<HTMLInputElement>('radio', { name: '5 of 5 stars' }).checked).toBe(true)
    expect(onClose).not.toHaveBeenCalled()
    expect(warn).toHaveBeenCalled()
    server.use(http.post('*/psr', () => HttpResponse.json({ avg_rating: 5, total_ratings: 1 })))
    await user.click(root.getByRole('button', { name: 'Send rating' }))
    await waitFor(() => expect(root.getByRole('status').textContent).toBe('Thanks! Your rating was saved.'))
    await user.click(screen.getByRole('button', { name: 'Copy p1' })) // the page still works
    warn.mockRestore()
  })

  it('closes on Escape and on the dismiss button, tracking psr.dismissed', async () => {
    const user = userEvent.setup()
    const { client, named } = makeClient()
    const { container } = renderWith(<><CopyButton id="p1" /><CopyButton id="p2" /><PsrPrompt enabled /></>, { client })
    await copy(user, 'p1')
    const root = within(psrRoot(container))
    await user.click(root.getByRole('radio', { name: '3 of 5 stars' }))
    await user.keyboard('{Escape}')
    expect(psrRoot(container).querySelector('form')!.hidden).toBe(true)
    await copy(user, 'p2')
    await user.click(root.getByRole('button', { name: 'Dismiss rating' }))
    expect(named('psr.dismissed').map((e) => e.prompt_id)).toEqual(['p1', 'p2'])
  })

  it('shows at most once per prompt per UTC day, across remounts, and again the next day', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2025, 6, 1, 22, 0) })
    const storage = memoryStore()
    const user = userEvent.setup()
    const first = makeClient(storage)
    const a = renderWith(<><CopyButton /><PsrPrompt enabled /></>, { client: first.client })
    await copy(user)
    await user.keyboard('{Escape}')
    a.unmount()
    const second = makeClient(storage) // a reload: new client, same localStorage
    const b = renderWith(<><CopyButton /><PsrPrompt enabled /></>, { client: second.client })
    await copy(user)
    expect(second.named('psr.shown')).toHaveLength(0)
    expect(psrRoot(b.container).querySelector('form')!.hidden).toBe(true)
    vi.setSystemTime(Date.UTC(2025, 6, 2, 0, 5)) // past midnight UTC
    await copy(user)
    expect(second.named('psr.shown')).toHaveLength(1)
    expect(storage.get('psr:last:p1')).toBe('2025-07-02')
  })

  it('bound to a prompt, opens only for that prompt, and after a duplicate when asked', async () => {
    const user = userEvent.setup()
    const { client, named } = makeClient()
    function Dup() {
      const t = useTelemetry()
      return <button onClick={() => t.track('prompts.duplicate', { prompt_id: 'p2' })}>Duplicate</button>
    }
    renderWith(<><CopyButton id="p1" /><Dup /><PsrPrompt enabled promptId="p2" trigger={['prompt_copied', 'prompts.duplicate']} /></>, { client })
    await copy(user, 'p1')
    expect(named('psr.shown')).toHaveLength(0)
    await user.click(screen.getByRole('button', { name: 'Duplicate' }))
    expect(named('psr.shown')).toMatchObject([{ prompt_id: 'p2', source: 'duplicate' }])
  })

  it('opens through the open prop, for a manual trigger', () => {
    const { client, named } = makeClient()
    const { container } = renderWith(<PsrPrompt enabled promptId="p9" source="manual" open trigger={false} />, { client })
    expect(psrRoot(container).querySelector('form')!.hidden).toBe(false)
    expect(named('psr.shown')).toMatchObject([{ prompt_id: 'p9', source: 'manual' }])
  })

  it('records source manual when opened through the open prop without a source: nothing was copied', () => {
    const { client, named } = makeClient()
    renderWith(<PsrPrompt enabled promptId="p9" open trigger={false} />, { client })
    expect(named('psr.shown')).toMatchObject([{ prompt_id: 'p9', source: 'manual' }])
  })

  it('unmounted while sending: the rating is saved, and no callback runs after', async () => {
    let answer!: () => void
    server.use(http.post('*/psr', async ({ request }) => (bodies.push(JSON.parse(await request.text())), new Promise<Response>((r) => (answer = () => r(HttpResponse.json({ avg_rating: 5, total_ratings: 1 })))))))
    const user = userEvent.setup()
    const { client } = makeClient()
    const onSubmit = vi.fn()
    const onClose = vi.fn()
    const { container, unmount } = renderWith(<><CopyButton /><PsrPrompt enabled toastMs={10} onSubmit={onSubmit} onClose={onClose} /></>, { client })
    await copy(user)
    const root = within(psrRoot(container))
    await user.click(root.getByRole('radio', { name: '5 of 5 stars' }))
    await user.click(root.getByRole('button', { name: 'Send rating' }))
    await waitFor(() => expect(answer).toBeDefined())
    unmount()
    await new Promise((r) => setTimeout(r, 5)) // the deferred stop runs
    answer()
    await new Promise((r) => setTimeout(r, 50))
    expect(bodies).toHaveLength(1)
    expect([onSubmit, onClose].map((f) => f.mock.calls.length)).toEqual([0, 0])
  })

  it('renders plain markup in the page with unstyled', async () => {
    const user = userEvent.setup()
    const { client } = makeClient()
    const { container } = renderWith(<><CopyButton /><PsrPrompt enabled unstyled className="my-psr" /></>, { client })
    await copy(user)
    const host = container.querySelector('.my-psr')!
    expect(host.shadowRoot).toBeNull()
    expect(host.querySelector('style')).toBeNull()
    expect(within(host as HTMLElement).getAllByRole('radio')).toHaveLength(5)
  })

  it('translates with labels', async () => {
    const user = userEvent.setup()
    const { client } = makeClient()
    const { container } = renderWith(<><CopyButton /><PsrPrompt enabled labels={{ title: 'Ce prompt vous a aidé ?', star: (n, m) => `${n} sur ${m}` }} /></>, { client })
    await copy(user)
    const root = within(psrRoot(container))
    expect(root.getByRole('group', { name: 'Ce prompt vous a aidé ?' })).toBeTruthy()
    expect(root.getByRole('radio', { name: '5 sur 5' })).toBeTruthy()
  })
})
