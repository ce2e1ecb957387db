// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { usePsr, usePsrTrigger, useTelemetry } from 'prompt-telemetry/react'
import { makeClient, renderWith } from './helpers'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => (cleanup(), server.resetHandlers()))
afterAll(() => server.close())

// A custom UI on the headless hook: thumbs instead of stars.
function Thumbs({ enabled }: { enabled?: boolean }) {
  const t = useTelemetry()
  const psr = usePsr({ promptId: 'p1', enabled })
  usePsrTrigger(psr, { promptId: 'p1', on: ['prompt_copied', 'prompts.duplicate'] })
  return (
    <>
      <button onClick={() => t.track('prompts.duplicate', { prompt_id: 'p1' })}>Duplicate</button>
      <button onClick={() => t.track('prompt_copied', { prompt_id: 'other', variant: 'body', source: 'card' })}>Copy other</button>
      {psr.visible && psr.status == 'open' && (
        <div role="group" aria-label="Rate">
          <button aria-pressed={psr.rating == 5} onClick={() => psr.setRating(5)}>👍</button>
          <button onClick={() => void psr.submit()} disabled={!psr.rating}>Send</button>
          <button onClick={psr.dismiss}>Later</button>
        </div>
      )}
      {psr.status == 'thanks' && <p role="status">avg {psr.result?.avg_rating}</p>}
    </>
  )
}

describe('usePsr and usePsrTrigger', () => {
  it('drive a custom UI: bound to its prompt, opened after a duplicate, submitted', async () => {
    const bodies: unknown[] = []
    server.use(http.post('*/psr', async ({ request }) => (bodies.push(JSON.parse(await request.text())), HttpResponse.json({ avg_rating: 5, total_ratings: 1 }))))
    const user = userEvent.setup()
    const { client, named } = makeClient()
    renderWith(<Thumbs />, { client, features: { psr: true } })
    await user.click(screen.getByRole('button', { name: 'Copy other' }))
    expect(screen.queryByRole('group')).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Duplicate' }))
    await user.click(screen.getByRole('button', { name: '👍' }))
    await user.click(screen.getByRole('button', { name: 'Send' }))
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('avg 5'))
    expect(bodies).toEqual([{ prompt_id: 'p1', rating: 5, source: 'duplicate', write_key: 'wk_test' }])
    expect(named('psr.shown')).toMatchObject([{ prompt_id: 'p1', source: 'duplicate' }])
  })

  it('follows the provider flag unless the hook is given its own', async () => {
    const user = userEvent.setup()
    const { client } = makeClient()
    const r = renderWith(<Thumbs enabled={false} />, { client, features: { psr: true } })
    await user.click(screen.getByRole('button', { name: 'Duplicate' }))
    expect(screen.queryByRole('group')).toBeNull()
    r.unmount()
  })
})
