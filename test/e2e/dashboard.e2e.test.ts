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

describe('the operator dashboard in Chromium', () => {
  it('asks for the service token, refuses a wrong one and shows the empty state of a new server', async () => {
    await page.goto(`${server.url}/dashboard`)
    await page.waitForFunction(() => document.body.dataset.state == 'login')
    expect(await page.isVisible('#login-form')).toBe(true)
    await page.fill('#token', 'not-the-token-at-all')
    await page.click('#login-form button[type=submit]')
    await page.waitForFunction(() => document.getElementById('login-error')!.textContent != '')
    expect(await page.textContent('#login-error')).toContain('not the service token')

    await page.fill('#token', TOKEN)
    await page.click('#login-form button[type=submit]')
    await ready()
    expect(await page.isVisible('#prompts-empty')).toBe(true)
    expect(await page.isVisible('#prompts')).toBe(false)
    expect(await page.textContent('#kpi-calls')).toBe('0')
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

  it('raised no script error and no content-security-policy violation, and was refused only before signing in', () => {
    expect(problems).toEqual([])
    expect(refused).toEqual(['401 /auth/me', '403 /auth/operator-login'])
  })
})
