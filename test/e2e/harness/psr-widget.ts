import type { Page } from 'playwright-core'

/** The open PSR widget (its host carries data-open), read through its shadow root. */
export function openWidget(page: Page) {
  return page.evaluate(() => {
    const host = document.querySelector('[data-open]')
    const root = host?.shadowRoot
    if (!host || !root) return null
    const form = root.querySelector('form')!
    return {
      hostId: host.id,
      formHidden: form.hidden,
      checked: root.querySelector<HTMLInputElement>('input[type=radio]:checked')?.getAttribute('aria-label') ?? null,
      starsOn: root.querySelectorAll('[data-on]').length,
      note: root.querySelector('textarea')!.value,
      counter: root.querySelector('.pt-psr__counter')!.textContent,
      status: root.querySelector('[role=status]')!.textContent,
      live: root.querySelector('[role=status]')!.getAttribute('aria-live'),
    }
  })
}
