import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../examples/ingest-server/src/index'
import { seedDemo } from '../../scripts/demo-seed'
import { launchChromium, type Chromium } from './harness/chromium'

const TOKEN = 'e2e-dashboard-token-0123456789'
const WRITE_KEY = 'e2e-dashboard-write-key'
const CHARTS = ['chart-events', 'chart-funnel', 'chart-psr', 'chart-latency', 'chart-cost', 'chart-errors']

let chrome: Chromium
let server: RunningServer
let page: Page
const problems: string[] = []
const refused: string[] = []

beforeAll(async () => {
  ;[chrome, server] = await Promise.all([
    launchChromium(),
    startServer({ port: 0, host: '127.0.0.1', writeKeys: [WRITE_KEY], serviceToken: TOKEN, logLevel: 'warn', rateLimitPerMinute: 100_000 }),
  ])
  page = await chrome.newPage()
  await page.setViewportSize({ width: 1440, height: 1000 })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  // Chromium logs every 4xx answer as a console error; those are checked one by one below.
  page.on('console', (m) => m.type() == 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console: ${m.text()}`))
  page.on('response', (r) => r.status() >= 400 && refused.push(`${r.status()} ${new URL(r.url()).pathname}`))
})
afterAll(async () => {
  await chrome?.close()
  await server?.close()
})

const ready = () => page.waitForFunction(() => document.body.dataset.state == 'ready', undefined, { timeout: 30_000 })
const column = (i: number) => page.$$eval(`#prompts tbody tr td:nth-child(${i + 1})`, (tds) => tds.map((td) => td.textContent ?? ''))
/** A number back from its display: 1,234 / 12.5% / 950 ms / 12.3 s / $0.0123. */
const num = (s: string) => (s == '–' ? null : Number(s.replace(/[^\d.-]/g, '')) * (s.endsWith(' s') ? 1000 : 1))
const focused = () => page.evaluate(() => ({ id: document.activeElement?.id, key: (document.activeElement?.closest('th') as HTMLElement | null)?.dataset.key }))
/**
 * Widths of the page at a 320 px screen (WCAG 1.4.10): `scrollWidth` must be no more than 320 nor
 * than `clientWidth` (the screen less a vertical scrollbar). Only wide tables scroll, in their own box.
 */
async function at320(shot: string) {
  await page.setViewportSize({ width: 320, height: 800 })
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  const width = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    // what is wider than the screen must be a table scrolling inside its own box
    sticksOut: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && !e.closest('.scroll'))
      .map((e) => `${e.tagName}#${e.id}.${e.className}`),
  }))
  // The whole page in a screen as tall as it is (a full-page shot would cut the scrollbar's width off).
  await page.setViewportSize({ width: 320, height: await page.evaluate(() => document.documentElement.scrollHeight) })
  mkdirSync('artifacts', { recursive: true })
  await page.screenshot({ path: `artifacts/${shot}` })
  await page.setViewportSize({ width: 1440, height: 1000 })
  return width
}
/** Role and name of the nodes under `selector` in Chromium's own accessibility tree. */
async function accessible(selector: string, role: string) {
  const cdp = await chrome.context.newCDPSession(page)
  try {
    const { root } = await cdp.send('DOM.getDocument')
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector })
    const { nodes } = await cdp.send('Accessibility.queryAXTree', { nodeId, role })
    return nodes.filter((n) => !n.ignored).map((n) => String(n.name?.value ?? ''))
  } finally {
    await cdp.detach()
  }
}

describe('the operator dashboard in Chromium', () => {
  it('asks for the service token, refuses a wrong one and shows the empty state of a new server', async () => {
    await page.goto(`${server.url}/dashboard`)
    await page.waitForFunction(() => document.body.dataset.state == 'login')
    expect(await page.isVisible('#login-form')).toBe(true)
    await page.fill('#token', 'not-the-token-at-all')
    await page.click('#login-form button[type=submit]')
    await page.waitForFunction(() => document.getElementById('login-error')!.textContent != '')
    expect(await page.textContent('#login-error')).toContain('not the service token')
    // The form is in the main landmark, and fits a 320 px screen.
    expect(await accessible('body', 'main')).toHaveLength(1)
    expect(await page.$eval('main', (m) => m.contains(document.getElementById('login-form')))).toBe(true)
    const login = await at320('login-320.png')
    expect(login.scrollWidth).toBeLessThanOrEqual(320)
    expect(login.scrollWidth).toBeLessThanOrEqual(login.clientWidth)
    expect(login.sticksOut).toEqual([])

    // Signing in with the keyboard hides the form: the focus goes to the dashboard's heading.
    await page.fill('#token', TOKEN)
    await page.press('#token', 'Enter')
    await ready()
    expect((await focused()).id).toBe('title')
    expect(await page.isVisible('#prompts-empty')).toBe(true)
    expect(await page.isVisible('#prompts')).toBe(false)
    expect(await page.textContent('#kpi-calls')).toBe('0')
    expect(await page.$eval('main', (m) => m.contains(document.getElementById('board')))).toBe(true)

    // No chart draws empty axes, and the funnel does not claim rates of nothing.
    for (const id of CHARTS) {
      expect(await page.isVisible(`#${id}`), id).toBe(false)
      expect(await page.textContent(`#${id}-empty`), id).toBe('No data for this range')
      expect(await page.isVisible(`#${id}-empty`), id).toBe(true)
    }
    expect(await page.textContent('#funnel-rates')).toBe('no impressions')
  })

  it('fills the table and every chart with seeded traffic after a refresh', async () => {
    const seeded = await seedDemo({ url: server.url, writeKey: WRITE_KEY, days: 14 })
    expect(seeded.llmCalls).toBeGreaterThan(50)
    await page.click('#refresh')
    await ready()
    expect(await page.isVisible('#prompts-empty')).toBe(false)
    expect(await page.$$eval('#prompts tbody tr', (rows) => rows.length)).toBeGreaterThan(3)
    expect(num((await page.textContent('#kpi-calls'))!)).toBe(seeded.llmCalls)

    for (const id of CHARTS) {
      const chart = await page.evaluate((id) => {
        const canvas = document.getElementById(id) as HTMLCanvasElement
        const c = (window as any).Chart.getChart(canvas)
        if (!c) return null
        const values = c.data.datasets.flatMap((d: { data: (number | null)[] }) => d.data).filter((v: number | null) => v != null)
        return { type: c.config.type, datasets: c.data.datasets.length, labels: c.data.labels.length, total: values.reduce((a: number, v: number) => a + v, 0), width: canvas.width, height: canvas.height }
      }, id)
      expect(chart, id).not.toBeNull()
      expect(chart!.total, `${id} has data`).toBeGreaterThan(0)
      expect(chart!.width * chart!.height, `${id} is drawn`).toBeGreaterThan(0)
    }
    // 14 days on every time axis
    for (const id of ['chart-events', 'chart-latency', 'chart-cost', 'chart-errors'])
      expect(await page.evaluate((id) => (window as any).Chart.getChart(document.getElementById(id)).data.labels.length, id)).toBe(14)

    // The models side by side, provider first, across the whole width without a scrollbar.
    const models = await page.evaluate(() => {
      const t = document.getElementById('t-models')!
      const box = t.parentElement!
      return { head: [...t.querySelectorAll('th')].map((th) => th.textContent!.trim()), scrolls: box.scrollWidth > box.clientWidth, rows: t.querySelectorAll('tbody tr').length }
    })
    expect(models.head.slice(0, 2)).toEqual([expect.stringContaining('Provider'), expect.stringContaining('Model')])
    expect(models.rows).toBeGreaterThan(0)
    expect(models.scrolls).toBe(false)

    mkdirSync('artifacts', { recursive: true })
    await page.screenshot({ path: 'artifacts/dashboard.png', fullPage: true })
  })

  it('gives every chart its numbers as a table the keyboard reaches', async () => {
    // Exact for counts; as exact as the display for the rest (whole ms, two digits of a cent).
    const tolerance: Record<string, (v: number) => number> = {
      'chart-latency': (v) => Math.max(0.5, v * 0.001),
      'chart-cost': (v) => Math.max(0.005, v * 0.05),
      'chart-errors': () => 0.005,
    }
    for (const id of CHARTS) {
      expect(await page.isVisible(`#${id}-empty`), id).toBe(false)
      expect(await page.isVisible(`#${id}-table`), `${id} table starts closed`).toBe(false)
      await page.focus(`#${id}-table >> xpath=ancestor::details/summary`)
      await page.keyboard.press('Enter')
      expect(await page.isVisible(`#${id}-table`), `${id} table opens from the keyboard`).toBe(true)
      const t = await page.evaluate((id) => {
        const c = (window as any).Chart.getChart(document.getElementById(id))
        const table = document.getElementById(`${id}-table`) as HTMLTableElement
        return {
          labels: c.data.labels as string[],
          datasets: c.data.datasets.map((d: { label: string; data: (number | null)[] }) => ({ label: d.label, data: d.data })) as { label: string; data: (number | null)[] }[],
          head: [...table.tHead!.rows[0]!.cells].map((th) => th.textContent!),
          rows: [...table.tBodies[0]!.rows].map((r) => [...r.cells].map((td) => td.textContent!)),
          name: document.getElementById(table.getAttribute('aria-labelledby')!)?.textContent,
          caption: table.closest('figure')!.querySelector('figcaption')!.textContent,
        }
      }, id)
      expect(t.caption, id).toContain(t.name)
      expect(t.head.slice(1), id).toEqual(t.datasets.map((d) => d.label))
      expect(t.rows.map((r) => r[0]), id).toEqual(t.labels)
      let cells = 0
      for (const [j, d] of t.datasets.entries())
        for (const [i, v] of d.data.entries()) {
          const cell = t.rows[i]![j + 1]!
          if (v == null) expect(cell, `${id} ${d.label} ${t.labels[i]}`).toBe('–')
          else {
            expect(Math.abs(num(cell)! - v), `${id} ${d.label} ${t.labels[i]}: ${cell} for ${v}`).toBeLessThanOrEqual(tolerance[id]?.(Math.abs(v)) ?? 0)
            if (v > 0) cells++
          }
        }
      expect(cells, `${id} shows seeded numbers`).toBeGreaterThan(0)
    }
    // with their units
    expect(await page.$eval('#chart-latency-table tbody td:nth-child(2)', (td) => td.textContent)).toMatch(/ m?s$/)
    expect(await page.$$eval('#chart-cost-table tbody td:nth-child(2)', (tds) => tds.map((td) => td.textContent).filter((v) => v != '–'))).toEqual(expect.arrayContaining([expect.stringMatching(/^\$/)]))
    expect(await page.$eval('#chart-errors-table tbody td:nth-child(2)', (td) => td.textContent)).toMatch(/%$|^–$/)
    // the same ratings as the key figure under "Average PSR"
    const ratings = await page.$$eval('#chart-psr-table tbody td:nth-child(2)', (tds) => tds.reduce((a, td) => a + Number(td.textContent!.replace(/,/g, '')), 0))
    expect(`${ratings.toLocaleString('en-US')} ratings`).toBe(await page.textContent('#kpi-psr-n'))
    expect(await page.textContent('#funnel-rates')).toMatch(/^selection [\d.]+% · completion [\d.]+%$/)
  })

  it('names every table and sort button for assistive technology', async () => {
    const tables = await accessible('#board', 'table')
    expect(tables).toHaveLength(13)
    expect(tables.filter((n) => n.trim() == '')).toEqual([])
    expect(tables).toEqual(
      expect.arrayContaining(['Models', 'Errors by type and step', 'Latency per step', 'Top users by cost', 'Top query fingerprints', 'Ingest: accepted and rejected', 'Events over time', 'Suggestion funnel']),
    )
    const buttons = await accessible('#prompts thead', 'button')
    expect(buttons).toEqual(await page.$$eval('#prompts thead th button', (bs) => bs.map((b) => b.textContent!)))
    expect(buttons).toContain('Impressions')
    expect(buttons.filter((n) => /[↕▲▼]/.test(n))).toEqual([])
    expect(await accessible('body', 'main')).toHaveLength(1)
  })

  it('fits a 320 px screen without scrolling sideways', async () => {
    const board = await at320('dashboard-320.png')
    expect(board.scrollWidth).toBeLessThanOrEqual(320)
    expect(board.scrollWidth).toBeLessThanOrEqual(board.clientWidth)
    expect(board.sticksOut).toEqual([])
    await page.screenshot({ path: 'artifacts/dashboard-1440.png', fullPage: true })
  })

  it('keeps the keyboard focus where it was when the table is sorted or the page refreshed', async () => {
    for (const key of ['selections', 'prompt_id', 'selections']) {
      await page.focus(`#prompts thead th[data-key="${key}"] button`)
      const before = await page.getAttribute(`#prompts thead th[data-key="${key}"]`, 'aria-sort')
      await page.keyboard.press('Enter')
      await page.waitForFunction((key) => document.querySelector(`#prompts thead th[data-key="${key}"]`)!.getAttribute('aria-sort') != 'none', key)
      await ready()
      expect(await page.getAttribute(`#prompts thead th[data-key="${key}"]`, 'aria-sort')).not.toBe(before)
      expect(await focused(), `focus after sorting by ${key}`).toEqual({ id: '', key })
    }

    await page.focus('#refresh')
    await page.keyboard.press('Enter')
    const during = await page.evaluate(() => ({ state: document.body.dataset.state, id: document.activeElement?.id, busy: document.getElementById('refresh')!.getAttribute('aria-disabled') }))
    expect(during.id).toBe('refresh')
    if (during.state == 'loading') expect(during.busy).toBe('true')
    await ready()
    expect((await focused()).id).toBe('refresh')
    expect(await page.getAttribute('#refresh', 'aria-disabled')).toBeNull()
  })

  it('moves the focus to the sign-in form on signing out, and back to the dashboard on signing in', async () => {
    await page.focus('#logout')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.body.dataset.state == 'login')
    expect((await focused()).id).toBe('login-title')
    await page.fill('#token', TOKEN)
    await page.press('#token', 'Enter')
    await ready()
    expect((await focused()).id).toBe('title')
  })

  it('sorts the prompt table by every column, both ways, and says so to assistive technology', async () => {
    const headers = await page.$$eval('#prompts thead th', (ths) => ths.map((th) => th.dataset.key!))
    expect(headers).toHaveLength(11)
    for (const [i, key] of headers.entries()) {
      for (const order of ['first', 'second']) {
        await page.click(`#prompts thead th[data-key="${key}"] button`)
        await ready()
        const sort = await page.getAttribute(`#prompts thead th[data-key="${key}"]`, 'aria-sort')
        expect(['ascending', 'descending'], `${key} ${order}`).toContain(sort)
        const raw = await column(i)
        const values = key == 'prompt_id' || key == 'last_surfaced' ? raw.filter((v) => v != '–') : raw.map(num).filter((v) => v != null)
        const sorted = [...values].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0))
        expect(values, `${key} ${sort}`).toEqual(sort == 'ascending' ? sorted : sorted.reverse())
        // every other header is back to unsorted
        expect(await page.$$eval('#prompts thead th[aria-sort="none"]', (ths) => ths.length)).toBe(10)
      }
    }
  })

  it('filters the table and the funnel by lens', async () => {
    const all = await page.evaluate(() => (window as any).Chart.getChart(document.getElementById('chart-funnel')).data.datasets[0].data[0])
    const lenses = await page.$$eval('#lens option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean))
    expect(lenses.length).toBeGreaterThan(1)
    const asked = page.waitForRequest((r) => r.url().includes('/reports/prompt-performance') && r.url().includes(`lens=${lenses[0]}`))
    await page.selectOption('#lens', lenses[0]!)
    await asked
    await ready()
    const one = await page.evaluate(() => (window as any).Chart.getChart(document.getElementById('chart-funnel')).data.datasets[0].data[0])
    expect(one).toBeGreaterThan(0)
    expect(one).toBeLessThan(all)
    await page.selectOption('#lens', '')
    await ready()
  })

  // Answers for an older choice that arrive late are dropped: they overwrote the newer ones, and
  // the selector said 90 days while the figures were the 7 days'.
  it('shows the last range and lens chosen, whatever order the answers come in', async () => {
    const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10)
    const slow = async (route: import('playwright-core').Route) => (await new Promise((r) => setTimeout(r, 1500)), route.continue())
    const week = (u: URL) => u.searchParams.get('from') == day(6)
    await page.route(week, slow)
    const calls90 = await page.evaluate(async (from) => {
      const r = await fetch(`/reports/llm-error-rate?from=${from}&to=${new Date().toISOString().slice(0, 10)}`)
      return (await r.json()).rows.reduce((a: number, x: { calls: number }) => a + x.calls, 0)
    }, day(89))
    await page.selectOption('#range', '7')
    await page.selectOption('#range', '90')
    await ready()
    await new Promise((r) => setTimeout(r, 2500)) // the 7 days' answers have come by now
    expect(num((await page.textContent('#kpi-calls'))!)).toBe(calls90)
    expect(await page.evaluate(() => (window as any).Chart.getChart(document.getElementById('chart-events')).data.labels.length)).toBe(90)
    await page.unroute(week, slow)

    const lenses = await page.$$eval('#lens option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean))
    const impressions = (lens: string) =>
      page.evaluate(async ([lens, from]) => {
        const r = await fetch(`/reports/funnel?from=${from}&to=${new Date().toISOString().slice(0, 10)}&lens=${lens}`)
        return (await r.json()).rows[0]?.impressions ?? 0
      }, [lens, day(89)] as const)
    const [first, second] = [lenses[0]!, lenses[1]!]
    const want = await impressions(second)
    expect(want).not.toBe(await impressions(first))
    const late = (u: URL) => u.searchParams.get('lens') == first
    await page.route(late, slow)
    await page.selectOption('#lens', first)
    await page.selectOption('#lens', second)
    await ready()
    await new Promise((r) => setTimeout(r, 2500))
    expect(await page.evaluate(() => (window as any).Chart.getChart(document.getElementById('chart-funnel')).data.datasets[0].data[0])).toBe(want)
    await page.unroute(late, slow)
    await page.selectOption('#lens', '')
    await page.selectOption('#range', '14')
    await ready()
  })

  it('raised no script error and no content-security-policy violation, and was refused only before signing in', () => {
    expect(problems).toEqual([])
    expect(refused).toEqual(['401 /auth/me', '403 /auth/operator-login'])
  })
})
