import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_EVENT_BYTES, clamp, looksSensitive, redact, utf8Length } from '../../src/core/guardrails'
import { validateEvent } from '../../src/core/validate'
import { catalog, wire } from './fixtures'

const note = (text: string) => {
  const r = validateEvent(catalog, wire({ note: text }))
  if (!r.ok) throw new Error(r.reason)
  return r.value.note as string
}
const SECRETS = [
  'jane.doe@example.com',
  'Bearer abcdefghijklmnopqrstuvwxyz',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig',
  'sk-proj-0123456789abcdefghij',
  'ghp_0123456789abcdefghijklmn',
  'xoxb-0123456789-abcdefghij',
  'AKIAABCDEFGHIJKLMNOP',
  'ASIAABCDEFGHIJKLMNOP',
  'ghu_0123456789abcdefghijklmn',
  'glpat-0123456789abcdefghij',
  'npm_0123456789abcdefghijklmnopqrstuvwxyz',
  'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH',
  'AIzaSyA0123456789abcdefghijklmnopqrstuv',
  'ya29.a0AfH6SMBxq2mOk7fTbVvA1Bc2De3Fg4Hi5Jk6',
  'password: hunter2',
  'PWD=correct-horse',
  'secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'pwd=abcd',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
]

describe('guardrails', () => {
  it.each(SECRETS)('recognises %s as sensitive', (s) => {
    expect(looksSensitive(s)).toBe(true)
    expect(looksSensitive(`see ${s} here`)).toBe(true)
  })

  // Pasted or disguised: fullwidth at signs and letters, a Cyrillic top-level domain, a
  // zero-width space inside a key.
  it.each([
    'jane\uff20example.com',
    'jane\ufe6bexample.com',
    'jane@example.c\u043em',
    'bob@gmail\u3002com',
    'bob@gmail\uff61com',
    'user@例え\u3002jp',
    'user@ドメイン\u3002com',
    'メールはbob@gmail\u3002comまで',
    'sk-proj-0123456789\u200babcdefghij',
    'sk-proj-0123456789\u2063abcdefghij',
    'sk-proj-01234\u034f56789\ufe0fabcdefghij',
    'sk-proj-0123456789\u{e0020}abcdefghij',
    'AKIA\u2063IOSFODNN7EXAMPLE',
    '\uff53\uff4b-proj-0123456789abcdefghij',
  ])(
    'recognises the lookalike %s as sensitive, and redacts it from text',
    (s) => {
      expect(looksSensitive(s)).toBe(true)
      expect(note(`see ${s} here`)).toBe('see [redacted] here')
    },
  )

  it('leaves text with other wide characters as it is', () => {
    expect(note('ｶﾀｶﾅ and ＡＢＣ, 名前 ✓')).toBe('ｶﾀｶﾅ and ＡＢＣ, 名前 ✓')
  })

  // Japanese writes ＠ for "at" and ends sentences with 。: folded to @ and ., a sentence read
  // as an email and was wiped, or its event refused.
  it.each([
    'りんご＠100円。みかん＠80円。',
    '田中さん@営業部です。よろしくお願いします',
    '明日の会議＠本社です。よろしく👨‍👩‍👧❤️',
    '会議＠本社。明日',
    '打ち合わせ＠Zoom。URLは後ほど送ります。',
    '会议＠Zoom。ID稍后发给你',
    '会議室＠3F。Aルーム',
    'カフェ＠Starbucks。Wi-Fiあり',
  ])(
    'leaves the Japanese sentence %s alone',
    (s) => {
      expect(looksSensitive(s)).toBe(false)
      expect(note(s)).toBe(s)
    },
  )

  it.each(['p-1', 'card', 'copy the prompt', 'v2.1', 'user@', '@handle', 'sk-short', 'npm_package_json_version', 'hf_model_repository_name', '5@3.5€€', 'the secret sauce is the onboarding checklist', 'forgot my password again', 'password reset worked', 'ya29.short', 'secret-santa-gift-ideas-generator', 'secret-manager-prompt-template', 'secretary responsibilities', 'secrets management/configuration', 'reset-password:v2', 'pwd=abc', 'security:password:strength-checker', 'games:secret:santa-draw', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', 'A94A8FE5CCB19BA61C4C0873D391E987982FBBD3', 'onboarding-checklist-for-new-team-members-v2'])('lets %s through', (s) => {
    expect(looksSensitive(s)).toBe(false)
  })

  // Pasted configuration: an env line, YAML and JSON, with the name's prefix and quotes.
  it.each([
    ['DB_PASSWORD=hunter2', 'DB_[redacted]'],
    ['db_password: hunter2', 'db_[redacted]'],
    ['{"password": "hunter2"}', '{"[redacted]"}'],
    ['{"client_secret": "0123456789abcdefXYZ"}', '{"client_[redacted]"}'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_[redacted]'],
    ['aws secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY oops', 'aws secret [redacted] oops'],
    ['"password":"hunter2"', '"[redacted]"'],
  ])('redacts the value of %s', (s, out) => {
    expect(looksSensitive(s)).toBe(true)
    expect(redact(s)).toBe(out)
  })

  it('never takes the text after a line break for a password', () => {
    expect(redact('the password:\n\nThe next step')).toBe('the password:\n\nThe next step')
  })

  it('redacts every email and credential in free text and keeps the rest', () => {
    const out = redact('mail jane.doe@example.com or use Bearer abcdefghijkl then "bob@corp.io"')
    expect(out).toBe('mail [redacted] or use [redacted] then "[redacted]"')
  })

  it('redacts emails and credentials from clamped text', () => {
    for (const s of SECRETS) expect(note(`thanks! ${s} :)`)).toBe('thanks! [redacted] :)')
  })

  it('cuts text to 280 characters', () => {
    expect(note('a'.repeat(281))).toHaveLength(280)
    expect(note('short note')).toBe('short note')
  })

  it('never lets redaction push text past 280 characters', () => {
    const text = 'x'.repeat(270) + ' a@b.co'
    const out = note(text)
    expect(out.length).toBeLessThanOrEqual(280)
    expect(out).not.toContain('a@b.co')
  })

  it('never leaks the part of an email that straddles the 280-character cut', () => {
    const out = note('y'.repeat(270) + ' jane.doe@example.com and more')
    expect(out.length).toBeLessThanOrEqual(280)
    expect(out).not.toMatch(/jane/)
  })

  it('accepts an event of exactly 4096 bytes of UTF-8 JSON and rejects one byte more', () => {
    expect(MAX_EVENT_BYTES).toBe(4096)
    const sized = (bytes: number, unit: string, unitBytes: number) => {
      const { item_id: _i, place: _p, ...envelope } = wire({ event: 'blob.sent' })
      const base = { ...envelope, data: '' }
      const fixed = Buffer.byteLength(JSON.stringify(base))
      const room = bytes - fixed
      const data = unit.repeat(Math.floor(room / unitBytes)) + 'z'.repeat(room % unitBytes)
      const event = { ...base, data }
      expect(Buffer.byteLength(JSON.stringify(event))).toBe(bytes)
      return validateEvent(catalog, event)
    }
    for (const [unit, n] of [['a', 1], ['é', 2], ['€', 3], ['😀', 4]] as const) {
      expect(sized(4096, unit, n).ok, `4096 bytes of ${unit}`).toBe(true)
      expect(sized(4097, unit, n), `4097 bytes of ${unit}`).toEqual({ ok: false, reason: expect.stringMatching(/4096 bytes/) })
    }
  })

  it('measures UTF-8 bytes exactly, astral characters included', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => utf8Length(s) === Buffer.byteLength(s)))
  })
})

describe('clamped text and surrogate pairs', () => {
  it('never ends in half of a pair, which the server would refuse with the whole event', () => {
    const emoji = '\u{1F600}' // two UTF-16 code units
    for (let pad = 0; pad < 4; pad++) {
      const text = 'x'.repeat(pad) + emoji.repeat(200)
      const out = clamp(text, 280)
      expect(out.length).toBeLessThanOrEqual(280)
      expect(out.length).toBeGreaterThanOrEqual(279)
      expect(/[\ud800-\udbff]$/.test(out)).toBe(false)
      expect(out).toBe(text.slice(0, out.length))
    }
  })

  it('turns NUL and lone halves into U+FFFD and keeps whole pairs', () => {
    expect(clamp('a\u0000b', 280)).toBe('a\ufffdb')
    expect(clamp('\udc00\udc00x\ud800', 280)).toBe('\ufffd\ufffdx') // the trailing half is cut, as at the limit
    expect(clamp('\ud800x\u{1F600}', 280)).toBe('\ufffdx\u{1F600}')
  })

  it('keeps text at or under the limit as it is', () => {
    expect(clamp('a\u{1F600}', 3)).toBe('a\u{1F600}')
    expect(clamp('', 280)).toBe('')
  })
})
