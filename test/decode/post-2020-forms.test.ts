import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  type Conversation,
  ConversationPayload,
  decodeConversation,
  encodeConversation,
  parseConversation,
} from '../../src/index.js'
import { fixtures } from '../../src/testing/index.js'
import { documentedExample } from '../support/payloads.js'

const fixtureBytes = readFileSync(
  fileURLToPath(new URL('../../examples/payloads/post-2020-variables.json', import.meta.url)),
)

function decode(p: unknown): Conversation {
  const result = decodeConversation(p)
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

describe('post-2020 payload forms', () => {
  it('the example file is the post2020Variables fixture', () => {
    expect(JSON.parse(fixtureBytes.toString('utf8'))).toStrictEqual(fixtures.post2020Variables())
  })

  it('lenient: flat variables read as { label: null, value } with a newer_form warning each; booleans kept', () => {
    const result = parseConversation(fixtureBytes)
    if (result._tag === 'Left') throw new Error(result.left.message)
    const c = result.right
    expect(c.visitor?.variables).toEqual({
      chatId: { label: 'Chat ID', value: 208 },
      newsletter: { label: 'Newsletter', value: false },
      User_ID: { label: null, value: '1234' },
      isPremium: { label: null, value: true },
      cartValue: { label: null, value: 208.5 },
    })
    expect(c.warnings.map((w) => [w.path, w.code])).toEqual([
      ['visitor.variables.User_ID', 'newer_form'],
      ['visitor.variables.isPremium', 'newer_form'],
      ['visitor.variables.cartValue', 'newer_form'],
    ])
    expect(c.warnings[0]?.message).toBe(
      'visitor.variables.User_ID: undocumented newer form "1234" (a string); read as { label: null, value }',
    )
    // Ratings on the 1/3/5 scale stay integers on the 1–5 scale.
    expect(c.rating).toEqual({ value: 3, comment: 'OK' })
  })

  it('strict: each flat variable is an issue; a boolean value in the documented form is not', () => {
    const result = parseConversation(fixtureBytes, { mode: 'strict' })
    if (result._tag === 'Right') throw new Error('expected a failure')
    expect(result.left.issues.map((i) => [i.path, i.code])).toEqual([
      ['visitor.variables.User_ID', 'newer_form'],
      ['visitor.variables.isPremium', 'newer_form'],
      ['visitor.variables.cartValue', 'newer_form'],
    ])
    const p = documentedExample()
    p.visitor.variables.chatId.value = true
    expect(ConversationPayload.is(p)).toBe(true)
    const strict = decodeConversation(p, { mode: 'strict' })
    expect(strict._tag).toBe('Right')
    if (strict._tag === 'Right') expect(strict.right.visitor?.variables?.chatId?.value).toBe(true)
  })

  it('encodes flat variables back as they came: the round trip holds', () => {
    const p = fixtures.post2020Variables()
    expect(JSON.stringify(encodeConversation(decode(p)))).toBe(JSON.stringify(p))
  })

  it('a changed flat variable is written flat; a built one without a label too', () => {
    const c = decode(fixtures.post2020Variables())
    const variables = {
      ...c.visitor?.variables,
      User_ID: { label: null, value: '99' },
      added: { label: null, value: false },
    }
    const encoded = encodeConversation({ ...c, visitor: c.visitor && { ...c.visitor, variables } })
    expect(encoded.visitor.variables.User_ID).toBe('99')
    expect(encoded.visitor.variables.added).toBe(false)
  })

  it('null and array entries are still skipped, with a warning, and written back as they came', () => {
    const p = documentedExample()
    p.visitor.variables.a = null
    p.visitor.variables.b = [1]
    const c = decode(p)
    expect(Object.keys(c.visitor?.variables ?? {})).toEqual(['chatId', 'chatPackage', 'userId'])
    expect(c.warnings.map((w) => [w.path, w.code, w.message.endsWith('(entry skipped)')])).toEqual([
      ['visitor.variables.a', 'invalid_type', true],
      ['visitor.variables.b', 'invalid_type', true],
    ])
    expect(encodeConversation(c)).toStrictEqual(p)
  })
})
