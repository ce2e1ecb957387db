import { describe, expect, it, vi } from 'vitest'
import { createPsr, onPsrTrigger } from '../../src/psr'
import { testClient } from './setup'

describe('onPsrTrigger', () => {
  it('opens after prompt_copied with the prompt and version', () => {
    const { client } = testClient()
    const open = vi.fn()
    onPsrTrigger(client, {}, open)
    client.track('prompt_copied', { prompt_id: 'p1', version: '7', variant: 'body', source: 'card' })
    expect(open).toHaveBeenCalledWith({ promptId: 'p1', version: '7', source: 'copy' })
  })

  it('ignores duplicates unless asked, and other prompts when bound to one', () => {
    const { client } = testClient()
    const open = vi.fn()
    const stop = onPsrTrigger(client, { promptId: 'p2', on: ['prompt_copied', 'prompts.duplicate'] }, open)
    client.track('prompt_copied', { prompt_id: 'p1', variant: 'body', source: 'card' })
    client.track('prompts.duplicate', { prompt_id: 'p2' })
    expect(open).toHaveBeenCalledExactlyOnceWith({ promptId: 'p2', source: 'duplicate' })
    stop()
    client.track('prompts.duplicate', { prompt_id: 'p2' })
    expect(open).toHaveBeenCalledOnce()
    const other = vi.fn()
    onPsrTrigger(client, {}, other)
    client.track('prompts.duplicate', { prompt_id: 'p2' })
    expect(other).not.toHaveBeenCalled()
  })

  it('drives a controller: copy opens it once a day', () => {
    const { client, seen } = testClient()
    const psr = createPsr({ client, enabled: true })
    onPsrTrigger(client, {}, psr.open)
    client.track('prompt_copied', { prompt_id: 'p1', variant: 'body', source: 'card' })
    psr.dismiss()
    client.track('prompt_copied', { prompt_id: 'p1', variant: 'json', source: 'detail' })
    expect(seen.filter((e) => e.event == 'psr.shown')).toHaveLength(1)
  })
})
