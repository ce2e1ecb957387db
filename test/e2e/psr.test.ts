import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, type Chromium } from './harness/chromium'
import { focused, tabUntil } from './harness/keyboard'
import { sleep } from './harness/pages'
import { openWidget } from './harness/psr-widget'
import { startStack, WRITE_KEY, type Row, type Stack } from './harness/stack'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const artifacts = `${repo}artifacts`
const reactDir = `${repo}examples/react-app`

let chrome: Chromium
let stack: Stack
beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true })
  // The React example is built from this checkout's source, as the demo does.
  if (existsSync(`${reactDir}/vite.config.ts`)) {
    const r = spawnSync(process.execPath, [`${repo}node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'warn'], { cwd: reactDir, stdio: 'inherit' })
    if (r.status !== 0) throw new Error('examples/react-app did not build')
  }
  ;[chrome, stack] = await Promise.all([launchChromium(), startStack()])
})
afterAll(async () => {
  await chrome?.close()
  await stack?.close()
})

const sessionOf = (page: Page) => page.evaluate(() => sessionStorage.getItem('pt:sid')!)
const named = (rows: Row[], name: string) => rows.filter((r) => r.event == name)

/** Waits until the session's stored events include `n` of `name`. */
async function waitForNamed(sid: string, name: string, n: number) {
  const until = Date.now() + 15_000
  for (;;) {
    const rows = await stack.events(sid)
    if (named(rows, name).length >= n || Date.now() > until) return rows
    await sleep(100)
  }
}

const builds = [
  // `ready`: the widget's host is on the page (React renders it once features.psr is known).
  { name: 'vanilla', path: '/examples/vanilla-html/', copy: 'Copy', ready: '.psr' },
  { name: 'react', path: `/examples/react-app/?key=${WRITE_KEY}`, copy: 'Copy', ready: '[data-pt-psr]' },
]

describe.each(builds)('the PSR widget of the $name example, keyboard only', ({ name, path, copy, ready }) => {
  it('rates with Tab, arrow keys and typing, announces success, and is not shown again that day', async (ctx) => {
    if (name == 'react' && !stack.hasReactApp) return ctx.skip()
    const page = await chrome.newPage()
    await page.goto(stack.url + path)
    await page.waitForSelector(ready, { state: 'attached' })
    const sid = await sessionOf(page)

    // Tab to the first Copy button and press Enter: the widget opens, focus stays put.
    await tabUntil(page, (f) => f.tag == 'button' && f.label == copy)
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => !!document.querySelector('[data-open]'))
    expect(await focused(page)).toMatchObject({ tag: 'button', host: null })
    const opened = (await openWidget(page))!
    expect(opened).toMatchObject({ formHidden: false, checked: null, live: 'polite', status: 'How well did this prompt work?' })

    // Into the widget: the first star, then arrows choose without submitting.
    const first = await tabUntil(page, (f) => f.host == opened.hostId || (f.host != null && f.tag == 'input'))
    expect(first).toMatchObject({ tag: 'input', label: '1 of 5 stars' })
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowLeft']) await page.keyboard.press(key)
    expect(await openWidget(page)).toMatchObject({ checked: '4 of 5 stars', starsOn: 4, formHidden: false })

    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ tag: 'textarea' })
    const note = `Clear and short, worked first time (${name})`
    await page.keyboard.type(note)
    expect(await openWidget(page)).toMatchObject({ note, counter: `${note.length} of 280 characters` })
    await page.locator('[data-open]').screenshot({ path: `${artifacts}/psr-${name}.png` })

    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ tag: 'button', label: 'Send rating' })
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.querySelector('[data-open]')?.shadowRoot?.querySelector('[role=status]')?.textContent == 'Thanks! Your rating was saved.')
    await page.locator('[data-open]').screenshot({ path: `${artifacts}/psr-${name}-thanks.png` })

    // Stored: the rating by POST /psr, and the events of the session, each once.
    const rows = await waitForNamed(sid, 'psr.submitted', 1)
    const promptId = named(rows, 'psr.shown')[0]!.prompt_id!
    expect(await stack.psrRatings(promptId)).toEqual([{ rating: 4, note, source: 'copy' }])
    expect(named(rows, 'prompt_copied')).toHaveLength(1)
    expect(named(rows, 'psr.shown')).toHaveLength(1)
    expect(named(rows, 'psr.submitted').map((r) => r.attributes)).toEqual([expect.objectContaining({ rating: 4, has_note: true, source: 'copy' })])

    // The toast closes by itself; a copy of the same prompt after a reload shows nothing.
    await page.waitForFunction(() => !document.querySelector('[data-open]'), undefined, { timeout: 10_000 })
    await page.reload()
    await page.waitForSelector(ready, { state: 'attached' })
    await tabUntil(page, (f) => f.tag == 'button' && f.label == copy)
    await page.keyboard.press('Enter')
    const again = await waitForNamed(sid, 'prompt_copied', 2)
    expect(named(again, 'prompt_copied').map((r) => r.prompt_id)).toEqual([promptId, promptId])
    await sleep(500)
    expect(await page.evaluate(() => !!document.querySelector('[data-open]'))).toBe(false)
    expect(named(await stack.events(sid), 'psr.shown')).toHaveLength(1)
    const today = new Date().toISOString().slice(0, 10)
    expect(await page.evaluate((id) => localStorage.getItem(`psr:last:${id}`), promptId)).toBe(today)
    await page.close()
  })
})

describe('the PSR widget of the vanilla example', () => {
  it('closes on Escape from inside the widget and tracks psr.dismissed, without taking focus when it opened', async () => {
    const page = await chrome.newPage()
    await page.goto(`${stack.url}/examples/vanilla-html/`)
    await page.waitForLoadState('load')
    const sid = await sessionOf(page)
    await tabUntil(page, (f) => f.tag == 'button' && f.label == 'Copy as JSON')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => !!document.querySelector('[data-open]'))
    expect(await focused(page)).toMatchObject({ tag: 'button', host: null })
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatchObject({ host: 'psr-unit-tests', label: '1 of 5 stars' })
    await page.keyboard.press('Escape')
    await page.waitForFunction(() => !document.querySelector('[data-open]'))
    const rows = await waitForNamed(sid, 'psr.dismissed', 1)
    expect(named(rows, 'psr.dismissed').map((r) => r.prompt_id)).toEqual(['unit-tests'])
    expect(await stack.psrRatings('unit-tests')).toEqual([])
    await page.close()
  })

  it('is fully styled under a Content-Security-Policy without unsafe-inline styles', async () => {
    const page = await chrome.newPage()
    const violations: string[] = []
    page.on('console', (m) => m.text().includes('Content Security Policy') && violations.push(m.text()))
    await page.setContent(`<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; script-src 'unsafe-inline'"><div id="psr"></div>`)
    await page.addScriptTag({ content: readFileSync(`${repo}dist/prompt-telemetry.global.js`, 'utf8') })
    const color = await page.evaluate(() => {
      const P = (window as unknown as { PromptTelemetry: { init(o: object): unknown; mountPsrPrompt(el: Element, o: object): unknown } }).PromptTelemetry
      P.init({ sink: { send: async () => ({ ok: true }) } })
      const host = document.getElementById('psr')!
      const m = P.mountPsrPrompt(host, { enabled: true, promptId: 'p-csp', trigger: false }) as { psr: { open(): boolean } }
      m.psr.open()
      const star = host.shadowRoot!.querySelector('.pt-psr__star')!
      return getComputedStyle(star).color
    })
    expect(color).toBe('rgb(140, 149, 159)') // the stylesheet's #8c959f, not the page's default
    expect(violations).toEqual([])
    await page.close()
  })

  it('keeps its look whatever the page sets on its host, and outlines its buttons in forced colours', async () => {
    const page = await chrome.newPage()
    await page.setContent(`<!doctype html><style>div { text-transform: uppercase; letter-spacing: 3px; font-style: italic; cursor: wait } * { word-spacing: 20px }</style><div id="psr"></div>`)
    await page.addScriptTag({ content: readFileSync(`${repo}dist/prompt-telemetry.global.js`, 'utf8') })
    const look = () =>
      page.evaluate(() => {
        const host = document.getElementById('psr')!
        const legend = host.shadowRoot!.querySelector('legend')!
        const send = host.shadowRoot!.querySelector('.pt-psr__submit')!
        const l = getComputedStyle(legend)
        const b = getComputedStyle(send)
        return { transform: l.textTransform, spacing: l.letterSpacing, style: l.fontStyle, words: l.wordSpacing, border: b.borderTopStyle }
      })
    await page.evaluate(() => {
      const P = (window as unknown as { PromptTelemetry: { init(o: object): unknown; mountPsrPrompt(el: Element, o: object): unknown } }).PromptTelemetry
      P.init({ sink: { send: async () => ({ ok: true }) } })
      const m = P.mountPsrPrompt(document.getElementById('psr')!, { enabled: true, promptId: 'p-leak', trigger: false }) as { psr: { open(): boolean } }
      m.psr.open()
    })
    expect(await look()).toMatchObject({ transform: 'none', spacing: 'normal', style: 'normal', words: '0px', border: 'none' })
    await page.emulateMedia({ forcedColors: 'active' })
    expect((await look()).border).toBe('solid') // Send stays a visible button
    await page.close()
  })

  it('shows nothing with the features.psr flag off', async () => {
    const page = await chrome.newPage()
    await page.goto(`${stack.url}/examples/vanilla-html/?psr=off`)
    await page.waitForLoadState('load')
    const sid = await sessionOf(page)
    await tabUntil(page, (f) => f.tag == 'button' && f.label == 'Copy')
    await page.keyboard.press('Enter')
    const rows = await waitForNamed(sid, 'prompt_copied', 1)
    expect(named(rows, 'prompt_copied')).toHaveLength(1)
    expect(await page.evaluate(() => document.querySelectorAll('[data-open]').length)).toBe(0)
    expect(named(rows, 'psr.shown')).toHaveLength(0)
    await page.close()
  })
})
