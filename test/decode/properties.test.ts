import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ConversationPayload,
  type DecodeIssue,
  decodeConversation,
  encodeConversation,
  parseConversation,
} from '../../src/index.js'
import { conversationPayload, mutatedPayload } from '../support/arbitraries.js'
import { valueAt } from '../support/payloads.js'

/** An issue's path exists in the input; a `missing` issue's parent does. */
function pathExists(input: unknown, issue: DecodeIssue): boolean {
  if (issue.code === 'missing') {
    const parent = issue.path.replace(
      /(?:\.[A-Za-z_$][A-Za-z0-9_$]*|\[[^\]]*\])$|^[A-Za-z_$][A-Za-z0-9_$]*$/,
      '',
    )
    return valueAt(input, parent).found
  }
  return valueAt(input, issue.path).found
}

function decodeSafely(input: unknown, mode: 'lenient' | 'strict') {
  const result = decodeConversation(input, { mode })
  const issues = result._tag === 'Left' ? result.left.issues : result.right.warnings
  for (const issue of issues) {
    if (!pathExists(input, issue)) throw new Error(`path ${JSON.stringify(issue.path)} is not in the input`)
  }
  return result
}

describe('for all inputs', () => {
  it('decode never throws on any JSON value, and issue paths exist in it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        decodeSafely(value, 'lenient')
        decodeSafely(value, 'strict')
      }),
    )
  })

  it('parse never throws on any string or bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.uint8Array()), (body) => {
        expect(['Left', 'Right']).toContain(parseConversation(body)._tag)
      }),
    )
  })

  it('decode never throws on any JavaScript value', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withNullPrototype: true }), (value) => {
        expect(['Left', 'Right']).toContain(decodeConversation(value)._tag)
      }),
    )
  })

  it('mutated payloads: never a throw, paths exist, raw is the input', () => {
    fc.assert(
      fc.property(mutatedPayload(), (input) => {
        const result = decodeSafely(input, 'lenient')
        if (result._tag === 'Right') expect(result.right.raw).toBe(input)
        decodeSafely(input, 'strict')
      }),
      { numRuns: 300 },
    )
  })
})

describe('for all current-form payloads', () => {
  it('strict decoding succeeds with no warnings, as the codec says', () => {
    fc.assert(
      fc.property(conversationPayload(), (p) => {
        expect(ConversationPayload.is(p)).toBe(true)
        const result = decodeConversation(p, { mode: 'strict' })
        if (result._tag === 'Left') throw new Error(result.left.message)
        expect(result.right.warnings).toEqual([])
      }),
    )
  })

  it('encodeConversation(decode(p)) deep-equals p', () => {
    fc.assert(
      fc.property(conversationPayload(), (p) => {
        const result = decodeConversation(p)
        if (result._tag === 'Left') throw new Error(result.left.message)
        expect(encodeConversation(result.right)).toStrictEqual(p)
      }),
    )
  })

  it('the decoder in strict mode agrees with the io-ts codec, valid or mutated', () => {
    fc.assert(
      fc.property(fc.oneof(conversationPayload({ maxMessages: 4 }), mutatedPayload()), (input) => {
        const strict = decodeConversation(input, { mode: 'strict' })
        expect(strict._tag === 'Right').toBe(ConversationPayload.is(input))
        expect(strict._tag === 'Right').toBe(ConversationPayload.decode(input)._tag === 'Right')
      }),
      { numRuns: 500 },
    )
  })
})
