import { describe, expect, it } from 'vitest'
import { errorType } from '../../src/llm/error-type'

describe('errorType', () => {
  it('prefers the provider or library error code', () => {
    expect(errorType(Object.assign(new Error('Rate limit reached for gpt-4o'), { status: 429, code: 'rate_limit_exceeded' }))).toBe('rate_limit_exceeded')
  })

  it('uses the exception name when there is no code and the name says more than Error', () => {
    expect(errorType(new DOMException('aborted', 'AbortError'))).toBe('AbortError')
    expect(errorType(new TypeError('fetch failed'))).toBe('TypeError')
  })

  it('falls back to the HTTP status, then to _OTHER', () => {
    expect(errorType(Object.assign(new Error('x'), { status: 503 }))).toBe('503')
    expect(errorType(new Error('the prompt was: tell me a secret'))).toBe('_OTHER')
    expect(errorType(undefined)).toBe('_OTHER')
    expect(errorType(42)).toBe('_OTHER')
  })

  it('takes a string as the type itself, made safe and short', () => {
    expect(errorType('sql_validation')).toBe('sql_validation')
    expect(errorType('bad type/with spaces')).toBe('bad_type_with_spaces')
    expect(errorType('x'.repeat(500))).toHaveLength(64)
    expect(errorType('   ')).toBe('_OTHER')
  })

  it('never returns the message of the error', () => {
    const e = new Error('SELECT ssn FROM users')
    expect(errorType(e)).not.toContain('SELECT')
  })
})
