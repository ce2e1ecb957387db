// Node, no DOM: what a server renders.
import { createElement, useEffect } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import * as entry from 'prompt-telemetry/react'
import { PsrPrompt, TelemetryProvider, useImpressionRef, usePromptTelemetry, usePsr, usePsrTrigger, useTelemetry } from 'prompt-telemetry/react'
import { makeClient } from './helpers'

function Everything() {
  const t = useTelemetry()
  const pt = usePromptTelemetry({ visibleOnly: true })
  const ref = useImpressionRef(pt, 'a')
  const psr = usePsr({ promptId: 'a' })
  usePsrTrigger(psr)
  useEffect(() => pt.recordImpressions([{ promptId: 'a' }]), [pt])
  return (
    <div ref={ref} data-session={typeof t.context().sessionId}>
      {psr.visible ? 'open' : 'closed'}
      <PsrPrompt promptId="a" />
      <PsrPrompt promptId="a" enabled unstyled />
    </div>
  )
}

describe('server-side rendering', () => {
  it('runs with no DOM', () => {
    expect(typeof document).toBe('undefined')
    expect(typeof window).toBe('undefined')
  })

  it('renders every component and hook with renderToString, inside a provider', () => {
    const { client, seen } = makeClient()
    const html = renderToString(
      <TelemetryProvider client={client} features={{ psr: true }}>
        <Everything />
      </TelemetryProvider>,
    )
    expect(html).toContain('closed')
    expect(html).toContain('data-pt-psr')
    expect(seen).toEqual([]) // effects do not run on the server
  })

  it('renders with options instead of a client, and with a pending features promise', () => {
    const html = renderToString(
      <TelemetryProvider options={{ sink: { send: async () => ({ ok: true }) } }} features={new Promise(() => {})}>
        <PsrPrompt promptId="a" />
      </TelemetryProvider>,
    )
    expect(html).toBe('')
  })

  it('renders without a provider', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(() => renderToString(<Everything />)).not.toThrow()
    warn.mockRestore()
  })

  it('exports only what the tests above render, plus plain values', () => {
    const rendered = [TelemetryProvider, useTelemetry, usePromptTelemetry, useImpressionRef, usePsr, usePsrTrigger, PsrPrompt] as unknown[]
    const plain = Object.entries(entry).filter(([, v]) => !rendered.includes(v))
    expect(plain.map(([k]) => k).sort()).toEqual(['canShowPsr', 'psrLabels', 'psrStyles', 'psrUrl'])
    expect(renderToString(createElement('style', null, entry.psrStyles))).toContain(':host')
  })
})
