// The stored form of ids and names (issue 17.4): what PostgreSQL can hold stays as it is, the rest
// is escaped, and no two different values share a stored form.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MAX_ID_BYTES,
  storableText,
  storedConversationId,
  unstorableReason,
} from '../../src/store/storable-text.js'

/** Strings made of the characters that matter: NUL, surrogates, `\`, `~`, the prefixes' letters, ASCII, € and 😀. */
const tricky = fc
  .array(
    fc.constantFrom(
      '\u0000',
      '\ud800',
      '\udbff',
      '\udc00',
      '\udfff',
      '\\',
      '~',
      'e',
      's',
      'c',
      'h',
      'a',
      '2',
      '5',
      '6',
      'x',
      '€',
      '😀',
      'u',
      '0',
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''))
const prefixed = fc.tuple(fc.constantFrom('~esc~', '~sha256~', ''), tricky).map(([p, s]) => p + s)

describe('storableText', () => {
  it('is injective: different values never share a stored form (short and hashed alike)', () => {
    fc.assert(
      fc.property(prefixed, prefixed, fc.constantFrom(Number.POSITIVE_INFINITY, 12, 30), (a, b, max) => {
        fc.pre(a !== b)
        return storableText(a, max) !== storableText(b, max)
      }),
    )
  })

  it('always gives a value PostgreSQL can hold and index within the limit', () => {
    fc.assert(
      fc.property(prefixed, fc.constantFrom(Number.POSITIVE_INFINITY, 80, 100), (text, max) => {
        return unstorableReason(storableText(text, max), max) === null
      }),
    )
  })

  it('leaves every ordinary value as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
        fc.pre(
          unstorableReason(text, MAX_ID_BYTES) === null &&
            !text.includes('\u0000') &&
            !text.startsWith('~esc~') &&
            !text.startsWith('~sha256~'),
        )
        return storedConversationId(text) === text
      }),
    )
    expect(storedConversationId('x'.repeat(MAX_ID_BYTES))).toBe('x'.repeat(MAX_ID_BYTES))
    expect(storedConversationId('x'.repeat(MAX_ID_BYTES + 1))).toMatch(/^~sha256~[0-9a-f]{64}$/)
  })
})
