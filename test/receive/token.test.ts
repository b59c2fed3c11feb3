import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { tokenInUrl } from '../../src/receive/token-in-url.js'
import { tokenMatches } from '../../src/receive/token-matches.js'

const bytes = (s: string) => new TextEncoder().encode(s)

describe('tokenMatches', () => {
  it('is true exactly when the two strings are equal', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme', minLength: 1 }), (a, b) => {
        expect(tokenMatches(a, bytes(b))).toBe(a === b)
        expect(tokenMatches(b, bytes(b))).toBe(true)
      }),
    )
  })

  it('rejects prefixes, extensions and the empty string', () => {
    expect(tokenMatches('secret', bytes('secret!'))).toBe(false)
    expect(tokenMatches('secret!!', bytes('secret!'))).toBe(false)
    expect(tokenMatches('', bytes('secret'))).toBe(false)
    expect(tokenMatches('sécret', bytes('sécret'))).toBe(true)
  })
})

describe('tokenInUrl', () => {
  const secret = bytes('s3cret/with?odd chars')
  const encoded = encodeURIComponent('s3cret/with?odd chars')
  it.each([
    [`/hooks?token=${encoded}`, true],
    [`/hooks/${encoded}`, true],
    [`/hooks/${encoded}/smartsupp?x=1`, true],
    [`https://example.test/hooks/${encoded}#frag`, true],
    [`https://example.test/hooks?a=1&token=${encoded}`, true],
    [`/hooks?token=nope&token=${encoded}`, true],
    ['/hooks', false],
    ['/hooks?token=', false],
    [`/hooks?tokens=${encoded}`, false],
    [`/hooks#token=${encoded}`, false],
    [`https://${encoded}.example.test/hooks`, false],
    ['/hooks/%E0%A4%A', false],
  ])('%s → %s', (url, expected) => {
    expect(tokenInUrl(url, secret)).toBe(expected)
  })
})
