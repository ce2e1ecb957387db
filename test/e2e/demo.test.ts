import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { launchChromium, type Chromium } from './harness/chromium'

// `npm run demo` as the README has a newcomer run it: every page it links sends what it tracks.
const repo = fileURLToPath(new URL('../..', import.meta.url))
let demo: ChildProcess
let url: string
let chrome: Chromium

beforeAll(async () => {
  demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: repo,
    env: { ...process.env, PORT: '0', DATA_DIR: 'memory', DEMO_SEED: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  url = await new Promise<string>((ok, no) => {
    let out = ''
    demo.stdout!.on('data', (d) => {
      out += d
      const m = /demo on (http:\/\/[\d.:]+)\/ +\(PGlite data in memory/.exec(out)
      if (m) ok(m[1]!)
    })
    demo.on('exit', (code) => no(new Error(`the demo exited (${code}) before it was up:\n${out}`)))
  })
  chrome = await launchChromium()
})
afterAll(async () => {
  await chrome?.close()
  demo?.kill('SIGTERM')
})

it('links pages that all deliver: the React app gets the write key it needs', async () => {
  const index = await (await fetch(url + '/')).text()
  const links = [...index.matchAll(/href="(\/examples\/[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))
  expect(links).toEqual(expect.arrayContaining(['/examples/basic/', '/examples/react-app/?key=pk_demo_write_key']))
  const page = await chrome.newPage()
  const answers: number[] = []
  page.on('response', (r) => r.url().includes('/telemetry/events') && answers.push(r.status()))
  await page.goto(url + links.find((l) => l.startsWith('/examples/react-app/')))
  await page.getByRole('button', { name: 'Copy' }).first().click()
  for (let i = 0; i < 100 && !answers.length; i++) await page.waitForTimeout(100) // the 5 s flush at the latest
  expect(answers.length).toBeGreaterThan(0)
  expect(answers.every((s) => s == 200)).toBe(true) // 401 without the key
  await page.close()
})
