// @vitest-environment happy-dom
import { StrictMode, useEffect, useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { TelemetryProvider, useImpressionRef, usePromptTelemetry, type PromptTelemetry, type ScoredPrompt } from 'prompt-telemetry/react'
import { FakeIO } from '../psr/io'
import { makeClient, renderWith } from './helpers'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  FakeIO.all.clear()
})

const list: ScoredPrompt[] = [
  { prompt: { id: 'a' }, score: 0.9, matchDetails: { stageMatch: true, lensWeight: 1, topicWeight: 0.5, momentBoost: 0, baseWeight: 1 } },
  { prompt: { id: 'b' }, score: 0.7 },
  { prompt: { id: 'c' }, score: 0.2 },
]
const ctx = { stage: 'explore', source: 'carousel', entropy: 0.4 }

function Carousel({ prompts = list, enabled, visibleOnly, sessionId }: { prompts?: ScoredPrompt[]; enabled?: boolean; visibleOnly?: boolean; sessionId?: string }) {
  const pt = usePromptTelemetry({ enabled, visibleOnly, sessionId })
  useEffect(() => pt.recordImpressions(prompts, ctx), [pt, prompts])
  return (
    <ul>
      {prompts.map((p) => (
        <Item key={p.prompt!.id} pt={pt} id={p.prompt!.id} />
      ))}
    </ul>
  )
}
function Item({ pt, id }: { pt: PromptTelemetry; id: string }) {
  const ref = useImpressionRef(pt, id)
  return (
    <li ref={ref} data-id={id}>
      <button onClick={() => pt.recordSelection(id)}>pick {id}</button>
      <button onClick={() => pt.recordCompletion(id, { outcome: 'success', dwellTimeMs: 1200 })}>done {id}</button>
      <button onClick={() => pt.recordFeedback(id, 'positive')}>like {id}</button>
      <button onClick={() => pt.recordSkip(id, 'dismissed')}>skip {id}</button>
    </li>
  )
}

describe('usePromptTelemetry', () => {
  it('records each impression once under StrictMode double effects and re-renders', async () => {
    const { client, named } = makeClient()
    const r = renderWith(<Carousel />, { client, strict: true })
    r.rerender(<Carousel />)
    expect(named('prompt.impression').map((e) => [e.prompt_id, e.rank])).toEqual([['a', 0], ['b', 1], ['c', 2]])
    expect(named('prompt.impression')[0]).toMatchObject({ score: 0.9, stage_match: true, stage: 'explore', source: 'carousel', entropy: 0.4 })
  })

  it('records a new list with new impression ids', () => {
    const { client, named } = makeClient()
    const r = renderWith(<Carousel />, { client })
    r.rerender(<Carousel prompts={[list[2]!, list[0]!]} />)
    const imps = named('prompt.impression')
    expect(imps).toHaveLength(5)
    expect(imps[4]).toMatchObject({ prompt_id: 'a', rank: 1 })
    expect(imps[4]!.impression_id).not.toBe(imps[0]!.impression_id)
  })

  it('joins selection, completion, feedback and skip to the impression, once each under StrictMode', async () => {
    const user = userEvent.setup()
    const { client, named } = makeClient()
    renderWith(<Carousel sessionId="chat-1" />, { client, strict: true })
    const imp = named('prompt.impression').find((e) => e.prompt_id == 'b')!.impression_id
    await user.click(screen.getByRole('button', { name: 'pick b' }))
    await user.click(screen.getByRole('button', { name: 'done b' }))
    await user.click(screen.getByRole('button', { name: 'like b' }))
    await user.click(screen.getByRole('button', { name: 'skip c' }))
    expect(named('prompt.selection')).toMatchObject([{ prompt_id: 'b', impression_id: imp, rank: 1, score: 0.7, stage: 'explore', session_id: 'chat-1' }])
    expect(named('prompt.completion')).toMatchObject([{ prompt_id: 'b', impression_id: imp, rank: 1, outcome: 'success', dwell_time_ms: 1200 }])
    expect(named('prompt.feedback')).toMatchObject([{ prompt_id: 'b', impression_id: imp, feedback: 'positive' }])
    expect(named('prompt.skip')).toMatchObject([{ prompt_id: 'c', reason: 'dismissed' }])
    expect(client.stats().rejected).toBe(0)
  })

  it('sends a selection at once, without waiting for the batch timer', async () => {
    const user = userEvent.setup()
    const { client, sink } = makeClient()
    renderWith(<Carousel />, { client })
    await user.click(screen.getByRole('button', { name: 'pick a' }))
    await vi.waitFor(() => expect(sink.events().map((e) => e.event)).toContain('prompt.selection'))
  })

  it('keeps its callbacks stable across renders', () => {
    const { client } = makeClient()
    const seen = new Set<unknown>()
    function Probe({ n }: { n: number }) {
      const pt = usePromptTelemetry({ source: `s${n}` })
      seen.add(pt.recordSelection)
      seen.add(pt.impressionRef('a'))
      return null
    }
    const r = renderWith(<Probe n={1} />, { client })
    r.rerender(<Probe n={2} />)
    expect(seen.size).toBe(2)
  })

  it('does nothing when enabled is false', async () => {
    const user = userEvent.setup()
    const { client, seen } = makeClient()
    renderWith(<Carousel enabled={false} />, { client })
    await user.click(screen.getByRole('button', { name: 'pick a' }))
    await user.click(screen.getByRole('button', { name: 'done a' }))
    expect(seen).toEqual([])
  })

  it('flushes pending impressions when it unmounts', async () => {
    const { client, sink } = makeClient()
    const r = renderWith(<Carousel />, { client })
    expect(sink.events()).toEqual([]) // impressions wait for the batch
    r.unmount()
    await vi.waitFor(() => expect(sink.events().filter((e) => e.event == 'prompt.impression')).toHaveLength(3))
  })

  it('with visibleOnly, counts a prompt once it is at least half on screen, once under StrictMode', () => {
    vi.stubGlobal('IntersectionObserver', FakeIO)
    const { client, named } = makeClient()
    const { container } = renderWith(<Carousel visibleOnly />, { client, strict: true })
    expect(named('prompt.impression')).toEqual([])
    const li = (id: string) => container.querySelector(`[data-id=${id}]`)!
    act(() => FakeIO.show(li('b'), 0.4))
    expect(named('prompt.impression')).toEqual([])
    act(() => FakeIO.show(li('b'), 0.75))
    act(() => FakeIO.show(li('b'), 1))
    expect(named('prompt.impression').map((e) => [e.prompt_id, e.rank])).toEqual([['b', 1]])
  })

  it('with visibleOnly, watches every element of a prompt shown in two places', () => {
    vi.stubGlobal('IntersectionObserver', FakeIO)
    const { client, named } = makeClient()
    function Featured() {
      const pt = usePromptTelemetry({ visibleOnly: true })
      useEffect(() => pt.recordImpressions(list, ctx), [pt])
      return (
        <>
          <aside ref={pt.impressionRef('c')} data-where="top" />
          <ul>{list.map((p) => <li key={p.prompt!.id} ref={pt.impressionRef(p.prompt!.id)} data-where={p.prompt!.id} />)}</ul>
        </>
      )
    }
    const { container } = renderWith(<Featured />, { client, strict: true })
    act(() => FakeIO.show(container.querySelector('[data-where=top]')!, 1)) // the featured copy, on screen
    expect(named('prompt.impression').map((e) => e.prompt_id)).toEqual(['c'])
  })

  it('with visibleOnly, keeps watching the list copy of a prompt after its featured copy goes', async () => {
    vi.stubGlobal('IntersectionObserver', FakeIO)
    const { client, named } = makeClient()
    function Page({ featured, prompts }: { featured: boolean; prompts: ScoredPrompt[] }) {
      const pt = usePromptTelemetry({ visibleOnly: true })
      useEffect(() => pt.recordImpressions(prompts, ctx), [pt, prompts])
      return (
        <>
          {featured && <aside ref={pt.impressionRef('c')} />}
          <ul>{prompts.map((p) => <li key={p.prompt!.id} ref={pt.impressionRef(p.prompt!.id)} data-where={p.prompt!.id} />)}</ul>
        </>
      )
    }
    const { container, rerender } = renderWith(<Page featured prompts={list} />, { client })
    rerender(<Page featured={false} prompts={list} />)
    await act(async () => {}) // React 18 lets go of the featured copy after its removal
    rerender(<Page featured={false} prompts={[...list].reverse()} />) // a new list
    act(() => FakeIO.show(container.querySelector('[data-where=c]')!, 1))
    expect(named('prompt.impression').map((e) => e.prompt_id)).toEqual(['c'])
  })

  it('switches the session id without recreating the callbacks', () => {
    const { client, named } = makeClient()
    function Probe() {
      const [sid, setSid] = useState('s-1')
      const pt = usePromptTelemetry({ sessionId: sid })
      return <button onClick={() => (pt.recordSkip('x'), setSid('s-2'))}>skip</button>
    }
    render(<TelemetryProvider client={client}><Probe /></TelemetryProvider>)
    act(() => screen.getByRole('button').click())
    act(() => screen.getByRole('button').click())
    expect(named('prompt.skip').map((e) => e.session_id)).toEqual(['s-1', 's-2'])
  })
})

describe('StrictMode and PSR', () => {
  it('never double-counts a PSR show or submission', async () => {
    const { PsrPrompt, useTelemetry } = await import('prompt-telemetry/react')
    const { http, HttpResponse } = await import('msw')
    const { setupServer } = await import('msw/node')
    const posts: unknown[] = []
    const server = setupServer(http.post('*/psr', async ({ request }) => (posts.push(await request.text()), HttpResponse.json({ avg_rating: 5, total_ratings: 1 }))))
    server.listen({ onUnhandledRequest: 'error' })
    try {
      const user = userEvent.setup()
      const { client, named } = makeClient()
      function Copy() {
        const t = useTelemetry()
        return <button onClick={() => t.track('prompt_copied', { prompt_id: 'p1', variant: 'body', source: 'card' })}>Copy</button>
      }
      const { container } = renderWith(<><Copy /><PsrPrompt enabled toastMs={10} /></>, { client, strict: true })
      await user.click(screen.getByRole('button', { name: 'Copy' }))
      const root = container.querySelector('[data-pt-psr]')!.shadowRoot!
      expect(root.querySelectorAll('form')).toHaveLength(1)
      const star = root.querySelectorAll<HTMLInputElement>('input[type=radio]')[4]!
      await user.click(star)
      await user.click(root.querySelector<HTMLButtonElement>('button[type=submit]')!)
      await vi.waitFor(() => expect(posts).toHaveLength(1))
      expect(named('psr.shown')).toHaveLength(1)
      expect(named('psr.submitted')).toHaveLength(1)
    } finally {
      server.close()
    }
  })

  it('opens once through the open prop under StrictMode', async () => {
    const { PsrPrompt } = await import('prompt-telemetry/react')
    const { client, named } = makeClient()
    render(<StrictMode><TelemetryProvider client={client}><PsrPrompt enabled promptId="p1" open /></TelemetryProvider></StrictMode>)
    expect(named('psr.shown')).toHaveLength(1)
  })
})
