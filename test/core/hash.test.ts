import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hash } from '../../src/core/hash'
import { validateEvent } from '../../src/core/validate'
import { catalog, wire } from './fixtures'

describe('hash()', () => {
  it('is SHA-256 as lowercase hex (FIPS 180-2 vectors)', async () => {
    expect(await hash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(await hash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(await hash('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
  })

  it('hashes the UTF-8 bytes of any text, as node:crypto does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (s) => {
        expect(await hash(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'))
      }),
      { numRuns: 200 },
    )
  })

  it('makes a value the hash attribute kind accepts', async () => {
    expect(validateEvent(catalog, wire({ query_hash: await hash('my secret search') })).ok).toBe(true)
  })
})
