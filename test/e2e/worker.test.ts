import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { chromiumAndStack } from './harness/suite'

const env = chromiumAndStack()

/** Starts a worker on a fresh page, asks it to track `n` events, and returns its stats() and errors. */
async function inWorker(script: string, type: 'classic' | 'module', o: { sessionId: string; n: number; flush: boolean }) {
  const page = await env.chrome.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(`${env.stack.url}/e2e/worker.html`)
  const stats = await page.evaluate(
    ({ script, type, o }) =>
      new Promise((resolve, reject) => {
        const w = new Worker(script, { type })
        w.onmessage = (e) => resolve(e.data)
        w.onerror = (e) => reject(new Error(`worker: ${e.message}`))
        w.postMessage(o)
      }),
    { script: `/e2e/${script}`, type, o },
  )
  return { page, stats, errors }
}

describe('in a Web Worker', () => {
  it('the script-tag build loads with importScripts and delivers', async () => {
    const sessionId = `e2e-worker-classic-${randomUUID()}`
    const { page, stats, errors } = await inWorker('worker-classic.js', 'classic', { sessionId, n: 3, flush: true })
    expect(stats).toMatchObject({ sent: 3, failed: 0, queued: 0, rejected: 0 })
    expect((await env.stack.waitForEvents(sessionId, 3)).map((r) => r.prompt_id)).toEqual(['classic-0', 'classic-1', 'classic-2'])
    expect(errors).toEqual([])
    await page.close()
  })

  it('the ESM build flushes on its own timer, with no idle callback and no document', async () => {
    const sessionId = `e2e-worker-module-${randomUUID()}`
    const { page, stats, errors } = await inWorker('worker-module.js', 'module', { sessionId, n: 2, flush: false })
    expect(stats).toMatchObject({ queued: 2, sent: 0 })
    const rows = await env.stack.waitForEvents(sessionId, 2, 15_000) // the 5 s flush timer
    expect(rows.map((r) => r.prompt_id)).toEqual(['module-0', 'module-1'])
    expect(env.stack.wire.sent(sessionId)).toHaveLength(2) // each once
    expect(errors).toEqual([])
    await page.close()
  })
})
