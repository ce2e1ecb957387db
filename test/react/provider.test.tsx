// @vitest-environment happy-dom
import { StrictMode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, render, renderHook, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { memorySink, type Telemetry } from 'prompt-telemetry'
import { PsrPrompt, TelemetryProvider, usePromptTelemetry, usePsr, useTelemetry } from 'prompt-telemetry/react'
import { makeClient } from './helpers'

afterEach(() => cleanup())

describe('TelemetryProvider and useTelemetry', () => {
  it('shares the given client', () => {
    const { client } = makeClient()
    const { result } = renderHook(() => useTelemetry(), { wrapper: ({ children }) => <TelemetryProvider client={client}>{children}</TelemetryProvider> })
    expect(result.current).toBe(client)
  })

  it('makes one client from options with the prompt catalog and keeps it across renders', async () => {
    const sink = memorySink()
    const clients = new Set<Telemetry>()
    function Probe() {
      const t = useTelemetry()
      clients.add(t)
      return <button onClick={() => t.track('prompt_copied', { prompt_id: 'p1', variant: 'body', source: 'card' })}>copy</button>
    }
    const { rerender, unmount } = render(<TelemetryProvider options={{ sink }}><Probe /></TelemetryProvider>)
    rerender(<TelemetryProvider options={{ sink }}><Probe /></TelemetryProvider>)
    await userEvent.click(screen.getByRole('button'))
    expect(clients.size).toBe(1)
    unmount() // flushes what is queued
    await vi.waitFor(() => expect(sink.events().map((e) => e.event)).toEqual(['prompt_copied']))
  })

  it('keeps the prompt catalog when options name the catalog as undefined', async () => {
    const sink = memorySink()
    const { result, unmount } = renderHook(() => useTelemetry(), {
      wrapper: ({ children }) => <TelemetryProvider options={{ sink, catalog: undefined }}>{children}</TelemetryProvider>,
    })
    result.current.track('prompt_copied', { prompt_id: 'p1', variant: 'body', source: 'card' })
    expect(result.current.stats()).toMatchObject({ queued: 1, rejected: 0 })
    unmount()
  })

  it('shuts down a client it made when it unmounts, even under StrictMode, but not one it was given', async () => {
    const made: Telemetry[] = []
    function Probe() {
      const t = useTelemetry()
      if (!made.includes(t)) made.push(t)
      return null
    }
    const { unmount } = render(
      <StrictMode>
        <TelemetryProvider options={{ sink: memorySink() }}>
          <Probe />
        </TelemetryProvider>
      </StrictMode>,
    )
    await new Promise((r) => setTimeout(r, 10))
    const [client] = made
    client!.track('prompt_copied', { prompt_id: 'p1', variant: 'body', source: 'card' })
    expect(client!.stats().queued).toBe(1) // StrictMode's effect rerun did not shut it down
    unmount()
    await vi.waitFor(() => {
      client!.track('prompt_copied', { prompt_id: 'p2', variant: 'body', source: 'card' })
      expect(client!.stats().queued).toBe(0) // shut down: tracking is a no-op
    })
    const given = makeClient().client
    render(<TelemetryProvider client={given}><Probe /></TelemetryProvider>).unmount()
    await new Promise((r) => setTimeout(r, 10))
    given.track('prompt_copied', { prompt_id: 'p3', variant: 'body', source: 'card' })
    expect(given.stats().queued).toBe(1)
  })

  it('without a provider: no-op hooks, one development warning, no crash', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    function App() {
      const t = useTelemetry()
      const pt = usePromptTelemetry()
      const psr = usePsr({ promptId: 'p1', enabled: true })
      return (
        <>
          <button onClick={() => (t.track('prompt_copied', { prompt_id: 'p1', variant: 'body', source: 'card' }), pt.recordSelection('p1'), psr.open())}>go</button>
          <PsrPrompt enabled />
        </>
      )
    }
    const { container } = render(<><App /><App /></>)
    for (const b of screen.getAllByRole('button')) await userEvent.click(b)
    expect(container.querySelector('[data-pt-psr]')).toBeNull()
    const ours = warn.mock.calls.filter((c) => String(c[0]).includes('TelemetryProvider'))
    expect(ours).toHaveLength(1)
    warn.mockRestore()
  })
})

describe('in production', () => {
  it('stays silent without a provider', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    vi.resetModules()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const react = await import('prompt-telemetry/react')
      const { result } = renderHook(() => react.usePromptTelemetry())
      result.current.recordSelection('p1')
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
      vi.unstubAllEnvs()
    }
  })
})
