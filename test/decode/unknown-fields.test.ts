import { describe, expect, it } from 'vitest'
import { ConversationPayload, decodeConversation } from '../../src/index.js'
import { documentedExample, setAt } from '../support/payloads.js'

const places = [
  'futureField',
  'channel.futureField',
  'visitor.futureField',
  'visitor.variables.chatId.futureField',
  'paths[0].futureField',
  'messages[2].futureField',
]

describe('unknown fields', () => {
  it.each(places)('%s: lenient keeps it in raw and warns with its path', (path) => {
    const p = documentedExample()
    setAt(p, path, { nested: [1, 2, 3] })
    const result = decodeConversation(p)
    if (result._tag === 'Left') throw new Error(result.left.message)
    expect(result.right.warnings).toEqual([
      {
        path,
        code: 'unknown_field',
        expected: 'only documented fields',
        found: 'an object',
        message: `${path}: not in the spec; kept in raw (found an object)`,
      },
    ])
    expect(JSON.stringify(result.right.raw)).toContain('"futureField":{"nested":[1,2,3]}')
  })

  it.each(places)('%s: strict fails, and so does the codec', (path) => {
    const p = documentedExample()
    setAt(p, path, 1)
    const result = decodeConversation(p, { mode: 'strict' })
    expect(result._tag === 'Left' && result.left.issues.map((i) => [i.path, i.code])).toEqual([
      [path, 'unknown_field'],
    ])
    expect(ConversationPayload.is(p)).toBe(false)
  })

  it('warns about every level at once', () => {
    const p = documentedExample()
    for (const path of places) setAt(p, path, true)
    const result = decodeConversation(p)
    expect(result._tag === 'Right' && result.right.warnings.map((w) => w.path).sort()).toEqual(
      [...places].sort(),
    )
  })

  it('names a key that is not an identifier with brackets', () => {
    const p = documentedExample()
    p.channel['new field'] = 1
    p.visitor.variables['my key'] = { label: 'x', value: 1, extra: 2 }
    const result = decodeConversation(p)
    expect(result._tag === 'Right' && result.right.warnings.map((w) => w.path)).toEqual([
      'channel["new field"]',
      'visitor.variables["my key"].extra',
    ])
  })

  it('still reports an unknown field beside a missing one', () => {
    const p = documentedExample()
    delete p.channel.isDropped
    p.channel.isDeleted = false
    const result = decodeConversation(p)
    expect(result._tag === 'Right' && result.right.warnings.map((w) => [w.path, w.code])).toEqual([
      ['channel.isDropped', 'missing'],
      ['channel.isDeleted', 'unknown_field'],
    ])
  })
})
