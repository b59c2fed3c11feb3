import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fnv1a64 } from '../../src/helpers/fnv1a64.js'

/** A slow, obviously right FNV-1a 64 over UTF-8 bytes, with BigInt. */
function reference(text: string): string {
  let h = 0xcbf29ce484222325n
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte)
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return h.toString(16).padStart(16, '0')
}

// The internal hash behind idempotencyKey.
describe('fnv1a64', () => {
  it('matches the published test vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325')
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c')
    expect(fnv1a64('foobar')).toBe('85944171f73967e8')
  })

  it('matches a BigInt reference on any text, diacritics and emoji included', () => {
    expect(fnv1a64('Šárka Dvořáková 😊')).toBe(reference('Šárka Dvořáková 😊'))
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => fnv1a64(s) === reference(s)))
  })
})
