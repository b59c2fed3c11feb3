import { describe, expect, it } from 'vitest'
import { type Conversation, type DecodeFailure, decodeConversation } from '../../src/index.js'
import { deleteAt, documentedExample, setAt } from '../support/payloads.js'

interface Row {
  readonly path: string
  /** A value of the wrong type for that field. */
  readonly wrong: unknown
  /** Where the lenient model shows the field became null (or was skipped); absent for essentials. */
  readonly model?: (c: Conversation) => unknown
  /** The field may be absent by the spec (only `messages[].name`). */
  readonly mayBeAbsent?: boolean
  /** An entry of a map or an array: absence is not a deviation, just a smaller collection. */
  readonly entry?: boolean
}

const essential: Row[] = [
  { path: 'accountId', wrong: '208' },
  { path: 'beginAt', wrong: 1.5 },
  { path: 'endAt', wrong: '1427470476687' },
  { path: 'channel', wrong: 'channel' },
  { path: 'channel.id', wrong: '55039' },
  { path: 'messages', wrong: {} },
  { path: 'messages[3]', wrong: 'Hi' },
  { path: 'messages[3].type', wrong: 1 },
  { path: 'messages[3].content', wrong: null },
  { path: 'messages[3].sentAt', wrong: '1427470453772' },
]

const lenient: Row[] = [
  ...(['isChat', 'isMissed', 'isTriggered', 'isOffline', 'isCompleted', 'isDropped'] as const).map(
    (flag) => ({
      path: `channel.${flag}`,
      wrong: 'true',
      model: (c: Conversation) => c.flags[flag],
    }),
  ),
  { path: 'channel.duration', wrong: '36', model: (c) => c.reported.durationSeconds },
  { path: 'channel.avgResponse', wrong: 14.5, model: (c) => c.reported.averageResponseSeconds },
  { path: 'channel.firstResponse', wrong: null, model: (c) => c.reported.firstResponseSeconds },
  { path: 'channel.messagesCount', wrong: [], model: (c) => c.reported.messageCount },
  { path: 'channel.wordsCount', wrong: true, model: (c) => c.reported.wordCount },
  { path: 'channel.rating', wrong: '5', model: (c) => c.rating },
  { path: 'channel.ratingDesc', wrong: 5, model: (c) => c.rating?.comment },
  { path: 'visitor', wrong: [], model: (c) => c.visitor },
  { path: 'visitor.id', wrong: '27671', model: (c) => c.visitor?.id },
  ...(['name', 'email', 'note', 'group'] as const).map((key) => ({
    path: `visitor.${key}`,
    wrong: 42,
    model: (c: Conversation) => c.visitor?.[key],
  })),
  ...(['ipAddress', 'city', 'countryCode', 'country', 'userAgent', 'platform', 'referer'] as const).map(
    (key) => ({
      path: `visitor.${key}`,
      wrong: null,
      model: (c: Conversation) => c.visitor?.[key],
    }),
  ),
  { path: 'visitor.variables', wrong: [], model: (c) => c.visitor?.variables },
  {
    // A scalar is the flat post-2020 form (read, see post-2020-forms.test.ts); null is still skipped.
    path: 'visitor.variables.chatId',
    wrong: null,
    model: (c) => c.visitor?.variables?.chatId ?? null,
    entry: true,
  },
  { path: 'visitor.variables.chatId.label', wrong: 1, model: (c) => c.visitor?.variables?.chatId?.label },
  {
    path: 'visitor.variables.chatId.value',
    wrong: [true],
    model: (c) => c.visitor?.variables?.chatId?.value,
  },
  { path: 'paths', wrong: {}, model: (c) => c.paths },
  {
    path: 'paths[1]',
    wrong: 'http://x',
    model: (c) => (c.paths?.length === 1 ? null : 'not skipped'),
    entry: true,
  },
  { path: 'paths[1].url', wrong: 1, model: (c) => c.paths?.[1]?.url },
  { path: 'paths[1].title', wrong: null, model: (c) => c.paths?.[1]?.title },
  { path: 'messages[3].name', wrong: 3, model: (c) => c.messages[3]?.name, mayBeAbsent: true },
  { path: 'messages[3].from', wrong: 3.5, model: (c) => c.messages[3]?.sender },
  { path: 'messages[3].triggeredBy', wrong: 1, model: (c) => c.messages[3]?.triggeredBy },
]

function failure(result: ReturnType<typeof decodeConversation>): DecodeFailure {
  if (result._tag === 'Right') throw new Error('expected a failure')
  return result.left
}

function success(result: ReturnType<typeof decodeConversation>): Conversation {
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

const absentable = (row: Row) => row.mayBeAbsent !== true && row.entry !== true

describe.each([
  {
    label: 'a field of the wrong type',
    code: 'invalid_type',
    change: (p: unknown, row: Row) => setAt(p, row.path, row.wrong),
    essentials: essential,
    others: lenient,
  },
  {
    label: 'a missing field',
    code: 'missing',
    change: (p: unknown, row: Row) => deleteAt(p, row.path),
    // A missing array element is not a thing; a missing message is just a shorter array.
    essentials: essential.filter((row) => !row.path.endsWith(']')),
    others: lenient.filter(absentable),
  },
] as const)('$label', ({ code, change, essentials, others }) => {
  describe.each(essentials)('essential $path', (row) => {
    it.each(['lenient', 'strict'] as const)('fails in %s mode, naming the path', (mode) => {
      const p = documentedExample()
      change(p, row)
      const f = failure(decodeConversation(p, { mode }))
      expect(f.issues).toHaveLength(1)
      expect(f.issues[0]).toMatchObject({ path: row.path, code })
      expect(f.issues[0]?.message.startsWith(`${row.path}: expected `)).toBe(true)
      expect(f.message).toContain(row.path)
    })
  })

  describe.each(others)('documented $path', (row) => {
    it('lenient: decodes, nulls the field and warns with the path', () => {
      const p = documentedExample()
      change(p, row)
      const c = success(decodeConversation(p))
      expect(c.warnings).toHaveLength(1)
      expect(c.warnings[0]).toMatchObject({ path: row.path, code })
      expect(c.warningCount).toBe(1)
      expect(row.model?.(c)).toBeNull()
    })

    it('strict: fails with exactly that issue', () => {
      const p = documentedExample()
      change(p, row)
      const f = failure(decodeConversation(p, { mode: 'strict' }))
      expect(f.issues.map((i) => i.path)).toEqual([row.path])
      expect(f.issues[0]?.code).toBe(code)
    })
  })
})

describe('fields the spec allows to be absent or null', () => {
  it('a message without name decodes with name null and no warning, in both modes', () => {
    for (const mode of ['lenient', 'strict'] as const) {
      const p = documentedExample()
      delete p.messages[3].name
      const c = success(decodeConversation(p, { mode }))
      expect(c.messages[3]?.name).toBeNull()
      expect(c.warnings).toEqual([])
    }
  })

  it('a null rating and comment give rating null and no warning, in both modes', () => {
    for (const mode of ['lenient', 'strict'] as const) {
      const p = documentedExample()
      p.channel.rating = null
      p.channel.ratingDesc = null
      const c = success(decodeConversation(p, { mode }))
      expect(c.rating).toBeNull()
      expect(c.warnings).toEqual([])
    }
  })

  it('null visitor name, email, note and group are no warning', () => {
    const p = documentedExample()
    Object.assign(p.visitor, { name: null, email: null, note: null, group: null })
    const c = success(decodeConversation(p, { mode: 'strict' }))
    expect(c.visitor).toMatchObject({ name: null, email: null, note: null, group: null })
  })

  it('empty paths, variables and messages are no warning', () => {
    const p = documentedExample()
    p.paths = []
    p.visitor.variables = {}
    p.messages = []
    const c = success(decodeConversation(p, { mode: 'strict' }))
    expect(c.paths).toEqual([])
    expect(Object.keys(c.visitor?.variables ?? { x: 1 })).toEqual([])
    expect(c.messages).toEqual([])
  })

  it('a rating with an empty comment keeps the empty comment', () => {
    const c = success(decodeConversation(documentedExample()))
    expect(c.rating).toEqual({ value: 5, comment: '' })
  })

  it('a numeric or a string variable value is kept as it came', () => {
    const c = success(decodeConversation(documentedExample(), { mode: 'strict' }))
    expect(c.visitor?.variables?.chatId?.value).toBe(208)
    expect(c.visitor?.variables?.userId?.value).toBe('1234')
  })
})
