import { describe, expect, it } from 'vitest'
import type { AttrSpec, EventMap } from '../../src/core/catalog'
import { validateEvent } from '../../src/core/validate'
import { promptCatalog } from '../../src/catalogs/prompt'

/** The smallest valid value of each kind. */
const sample = (s: AttrSpec): unknown =>
  ({
    id: 'p-1',
    enum: s.values?.[0],
    int: Math.max(s.min ?? 0, 0),
    number: s.min ?? 0,
    bool: true,
    string: 's',
    text: 'a note',
    hash: 'a'.repeat(64),
    list: ['a'],
  })[s.kind]

const events: EventMap = promptCatalog.events
const names = Object.keys(events)

describe('promptCatalog', () => {
  it('covers the product events and the suggestion lifecycle', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'auth.login.success',
        'vault.search_performed',
        'prompts.create',
        'prompt_copied',
        'share.created',
        'tags.added',
        'models.selected',
        'import.completed',
        'export.completed',
        'psr.shown',
        'psr.dismissed',
        'psr.submitted',
        'prompt.impression',
        'prompt.selection',
        'prompt.completion',
        'prompt.feedback',
        'prompt.skip',
      ]),
    )
  })

  it('sends selections, completions and PSR submissions at once', () => {
    for (const name of ['prompt.selection', 'prompt.completion', 'psr.submitted']) expect(events[name]!.priority, name).toBe(true)
    expect(events['prompt.impression']!.priority).toBeFalsy()
  })

  it.each(names)('accepts a minimal %s and refuses it without each required attribute', (name) => {
    const attrs = events[name]!.attrs ?? {}
    const full: Record<string, unknown> = { id: '0190a0b1-c2d3-7e4f-8a9b-0c1d2e3f4a5b', event: name, ts: 1, session_id: 's' }
    for (const [key, spec] of Object.entries(attrs)) if (!spec.optional) full[key] = sample(spec)
    expect(validateEvent(promptCatalog, full)).toMatchObject({ ok: true })
    for (const [key, spec] of Object.entries(attrs)) {
      if (spec.optional) continue
      const { [key]: _, ...missing } = full
      expect(validateEvent(promptCatalog, missing)).toEqual({ ok: false, reason: `missing attribute "${key}"` })
    }
  })

  it('declares no content attribute: no prompt body, title, query or note travels', () => {
    for (const spec of Object.values(events))
      for (const key of Object.keys(spec.attrs ?? {})) expect(key).not.toMatch(/^(body|title|query|note|email|password|token|secret|content|text)$/)
  })
})
