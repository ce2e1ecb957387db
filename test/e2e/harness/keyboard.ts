import type { Page } from 'playwright-core'

/** What has focus, looking through shadow roots: tag, accessible label or text, and its host. */
export function focused(page: Page) {
  return page.evaluate(() => {
    let el = document.activeElement
    let host: Element | null = null
    while (el?.shadowRoot?.activeElement) (host = el), (el = el.shadowRoot.activeElement)
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      label: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '',
      host: host ? (host.id || host.getAttribute('class') || host.tagName.toLowerCase()) : null,
      checked: (el as HTMLInputElement | null)?.checked ?? false,
    }
  })
}

/** Presses Tab until `want` holds for the focused element (at most `max` presses). */
export async function tabUntil(page: Page, want: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    const f = await focused(page)
    if (want(f)) return f
  }
  throw new Error(`Tab never reached the element (last: ${JSON.stringify(await focused(page))})`)
}
