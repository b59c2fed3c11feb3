import { describe, expect, it } from 'vitest'
import {
  type Conversation,
  ConversationPayload,
  decodeConversation,
  encodeConversation,
} from '../../src/index.js'
import { asAssembled } from '../support/assembled.js'
import { documentedExample, legacyExample } from '../support/payloads.js'

function decode(p: unknown): Conversation {
  const result = decodeConversation(p)
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

describe('encodeConversation', () => {
  it('gives back the documented example exactly, key order included', () => {
    const p = documentedExample()
    expect(JSON.stringify(encodeConversation(decode(p)))).toBe(JSON.stringify(p))
  })

  it('writes a pre-2018 payload in the current form', () => {
    const encoded = encodeConversation(decode(legacyExample()))
    expect(encoded).toStrictEqual(documentedExample())
    expect(ConversationPayload.is(encoded)).toBe(true)
  })

  it('keeps unknown fields at every level', () => {
    const p = documentedExample()
    p.future = { a: 1 }
    p.channel.future = 1
    p.visitor.future = 2
    p.visitor.variables.chatId.future = 3
    p.paths[1].future = 4
    p.messages[5].future = 5
    expect(encodeConversation(decode(p))).toStrictEqual(p)
  })

  it('writes values lenient decoding could not read back as they came', () => {
    const p = documentedExample()
    p.channel.isChat = 'yes'
    p.visitor.ipAddress = 1234
    p.visitor.variables.odd = 'not an object'
    p.paths.splice(1, 0, 'not a path')
    p.messages[3].from = 'agent:abc'
    p.messages[3].name = 7
    p.messages[2].type = 'note'
    const c = decode(p)
    expect(c.warningCount).toBe(7)
    expect(encodeConversation(c)).toStrictEqual(p)
  })

  it('writes a comment sent without a rating back', () => {
    const p = documentedExample()
    p.channel.rating = null
    p.channel.ratingDesc = 'no stars'
    const c = decode(p)
    expect(c.rating).toBeNull()
    expect(encodeConversation(c)).toStrictEqual(p)
  })

  it('writes a null the caller put over a readable value as null (scrubbing works)', () => {
    const c = decode(documentedExample())
    const scrubbed: Conversation = {
      ...c,
      visitor: c.visitor && { ...c.visitor, email: null, ipAddress: null },
    }
    const encoded = encodeConversation(scrubbed)
    expect(encoded.visitor.email).toBeNull()
    expect(encoded.visitor.ipAddress).toBeNull()
  })

  it('reflects changes made to the model', () => {
    const c = decode(documentedExample())
    const changed: Conversation = {
      ...c,
      rating: { value: 1, comment: 'slow' },
      messages: c.messages.slice(0, 1),
    }
    const encoded = encodeConversation(changed)
    expect(encoded.channel.rating).toBe(1)
    expect(encoded.channel.ratingDesc).toBe('slow')
    expect(encoded.messages).toHaveLength(1)
  })

  it('keeps __proto__ keys as plain keys', () => {
    const p = JSON.parse(
      JSON.stringify(documentedExample()).replace('"chatId"', '"__proto__":{"label":"P","value":1},"chatId"'),
    )
    p.messages[0] = JSON.parse(JSON.stringify(p.messages[0]).replace('{', '{"__proto__":{"x":1},'))
    const encoded = encodeConversation(decode(p))
    expect(encoded).toStrictEqual(p)
    expect(Object.getPrototypeOf(encoded.visitor.variables)).toBe(Object.prototype)
    expect(Object.hasOwn(encoded.messages[0] as object, '__proto__')).toBe(true)
  })

  it('writes a canonical decimal id as a number and any other string as it is', () => {
    const c = decode(documentedExample())
    const visitor = c.visitor
    if (visitor === null) throw new Error('the documented example has a visitor')
    const written = (id: string) => {
      const p = encodeConversation({ ...c, id, accountId: id, visitor: { ...visitor, id } })
      return [p.channel.id, p.accountId, p.visitor.id]
    }
    for (const [id, wire] of [
      ['55039', 55039],
      ['0', 0],
      ['-7', -7],
      ['9007199254740991', 9007199254740991],
      ['-9007199254740991', -9007199254740991],
    ] as const) {
      expect(written(id)).toStrictEqual([wire, wire, wire])
    }
    // Not canonical, or not a safe integer: a string, which the schema then rejects.
    for (const id of ['007', '-0', '+7', '1e3', '1.5', ' 7', '9007199254740992', 'conv-001', '']) {
      expect(written(id)).toStrictEqual([id, id, id])
      const p = encodeConversation({ ...c, id })
      expect(ConversationPayload.is(p)).toBe(false)
    }
  })

  it('reads raw only for a POST hook conversation: an assembled one is written from its model', () => {
    const p = documentedExample()
    p.future = { a: 1 }
    p.channel.isChat = 'yes'
    const c = decode(p)
    expect(encodeConversation(c)).toStrictEqual(p)
    // The same fields as an assembled conversation: no unknown field, and the unreadable flag as null.
    const assembled = asAssembled(c)
    const fromModel = documentedExample()
    fromModel.channel.isChat = null
    expect(encodeConversation(assembled)).toStrictEqual(fromModel)
    // A raw that is not its own is ignored, even at run time.
    expect(encodeConversation({ ...assembled, raw: p } as never)).toStrictEqual(fromModel)
  })

  it('writes an assembled conversation with webhook ids and no account as they are', () => {
    const c = decode(documentedExample())
    const assembled = asAssembled(c, {
      id: 'conv-001',
      accountId: null,
      messages: c.messages.map((m) =>
        m.kind === 'agent' ? { ...m, sender: { kind: 'agent', id: 'a-11' } } : m,
      ),
    })
    const p = encodeConversation(assembled)
    expect([p.channel.id, p.accountId]).toStrictEqual(['conv-001', null])
    expect(p.messages.filter((m) => m.type === 'agent' && m.triggeredBy === null).map((m) => m.from)).toEqual(
      ['agent:a-11'],
    )
    expect(ConversationPayload.is(p)).toBe(false)
  })
})
