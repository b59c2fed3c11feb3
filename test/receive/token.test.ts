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
    [`/hooks/${encoded}/smartsupp?x=1`, false], // only the last non-empty segment counts
    [`/hooks/smartsupp/${encoded}/?x=1`, true],
    [`https://example.test/hooks/${encoded}#frag`, true],
    [`https://example.test/hooks?a=1&token=${encoded}`, true],
    [`/hooks?token=nope&token=${encoded}`, false], // several token parameters: refused
    [`/hooks?token=${encoded}&token=${encoded}`, false],
    [`/hooks/${encoded}?token=nope&token=nope`, false],
    [`/hooks/${encoded}?token=nope`, true],
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

describe('tokenInUrl: one guess per place, no form decoding', () => {
  it('keeps + as + (no form rule) and decodes %2B and %20', () => {
    expect(tokenInUrl('/hooks?token=a+b', bytes('a+b'))).toBe(true)
    expect(tokenInUrl('/hooks?token=a+b', bytes('a b'))).toBe(false)
    expect(tokenInUrl('/hooks?token=a%2Bb', bytes('a+b'))).toBe(true)
    expect(tokenInUrl('/hooks?token=a%20b', bytes('a b'))).toBe(true)
  })

  it('refuses a request carrying many guesses', () => {
    const guesses = Array.from({ length: 1000 }, (_, i) => `token=guess-${i}`).join('&')
    expect(tokenInUrl(`/hooks?${guesses}&token=right`, bytes('right'))).toBe(false)
    const segments = Array.from({ length: 1000 }, (_, i) => `guess-${i}`).join('/')
    expect(tokenInUrl(`/hooks/right/${segments}`, bytes('right'))).toBe(false)
  })

  it('finds any token, percent-encoded, as the one query parameter or the last segment', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), fc.string(), (token, other) => {
        const encoded = encodeURIComponent(token)
        expect(
          tokenInUrl(`/hooks/smartsupp?x=${encodeURIComponent(other)}&token=${encoded}`, bytes(token)),
        ).toBe(true)
        expect(tokenInUrl(`https://example.test/hooks/smartsupp/${encoded}`, bytes(token))).toBe(true)
        expect(tokenInUrl(`/hooks/${encoded}/smartsupp`, bytes(token))).toBe(token === 'smartsupp')
      }),
    )
  })
})
