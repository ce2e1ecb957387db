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

  it('takes a string as the type only when it is shaped like a code: a sentence is a message', () => {
    expect(errorType('sql_validation')).toBe('sql_validation')
    expect(errorType('rate_limit_exceeded')).toBe('rate_limit_exceeded')
    expect(errorType('Error: the user asked about John Smith at 123 Main St')).toBe('_OTHER')
    expect(errorType('bad type/with spaces')).toBe('_OTHER')
    expect(errorType('x'.repeat(65))).toBe('_OTHER')
    expect(errorType('   ')).toBe('_OTHER')
  })

  it('never returns a credential, nor throws on a hostile error object', () => {
    expect(errorType('sk-proj-0123456789abcdefghij')).toBe('_OTHER')
    expect(errorType({ code: 'jane.doe@example.com' })).toBe('_OTHER')
    const getterThrows = Object.defineProperty({}, 'code', { get: () => { throw new Error('boom') } })
    expect(errorType(getterThrows)).toBe('_OTHER')
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    expect(errorType(proxy)).toBe('_OTHER')
  })

  it('takes a code or a name only when shaped like one: a sentence there is a message too', () => {
    const sentence = 'the user asked about the salary of Bob Smith'
    expect(errorType(Object.assign(new Error('x'), { code: sentence }))).toBe('_OTHER')
    expect(errorType(Object.assign(new Error('x'), { name: sentence }))).toBe('_OTHER')
    expect(errorType(Object.assign(new Error('x'), { code: sentence, status: 500 }))).toBe('500')
  })

  it('never returns the message of the error', () => {
    const e = new Error('SELECT ssn FROM users')
    expect(errorType(e)).not.toContain('SELECT')
  })
})
