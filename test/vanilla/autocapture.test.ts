// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTelemetry, promptCatalog } from 'prompt-telemetry'
import { autocapture } from 'prompt-telemetry/vanilla'
import { click, memoryHost, recordingSink } from './setup'

vi.mock('react', () => ({}))

const stops: (() => void)[] = []
afterEach(() => {
  for (const stop of stops.splice(0)) stop() // each test's listener goes with it
  document.body.innerHTML = ''
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
})

function setup(html: string) {
  document.body.innerHTML = html
  const rec = recordingSink()
  const client = createTelemetry({ catalog: promptCatalog, sink: rec.sink, host: memoryHost() })
  const seen: Record<string, unknown>[] = []
  client.subscribe((e) => seen.push(e))
  const stop = autocapture(client)
  stops.push(stop)
  return { client, seen, stop, $: (sel: string) => document.querySelector(sel)! }
}

describe('autocapture', () => {
  it('tracks the catalog event named by data-telemetry-event with its data-telemetry-* attributes', () => {
    const { seen, $ } = setup(
      '<button id="b" data-telemetry-event="prompt_copied" data-telemetry-prompt-id="p-42" data-telemetry-variant="body" data-telemetry-source="card">Copy</button>',
    )
    click($('#b'))
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ event: 'prompt_copied', prompt_id: 'p-42', variant: 'body', source: 'card' })
  })

  it('tracks a click on a descendant of the tagged element', () => {
    const { seen, $ } = setup(
      '<button data-telemetry-event="auth.logout"><span id="inner">Sign out</span></button>',
    )
    click($('#inner'))
    expect(seen.map((e) => e.event)).toEqual(['auth.logout'])
  })

  it('converts numbers, booleans and lists as the catalog declares them', () => {
    const { seen, $ } = setup(
      `<a id="a" data-telemetry-event="prompt.impression" data-telemetry-prompt-id="p-1" data-telemetry-impression-id="i-1"
          data-telemetry-rank="3" data-telemetry-score="0.75" data-telemetry-stage-match data-telemetry-active-topics="llm, rag ,"
          data-telemetry-source="carousel">x</a>`,
    )
    click($('#a'))
    expect(seen[0]).toMatchObject({ rank: 3, score: 0.75, stage_match: true, active_topics: ['llm', 'rag'], source: 'carousel' })
  })

  it('reads "false" as false for a boolean attribute', () => {
    const { seen, $ } = setup(
      '<a id="a" data-telemetry-event="prompt.impression" data-telemetry-prompt-id="p-1" data-telemetry-impression-id="i-1" data-telemetry-stage-match="false">x</a>',
    )
    click($('#a'))
    expect(seen[0]).toMatchObject({ stage_match: false })
  })

  it('ignores an event outside the catalog and warns in development', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { seen, client, $ } = setup('<button id="b" data-telemetry-event="made_up_event">x</button>')
    click($('#b'))
    expect(seen).toHaveLength(0)
    expect(client.stats().queued).toBe(0)
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('made_up_event'))
  })

  it('ignores an attribute the event does not declare, warns, and still tracks the event', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { seen, $ } = setup('<button id="b" data-telemetry-event="auth.logout" data-telemetry-user-email="a@b.co">x</button>')
    click($('#b'))
    click($('#b'))
    expect(seen).toHaveLength(2)
    expect(seen[0]).not.toHaveProperty('user_email')
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('data-telemetry-user-email'))
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('user-email'))).toHaveLength(1) // once, not on every click
  })

  it('counts one event for a click on a label that wraps the control, as the user made one click', () => {
    const { seen, $ } = setup('<div data-telemetry-event="auth.logout"><label><input type="checkbox"> <span id="t">Remember me</span></label></div>')
    ;($('#t') as HTMLElement).click() // the label's click, then the browser's click on its control
    expect(seen).toHaveLength(1)
    ;($('input') as HTMLElement).click()
    expect(seen).toHaveLength(2)
  })

  it('still counts a label click the browser does not forward to the control', () => {
    const { seen, $ } = setup(
      '<div data-telemetry-event="auth.logout"><label id="l"><input type="checkbox"> <span id="t">Remember me</span> <a id="a" href="#x">terms</a></label></div>',
    )
    $('#l').addEventListener('click', (e) => e.preventDefault()) // a custom toggle
    ;($('#t') as HTMLElement).click()
    expect(seen).toHaveLength(1)
    const { seen: seen2, $: $2 } = setup('<div data-telemetry-event="auth.logout"><label><input type="checkbox"> I accept the <a id="a" href="#terms">terms</a></label></div>')
    ;($2('#a') as HTMLElement).click() // a link in a label does not activate it
    expect(seen2).toHaveLength(1)
  })

  it('warns about an unknown event with debug even in production', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    document.body.innerHTML = '<button id="b" data-telemetry-event="made_up_event">x</button>'
    const client = createTelemetry({ catalog: promptCatalog, sink: recordingSink().sink, host: memoryHost() })
    stops.push(autocapture(client, { debug: true }))
    click(document.querySelector('#b')!)
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('made_up_event" is not in the catalog'))
    expect(client.stats().rejected).toBe(1)
  })

  it('finds a tagged element inside an open shadow root', () => {
    const { seen, $ } = setup('<x-card id="host"></x-card>')
    const shadow = $('#host').attachShadow({ mode: 'open' })
    shadow.innerHTML = '<button data-telemetry-event="prompt_copied" data-telemetry-prompt-id="p-7" data-telemetry-variant="body" data-telemetry-source="card"><span>Copy</span></button>'
    ;(shadow.querySelector('span') as HTMLElement).click()
    expect(seen).toMatchObject([{ event: 'prompt_copied', prompt_id: 'p-7' }])
  })

  it('counts an event outside the catalog as rejected, as track() does', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { seen, client, $ } = setup('<button id="b" data-telemetry-event="made_up_event">x</button>')
    click($('#b'))
    expect(seen).toHaveLength(0)
    expect(client.stats().rejected).toBe(1)
  })

  it('reads numbers in decimal notation only', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { seen, client, $ } = setup(
      '<button id="hex" data-telemetry-event="prompt.selection" data-telemetry-prompt-id="p" data-telemetry-rank="0x10">a</button>' +
        '<button id="dec" data-telemetry-event="prompt.selection" data-telemetry-prompt-id="p" data-telemetry-rank=" 16 ">b</button>',
    )
    click($('#hex'))
    click($('#dec'))
    expect(seen.map((e) => e.rank)).toEqual([16]) // the hex one is refused as not an int
    expect(client.stats().rejected).toBe(1)
  })

  it('stays silent about unknown events in production', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { seen, $ } = setup('<button id="b" data-telemetry-event="made_up_event">x</button>')
    click($('#b'))
    expect(seen).toHaveLength(0)
    expect(warn).not.toHaveBeenCalled()
  })

  it('lets the client reject an invalid value instead of throwing', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { seen, client, $ } = setup(
      '<button id="b" data-telemetry-event="prompt_copied" data-telemetry-prompt-id="p-1" data-telemetry-variant="pdf" data-telemetry-source="card">x</button>',
    )
    expect(() => click($('#b'))).not.toThrow()
    expect(seen).toHaveLength(0)
    expect(client.stats().rejected).toBe(1)
  })

  it('still sees a click whose handler stops propagation', () => {
    const { seen, $ } = setup('<div><button id="b" data-telemetry-event="auth.logout">x</button></div>')
    $('#b').addEventListener('click', (e) => e.stopPropagation())
    click($('#b'))
    expect(seen).toHaveLength(1)
  })

  it('ignores clicks outside tagged elements', () => {
    const { seen, $ } = setup('<p id="p">plain</p>')
    click($('#p'))
    expect(seen).toHaveLength(0)
  })

  it('stops listening after cleanup', () => {
    const { seen, stop, $ } = setup('<button id="b" data-telemetry-event="auth.logout">x</button>')
    stop()
    click($('#b'))
    expect(seen).toHaveLength(0)
  })

  it('listens only under the given root', () => {
    document.body.innerHTML = '<section id="in"><button id="a" data-telemetry-event="auth.logout">a</button></section><button id="b" data-telemetry-event="auth.logout">b</button>'
    const client = createTelemetry({ catalog: promptCatalog, sink: recordingSink().sink, host: memoryHost() })
    const seen: unknown[] = []
    client.subscribe((e) => seen.push(e))
    autocapture(client, { root: document.querySelector('#in')! })
    click(document.querySelector('#b')!)
    click(document.querySelector('#a')!)
    expect(seen).toHaveLength(1)
  })
})
