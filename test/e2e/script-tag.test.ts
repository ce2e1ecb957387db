import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { sleep } from './harness/pages'
import { snippetPage } from './harness/snippet'
import { chromiumAndStack } from './harness/suite'
import { WRITE_KEY } from './harness/stack'

const env = chromiumAndStack()

// Calls a page makes in its <head>, long before the async script can have run.
const early = (sid: string) => `
  PromptTelemetry.init({ sessionId: ${JSON.stringify(sid)} })
  PromptTelemetry.track('prompt_copied', { prompt_id: 'early-0', variant: 'body', source: 'card' })
  PromptTelemetry.track('auth.login.success', { method: 'sso' })
  PromptTelemetry.track('prompt_copied', { prompt_id: 'early-1', variant: 'json', source: 'detail' })
  PromptTelemetry.track('not.in.catalog', { x: 1 })
  PromptTelemetry.track('prompt_copied', { prompt_id: 'early-2', variant: 'body', source: 'card' })
  window.queuedBeforeLoad = PromptTelemetry.q.map(function (c) { return c[0] })`

describe('the script tag with the published snippet, on a page of another origin', () => {
  it('delivers the calls made before the script loaded, in order, with the SRI hash of the build', async () => {
    const sid = `e2e-snippet-${randomUUID()}`
    env.stack.other.pages.set('/snippet', snippetPage({ sdkUrl: `${env.stack.url}/sdk/prompt-telemetry.global.js`, endpoint: `${env.stack.url}/telemetry/events`, writeKey: WRITE_KEY, before: early(sid) }))
    const page = await env.chrome.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${env.stack.other.url}/snippet`)
    await page.waitForFunction(() => (window as any).PromptTelemetry.loaded === true)
    expect(await page.evaluate(() => (window as any).queuedBeforeLoad)).toEqual(['init', 'track', 'track', 'track', 'track', 'track'])
    await page.evaluate(() => (window as any).PromptTelemetry.flush())
    const rows = await env.stack.waitForEvents(sid, 4)
    expect(rows.map((r) => [r.event, r.prompt_id])).toEqual([
      ['prompt_copied', 'early-0'],
      ['auth.login.success', null],
      ['prompt_copied', 'early-1'],
      ['prompt_copied', 'early-2'],
    ])
    expect(await page.evaluate(() => (window as any).PromptTelemetry.stats())).toMatchObject({ rejected: 1, sent: 4 })
    expect(errors).toEqual([])
    await page.close()
  })

  it('keeps the page working when the script is blocked: the snippet calls never throw', async () => {
    const sid = `e2e-blocked-${randomUUID()}`
    env.stack.other.pages.set(
      '/blocked',
      snippetPage({
        sdkUrl: `${env.stack.url}/sdk/not-there.global.js`,
        endpoint: `${env.stack.url}/telemetry/events`,
        writeKey: WRITE_KEY,
        before: early(sid),
        after: `for (var i = 0; i < 2000; i++) PromptTelemetry.track('prompt_copied', { prompt_id: 'late' })
          PromptTelemetry.identify('u-1'); PromptTelemetry.mountPsrPrompt('#nowhere'); PromptTelemetry.flush()
          window.pageScriptFinished = true`,
      }),
    )
    const page = await env.chrome.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${env.stack.other.url}/blocked`, { waitUntil: 'load' })
    expect(await page.evaluate(() => (window as any).pageScriptFinished)).toBe(true)
    expect(await page.evaluate(() => [(window as any).PromptTelemetry.loaded, (window as any).PromptTelemetry.q.length])).toEqual([undefined, 1000])
    expect(errors).toEqual([])
    await sleep(300)
    expect(await env.stack.events(sid)).toHaveLength(0)
    await page.close()
  })

  it('refuses a build whose bytes do not match the integrity hash, and the page carries on', async () => {
    const sid = `e2e-sri-${randomUUID()}`
    const wrong = 'sha384-' + Buffer.alloc(48, 7).toString('base64')
    env.stack.other.pages.set('/tampered', snippetPage({ sdkUrl: `${env.stack.url}/sdk/prompt-telemetry.global.js`, endpoint: `${env.stack.url}/telemetry/events`, writeKey: WRITE_KEY, integrity: wrong, before: early(sid) }))
    const page = await env.chrome.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${env.stack.other.url}/tampered`, { waitUntil: 'load' })
    expect(await page.evaluate(() => (window as any).PromptTelemetry.loaded)).toBeUndefined()
    expect(await page.evaluate(() => (window as any).PromptTelemetry.q.length)).toBe(6)
    expect(errors).toEqual([])
    await page.close()
  })
})

describe('the script tag alone', () => {
  it('starts from data-endpoint and data-write-key and captures data-telemetry clicks with data-autocapture', async () => {
    const page = await env.chrome.newPage()
    env.stack.other.pages.set(
      '/autocapture',
      `<!doctype html><meta charset="utf-8"><title>auto</title>
      <script src="${env.stack.url}/sdk/prompt-telemetry.global.js" data-endpoint="${env.stack.url}/telemetry/events" data-write-key="${WRITE_KEY}" data-autocapture></script>
      <button data-telemetry-event="prompt_copied" data-telemetry-prompt-id="auto-1" data-telemetry-variant="body" data-telemetry-source="detail">Copy</button>
      <button data-telemetry-event="made.up">Nope</button>`,
    )
    await page.goto(`${env.stack.other.url}/autocapture`)
    const sid = await page.evaluate(() => (window as any).PromptTelemetry.client.context().sessionId)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.evaluate(() => (window as any).PromptTelemetry.flush())
    const rows = await env.stack.waitForEvents(sid, 1)
    expect(rows.map((r) => [r.event, r.prompt_id, r.attributes])).toEqual([['prompt_copied', 'auto-1', { variant: 'body', source: 'detail' }]])
    await page.close()
  })

  it('counts one event per real click on a label, a link in it, or inside a component', async () => {
    const page = await env.chrome.newPage()
    await page.setContent('<!doctype html><body></body>')
    await page.addScriptTag({ content: readFileSync(fileURLToPath(new URL('../../dist/prompt-telemetry.global.js', import.meta.url)), 'utf8') })
    await page.evaluate(() => {
      const P = (window as unknown as { PromptTelemetry: { init(o: object): { subscribe(l: (e: { event: string }) => void): void } } }).PromptTelemetry
      const t = P.init({ sink: { send: async () => ({ ok: true }) }, autocapture: true })
      ;(window as unknown as { seen: string[] }).seen = []
      t.subscribe((e) => (window as unknown as { seen: string[] }).seen.push(e.event))
    })
    const cases: [string, string, string?][] = [
      ['<div data-telemetry-event="auth.logout"><label><input type="checkbox"> <span id="t">Remember me</span></label></div>', '#t'],
      ['<div data-telemetry-event="auth.logout"><label onclick="event.preventDefault()"><input type="checkbox"> <span id="t">Remember me</span></label></div>', '#t'],
      ['<div data-telemetry-event="auth.logout"><fieldset disabled><label><input type="checkbox"> <span id="t">Remember me</span></label></fieldset></div>', '#t'],
      ['<div data-telemetry-event="auth.logout"><label><input type="checkbox"> I accept the <a id="t" href="#terms">terms</a></label></div>', '#t'],
      ['<x-opt id="host" data-telemetry-event="auth.logout"></x-opt>', '#t', '<label><input type="checkbox"> <span id="t">Remember me</span></label>'],
      ['<div data-telemetry-event="auth.logout"><label><input type="checkbox"> <x-text id="host"></x-text></label></div>', '#t', '<span id="t">Remember me</span>'],
      ['<x-card id="host"></x-card>', '#t', '<button id="t" data-telemetry-event="auth.logout">Sign out</button>'],
    ]
    const counts: number[] = []
    for (const [html, sel, shadow] of cases) {
      await page.evaluate(([html, shadow]) => {
        document.body.innerHTML = html!
        if (shadow) document.getElementById('host')!.attachShadow({ mode: 'open' }).innerHTML = shadow
        ;(window as unknown as { seen: string[] }).seen.length = 0
      }, [html, shadow])
      await page.locator(sel).click({ force: true }) // a real mouse click, through shadow roots (force: inside a disabled fieldset too)
      await sleep(50)
      counts.push(await page.evaluate(() => (window as unknown as { seen: string[] }).seen.length))
    }
    expect(counts).toEqual(cases.map(() => 1))
    await page.close()
  })
})

