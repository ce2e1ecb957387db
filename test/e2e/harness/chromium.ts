import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export interface Chromium {
  browser: Browser
  context: BrowserContext
  /** A page in a new tab of the same window. */
  newPage(): Promise<Page>
  /**
   * Makes `page` really hidden the way a user does: another tab comes to the front of its
   * window. Returns a function that closes that tab, which makes `page` visible again.
   */
  coverWithTab(): Promise<() => Promise<void>>
  close(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Starts Debian's Chromium on a fresh profile and attaches Playwright over CDP.
 *
 * Chromium is spawned here rather than by `chromium.launch()` for two reasons: Playwright's
 * launch adds --disable-back-forward-cache, and its default context turns on focus emulation,
 * which marks every page as being captured and so keeps it visible forever. Attached with
 * `noDefaults`, pages go hidden behind another tab and are restored from the bfcache, as in a
 * user's browser.
 */
export async function launchChromium(): Promise<Chromium> {
  const dir = mkdtempSync(join(tmpdir(), 'pt-e2e-'))
  const proc: ChildProcess = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${dir}`, '--remote-debugging-port=0', 'about:blank'], { stdio: 'ignore' })
  const portFile = join(dir, 'DevToolsActivePort')
  const until = Date.now() + 20_000
  while (!existsSync(portFile) || !readFileSync(portFile, 'utf8').includes('\n')) {
    if (Date.now() > until || proc.exitCode != null) throw new Error(`Chromium did not start (${CHROMIUM})`)
    await sleep(50)
  }
  const port = readFileSync(portFile, 'utf8').split('\n')[0]
  const devtools = `http://127.0.0.1:${port}`
  const browser = await chromium.connectOverCDP(devtools, { noDefaults: true, isLocal: true })
  const context = browser.contexts()[0]!
  return {
    browser,
    context,
    async newPage() {
      const opened = context.waitForEvent('page')
      await fetch(`${devtools}/json/new?about:blank`, { method: 'PUT' })
      return opened
    },
    async coverWithTab() {
      const res = await fetch(`${devtools}/json/new?about:blank`, { method: 'PUT' })
      const { id } = (await res.json()) as { id: string }
      return async () => void (await fetch(`${devtools}/json/close/${id}`))
    },
    async close() {
      await browser.close().catch(() => {})
      proc.kill()
      await new Promise((r) => (proc.exitCode != null ? r(null) : proc.once('exit', r)))
      // Chromium's helper processes may still be writing the profile for a moment after it exits.
      for (let i = 0; i < 20; i++)
        try {
          return rmSync(dir, { recursive: true, force: true })
        } catch {
          await sleep(100)
        }
    },
  }
}
