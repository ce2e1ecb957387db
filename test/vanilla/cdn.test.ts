// @vitest-environment happy-dom
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createGlobal, type PromptTelemetryGlobal } from '../../src/cdn/global'
import { scriptOptions } from '../../src/cdn/script-options'
import { click, recordingSink } from './setup'

vi.mock('react', () => ({}))

type Win = typeof window & { PromptTelemetry?: any }
const win = window as Win

// A tag happy-dom does not try to fetch; the build finds it by its src all the same.
const tagHtml = (attrs: string) => `<script type="text/x-not-run" src="/sdk/prompt-telemetry.global.js" ${attrs}></script>`

// The snippet exactly as docs/cdn.md publishes it.
const snippet = /<script>(!function[\s\S]*?)<\/script>/.exec(readFileSync('docs/cdn.md', 'utf8'))![1]!
const runSnippet = () => new Function(snippet)()

async function loadBuild() {
  vi.resetModules()
  await import('../../src/cdn/index')
  return win.PromptTelemetry as PromptTelemetryGlobal
}

afterEach(() => {
  delete win.PromptTelemetry
  document.head.innerHTML = ''
  document.body.innerHTML = ''
  sessionStorage.clear()
  localStorage.clear()
})

describe('the inline snippet', () => {
  it('queues calls made before the script loads, with their arguments', () => {
    runSnippet()
    win.PromptTelemetry.init({ endpoint: '/e' })
    win.PromptTelemetry.track('auth.logout')
    expect(win.PromptTelemetry.q).toEqual([
      ['init', [{ endpoint: '/e' }]],
      ['track', ['auth.logout']],
    ])
  })

  it('never throws when the script is blocked, and keeps at most 1000 calls', () => {
    runSnippet()
    const g = win.PromptTelemetry
    for (let i = 0; i < 1500; i++) expect(g.track('prompt_copied', { prompt_id: 'p' })).toBeUndefined()
    for (const m of ['identify', 'reset', 'optOut', 'optIn', 'flush', 'shutdown', 'stats', 'mountPsrPrompt']) expect(() => g[m]('x')).not.toThrow()
    const unmount = g.mountPsrPrompt('#psr', { enabled: true })
    expect(() => unmount()).not.toThrow()
    expect(g.q).toHaveLength(1000)
  })

  it('can run twice without losing the queue', () => {
    runSnippet()
    win.PromptTelemetry.track('auth.logout')
    runSnippet()
    expect(win.PromptTelemetry.q).toHaveLength(1)
  })
})

describe('the script-tag build', () => {
  it('replays the snippet queue in order once loaded', async () => {
    runSnippet()
    const rec = recordingSink()
    const g = win.PromptTelemetry
    g.track('prompt_copied', { prompt_id: 'p-1', variant: 'body', source: 'card' })
    g.init({ sink: rec.sink })
    g.identify('user-9')
    g.track('auth.logout')
    const loaded = await loadBuild()
    expect(loaded).not.toBe(g)
    await loaded.flush()
    expect(rec.events().map((e) => [e.event, e.user_id])).toEqual([
      ['prompt_copied', undefined],
      ['auth.logout', 'user-9'],
    ])
  })

  it("honours the stub's unmount of a PSR widget, before and after the script loads", async () => {
    document.body.innerHTML = '<div id="a"></div><div id="b"></div>'
    runSnippet()
    const rec = recordingSink()
    const g = win.PromptTelemetry
    g.init({ sink: rec.sink })
    const stopA = g.mountPsrPrompt('#a', { enabled: true, open: true })
    const stopB = g.mountPsrPrompt('#b', { enabled: true, open: true })
    stopA() // before the script loads: never mounted
    await loadBuild()
    const mounted = (id: string) => document.querySelector(`#${id}`)!.childElementCount + (document.querySelector(`#${id}`)!.shadowRoot?.childElementCount ?? 0) > 0
    expect(mounted('a')).toBe(false)
    expect(mounted('b')).toBe(true)
    stopB() // after: unmounted
    expect(mounted('b')).toBe(false)
  })

  it('starts from the script tag when it has data-endpoint and the page queued no init', async () => {
    document.head.innerHTML = tagHtml('data-endpoint="/telemetry/events" data-write-key="wk-1"')
    const g = await loadBuild()
    expect(g.client?.context()).toMatchObject({ endpoint: '/telemetry/events', writeKey: 'wk-1' })
  })

  it('merges a queued init over the tag attributes', async () => {
    document.head.innerHTML = tagHtml('data-endpoint="/a" data-write-key="wk-1"')
    runSnippet()
    win.PromptTelemetry.init({ endpoint: '/b' })
    const g = await loadBuild()
    expect(g.client?.context()).toMatchObject({ endpoint: '/b', writeKey: 'wk-1' })
  })

  it('keeps a tag value that a queued init leaves undefined', async () => {
    document.head.innerHTML = tagHtml('data-endpoint="/a" data-write-key="wk-1"')
    runSnippet()
    win.PromptTelemetry.init({ writeKey: undefined, flushInterval: 2000 })
    const g = await loadBuild()
    expect(g.client?.context()).toMatchObject({ endpoint: '/a', writeKey: 'wk-1' })
  })

  it('waits for init() without data-endpoint', async () => {
    const g = await loadBuild()
    expect(g.client).toBeUndefined()
    expect(g.track('auth.logout')).toBeUndefined()
  })

  it('a second copy of the script keeps the first one', async () => {
    const first = await loadBuild()
    expect(await loadBuild()).toBe(first)
  })

  it('survives a bad queued call and runs the rest', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    runSnippet()
    const rec = recordingSink()
    win.PromptTelemetry.init({ sink: rec.sink })
    win.PromptTelemetry.q.push(['noSuchMethod', []])
    win.PromptTelemetry.mountPsrPrompt(null)
    win.PromptTelemetry.track('auth.logout')
    const g = await loadBuild()
    await g.flush()
    expect(rec.events().map((e) => e.event)).toEqual(['auth.logout'])
    vi.restoreAllMocks()
  })
})

describe('createGlobal', () => {
  it('buffers client calls until init and runs them in order', async () => {
    const rec = recordingSink()
    const g = createGlobal({ sink: rec.sink })
    expect(g.stats()).toBeUndefined()
    g.track('auth.logout')
    g.track('auth.login.success', { method: 'sso' })
    const t = g.init()
    expect(g.init()).toBe(t)
    await g.flush()
    expect(rec.events().map((e) => e.event)).toEqual(['auth.logout', 'auth.login.success'])
  })

  it('mounts the PSR widget once a client exists, with autocapture from the tag', async () => {
    document.body.innerHTML =
      '<button id="c" data-telemetry-event="prompt_copied" data-telemetry-prompt-id="p-3" data-telemetry-variant="body" data-telemetry-source="card">Copy</button><div id="psr"></div>'
    const g = createGlobal({ sink: recordingSink().sink, autocapture: true })
    g.mountPsrPrompt('#psr', { enabled: true })
    g.init()
    click(document.querySelector('#c')!)
    expect(document.querySelector('#psr')!.shadowRoot!.querySelector('form')!.hidden).toBe(false)
  })

  it('an unmount called before init cancels the pending mount', () => {
    document.body.innerHTML = '<div id="psr"></div>'
    const g = createGlobal({ sink: recordingSink().sink })
    g.mountPsrPrompt('#psr', { enabled: true })()
    g.init()
    expect(document.querySelector('#psr')!.shadowRoot).toBeNull()
  })
})

describe('examples/vanilla-html', () => {
  it('uses the snippet exactly as docs/cdn.md publishes it', () => {
    expect(readFileSync('examples/vanilla-html/index.html', 'utf8')).toContain(`<script>${snippet}</script>`)
  })
})

describe('scriptOptions', () => {
  const tag = (attrs: string) => {
    document.head.innerHTML = `<script type="text/x-not-run" ${attrs}></script>`
    return document.head.querySelector('script')
  }
  it('reads endpoint, write key, autocapture and debug', () => {
    expect(scriptOptions(tag('data-endpoint="/t" data-write-key="k" data-autocapture data-debug="true"'))).toEqual({
      endpoint: '/t',
      writeKey: 'k',
      autocapture: true,
      debug: true,
    })
  })
  it('treats "false" as off and missing attributes as absent', () => {
    expect(scriptOptions(tag('data-autocapture="false"'))).toEqual({})
    expect(scriptOptions(null)).toEqual({})
  })
})
