import { randomUUID } from 'node:crypto'
import type { Page } from 'playwright-core'
import type { Chromium } from './chromium'
import { WRITE_KEY, type Stack } from './stack'

export type Build = 'esm' | 'iife'

/** Opens a test page of one build in a new tab with a session of its own. */
export async function openTestPage(chrome: Chromium, stack: Stack, build: Build, params: Record<string, string | number> = {}) {
  const sid = `e2e-${build}-${randomUUID()}`
  const q = new URLSearchParams({ sid, key: WRITE_KEY, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) })
  const page = await chrome.newPage()
  await page.goto(`${stack.url}/e2e/${build}.html?${q}`)
  await page.waitForFunction(() => (window as any).ready === true)
  return { page, sid }
}

/** Tracks `n` prompt_copied events with prompt ids `${prefix}-0` ... in the page. */
export function trackCopies(page: Page, n: number, prefix: string) {
  return page.evaluate(
    ([n, prefix]) => {
      for (let i = 0; i < n; i++) (window as any).t.track('prompt_copied', { prompt_id: `${prefix}-${i}`, variant: 'body', source: 'card' })
      return (window as any).t.stats()
    },
    [n, prefix] as const,
  )
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
