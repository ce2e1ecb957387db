import { describe, expect, it } from 'vitest'
import { openTestPage, sleep, trackCopies, type Build } from './harness/pages'
import { chromiumAndStack } from './harness/suite'

const env = chromiumAndStack()

const ids = (rows: { prompt_id: string | null }[]) => rows.map((r) => r.prompt_id).sort()
const expected = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`).sort()

/** Nothing left before the action: the events are only in the page's queue. */
async function queuedOnly(sid: string, stats: { queued: number; sent: number }, n: number) {
  expect(stats).toMatchObject({ queued: n, sent: 0 })
  expect(await env.stack.events(sid)).toHaveLength(0)
}

/** All `n` arrived, and after a pause still exactly `n`. */
async function allArrived(sid: string, prefix: string, n: number) {
  const rows = await env.stack.waitForEvents(sid, n)
  expect(ids(rows)).toEqual(expected(prefix, n))
  await sleep(300)
  expect(await env.stack.events(sid)).toHaveLength(n)
}

describe.each<Build>(['esm', 'iife'])('%s build in Chromium', (build) => {
  it('delivers events tracked just before the tab is closed', async () => {
    const { page, sid } = await openTestPage(env.chrome, env.stack, build)
    await queuedOnly(sid, await trackCopies(page, 7, 'close'), 7)
    await page.close()
    await allArrived(sid, 'close', 7)
  })

  it('delivers events tracked just before a navigation to another origin', async () => {
    env.stack.other.pages.set('/landing', '<!doctype html><title>elsewhere</title><p>another origin</p>')
    const { page, sid } = await openTestPage(env.chrome, env.stack, build)
    await queuedOnly(sid, await trackCopies(page, 5, 'nav'), 5)
    await page.goto(`${env.stack.other.url}/landing`)
    expect(new URL(page.url()).origin).not.toBe(new URL(env.stack.url).origin)
    await allArrived(sid, 'nav', 5)
    await page.close()
  })

  it('delivers events tracked just before the page goes hidden behind another tab', async () => {
    const { page, sid } = await openTestPage(env.chrome, env.stack, build)
    await queuedOnly(sid, await trackCopies(page, 6, 'hide'), 6)
    const uncover = await env.chrome.coverWithTab()
    await page.waitForFunction(() => document.visibilityState == 'hidden')
    await allArrived(sid, 'hide', 6)
    await uncover()
    await page.close()
  })

  // A flush starts at ~32 KB queued, so such a queue forms only within one task: here the page
  // is made hidden in the same task that tracked (the document's state stands in for the tab's;
  // the beacons, their quota and the fetches after it are the browser's own).
  it('splits a queue larger than one beacon (> 64 KB) and delivers all of it on page hide', async () => {
    const { page, sid } = await openTestPage(env.chrome, env.stack, build, { capacity: 500, batch: 500 })
    const n = 120
    const stats = await page.evaluate((n) => {
      const topic = (i: number, k: number) => `${'t'.repeat(58)}-${String(i).padStart(3, '0')}-${k}`.slice(0, 64)
      for (let i = 0; i < n; i++)
        (window as any).t.track('prompt.impression', {
          prompt_id: `big-${i}`,
          impression_id: `imp-${i}`,
          rank: i,
          active_topics: Array.from({ length: 20 }, (_, k) => topic(i, k)),
          active_moments: Array.from({ length: 20 }, (_, k) => topic(i, k + 20)),
        })
      const before = (window as any).t.stats()
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
      document.dispatchEvent(new Event('visibilitychange'))
      return before
    }, n)
    expect(stats).toMatchObject({ queued: n, sent: 0 })
    await allArrived(sid, 'big', n)
    const requests = env.stack.wire.requests(sid)
    expect(requests.reduce((sum, r) => sum + r.bytes, 0)).toBeGreaterThan(3 * 64 * 1024)
    expect(requests.length).toBeGreaterThan(3)
    expect(Math.max(...requests.map((r) => r.bytes))).toBeLessThanOrEqual(56 * 1024)
    expect(env.stack.wire.sent(sid)).toHaveLength(n)
    // Every answer read: the beacons counted at once, the fetches after the quota when answered.
    await page.waitForFunction((n) => (window as any).t.stats().sent == n, n)
    expect(await page.evaluate(() => (window as any).t.stats())).toMatchObject({ sent: n, queued: 0, failed: 0 })
    await page.close()
  })

  it('keeps working after pagehide (persisted) and a restore from the back/forward cache, without duplicates', async () => {
    env.stack.other.pages.set('/landing', '<!doctype html><title>elsewhere</title><p>another origin</p>')
    const { page, sid } = await openTestPage(env.chrome, env.stack, build)
    await trackCopies(page, 3, 'before')
    await page.goto(`${env.stack.other.url}/landing`)
    await env.stack.waitForEvents(sid, 3)
    await page.goBack({ waitUntil: 'commit' })
    await page.waitForFunction(() => (window as any).lifecycle?.includes('pageshow:true'))
    expect(await page.evaluate(() => (window as any).lifecycle)).toEqual(['pageshow:false', 'pagehide:true', 'hidden', 'visible', 'pageshow:true'])
    await page.evaluate(() => {
      for (let i = 0; i < 2; i++) (window as any).t.track('prompt_copied', { prompt_id: `after-${i}`, variant: 'json', source: 'detail' })
    })
    const uncover = await env.chrome.coverWithTab()
    const rows = await env.stack.waitForEvents(sid, 5)
    expect(ids(rows)).toEqual(['after-0', 'after-1', 'before-0', 'before-1', 'before-2'])
    await sleep(300)
    expect(await env.stack.events(sid)).toHaveLength(5)
    expect(env.stack.wire.sent(sid)).toHaveLength(5) // each event crossed the wire once
    await uncover()
    await page.close()
  })
})
