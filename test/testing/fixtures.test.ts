import { readFileSync } from 'node:fs'
import {
  ConversationPayload,
  decodeConversation,
  encodeConversation,
  LegacyConversationPayload,
} from 'smartsupp-hook'
import { type FixtureName, fixtures, LARGE_FIXTURE_MESSAGES } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'

const names = Object.keys(fixtures) as FixtureName[]
const currentForm = names.filter((n) => n !== 'legacy' && n !== 'futureFields' && n !== 'post2020Variables')

function decoded(value: unknown, mode: 'lenient' | 'strict' = 'lenient') {
  const result = decodeConversation(value, { mode })
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

describe('fixtures', () => {
  it('has the ten kinds the testing kit promises', () => {
    expect(names).toEqual([
      'documentedExample',
      'missed',
      'offline',
      'triggeredOnly',
      'transfer',
      'rated',
      'unrated',
      'legacy',
      'futureFields',
      'post2020Variables',
      'large',
    ])
  })

  it.each(names)('%s decodes in lenient mode', (name) => {
    expect(decoded(fixtures[name]()).messages.length).toBeGreaterThan(0)
  })

  it.each(currentForm)('%s is in the current form: strict decoding, the codec, no warnings', (name) => {
    const payload = fixtures[name]()
    expect(ConversationPayload.is(payload)).toBe(true)
    expect(decoded(payload, 'strict').warnings).toEqual([])
    expect(decoded(payload).warnings).toEqual([])
  })

  it.each(names)('%s returns a fresh deep copy each call', (name) => {
    const a = fixtures[name]() as unknown as ConversationPayload
    const before = JSON.stringify(fixtures[name]())
    // Nested fields first (a shallow copy would share them), then the top level.
    const first = a.messages[0] as { content: string; sentAt: number } | undefined
    if (first !== undefined) {
      first.content = 'mutated'
      first.sentAt = -1
    }
    ;(a.channel as { rating: unknown }).rating = 99
    if (a.visitor !== null && typeof a.visitor === 'object') (a.visitor as { name: unknown }).name = 'mutated'
    if (Array.isArray(a.paths) && a.paths[0] !== undefined) (a.paths[0] as { url: string }).url = 'mutated'
    a.messages.length = 0
    a.channel.id = -1
    expect(JSON.stringify(fixtures[name]())).toBe(before)
    expect(fixtures[name]()).not.toBe(fixtures[name]())
  })

  it('documentedExample is the bundled example, field for field', () => {
    const file = new URL('../../examples/payloads/documented-example.json', import.meta.url)
    expect(fixtures.documentedExample()).toStrictEqual(JSON.parse(readFileSync(file, 'utf8')))
  })

  it('missed: the visitor wrote, no agent answered', () => {
    const c = decoded(fixtures.missed())
    expect(c.flags).toMatchObject({ isMissed: true, isChat: false, isCompleted: false, isOffline: false })
    expect(c.messages.some((m) => m.kind === 'agent')).toBe(false)
    expect(c.reported.firstResponseSeconds).toBe(0)
  })

  it('offline: one visitor message, isOffline, not missed', () => {
    const c = decoded(fixtures.offline())
    expect(c.flags).toMatchObject({ isOffline: true, isMissed: false, isChat: false })
    expect(c.messages.map((m) => m.kind)).toEqual(['visitor'])
  })

  it('triggeredOnly: automatic messages and no human', () => {
    const c = decoded(fixtures.triggeredOnly())
    expect(c.flags).toMatchObject({ isTriggered: true, isChat: false })
    expect(c.messages.map((m) => m.kind)).toEqual(['trigger', 'trigger', 'system'])
  })

  it('transfer: two agents join and write', () => {
    const c = decoded(fixtures.transfer())
    const joined = c.messages.filter((m) => m.kind === 'system' && m.event === 'agent.join')
    expect(joined.map((m) => m.sender)).toEqual([
      { kind: 'agent', id: '3' },
      { kind: 'agent', id: '7' },
    ])
    const writers = new Set(c.messages.flatMap((m) => (m.kind === 'agent' ? [m.sender.id] : [])))
    expect([...writers]).toEqual(['3', '7'])
    expect(c.flags).toMatchObject({ isChat: true, isCompleted: true, isMissed: false })
  })

  it('rated carries a comment, unrated has no rating at all', () => {
    expect(decoded(fixtures.rated()).rating).toEqual({ value: 5, comment: 'Quick and friendly, thank you!' })
    const unrated = fixtures.unrated()
    expect([unrated.channel.rating, unrated.channel.ratingDesc]).toEqual([null, null])
    expect(decoded(unrated).rating).toBeNull()
  })

  it('legacy is the pre-2018 form of the documented example', () => {
    const payload = fixtures.legacy()
    expect(LegacyConversationPayload.is(payload)).toBe(true)
    expect(decodeConversation(payload, { mode: 'strict' })._tag).toBe('Left')
    const c = decoded(payload)
    expect(new Set(c.warnings.map((w) => w.code))).toEqual(new Set(['legacy_form']))
    expect(encodeConversation(c)).toStrictEqual(fixtures.documentedExample())
  })

  it('futureFields has an unknown field at every level, and only those deviations', () => {
    const payload = fixtures.futureFields()
    expect(decodeConversation(payload, { mode: 'strict' })._tag).toBe('Left')
    const c = decoded(payload)
    expect(c.warnings.every((w) => w.code === 'unknown_field')).toBe(true)
    const paths = c.warnings.map((w) => w.path)
    for (const level of [
      /^[a-zA-Z]+$/,
      /^channel\./,
      /^visitor\.[a-z]+$/,
      /^visitor\.variables\.\w+\./,
      /^paths\[\d+\]\./,
      /^messages\[\d+\]\./,
    ]) {
      expect(paths.some((p) => level.test(p))).toBe(true)
    }
  })

  it(`large holds ${LARGE_FIXTURE_MESSAGES} messages by default, or as many as asked`, () => {
    const c = decoded(fixtures.large(), 'strict')
    expect(c.messages).toHaveLength(LARGE_FIXTURE_MESSAGES)
    expect(c.flags).toMatchObject({ isChat: true, isCompleted: true })
    expect(fixtures.large(10).messages).toHaveLength(10)
    expect(() => fixtures.large(2)).toThrow(TypeError)
  })
})
