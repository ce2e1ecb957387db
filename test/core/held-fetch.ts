import type { Envelope } from '../../src/sinks/types'
import { deferred } from './fixtures'

export const ENDPOINT = 'http://127.0.0.1:9/telemetry/events'

export type Call = { init: RequestInit; bytes: number; answer: (r: Response) => void }
/** A fetch that holds every request until the test answers it, and aborts on its signal. */
export const heldFetch = () => {
  const calls: Call[] = []
  const fetch = (_url: RequestInfo | URL, init: RequestInit = {}) => {
    const d = deferred<Response>()
    calls.push({ init, bytes: Buffer.byteLength(String(init.body)), answer: d.resolve })
    return new Promise<Response>((resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
      d.promise.then(resolve)
    })
  }
  return { calls, fetch: fetch as typeof globalThis.fetch }
}
/** An envelope of one event whose JSON body weighs about `kb` kilobytes. */
export const weighing = (kb: number): Envelope => ({
  events: [{ id: crypto.randomUUID(), event: 'blob.sent', ts: 1, session_id: 's', data: 'd'.repeat(kb * 1000 - 150) }],
  sent_at: 1,
  dropped: 0,
  sdk: 'prompt-telemetry@test',
})
export const live = { unloading: false }
export const ok = () => new Response(null, { status: 204 })

