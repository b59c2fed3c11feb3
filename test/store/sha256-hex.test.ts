// The synchronous SHA-256 that stores ids too long to index (storableText) agrees with node:crypto.
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/store/sha256-hex.js'

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

describe('sha256Hex', () => {
  it('agrees with node:crypto at every padding boundary and on large inputs', () => {
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 100_000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) % 256)
      expect(sha256Hex(bytes), `${n} bytes`).toBe(nodeSha256(bytes))
    }
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })

  it('agrees with node:crypto for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => sha256Hex(bytes) === nodeSha256(bytes)),
    )
  })
})
