import fc from 'fast-check'
import { ConversationPayload, decodeConversation } from 'smartsupp-hook'
import {
  type ConversationBuilder,
  conversation,
  DEFAULT_GAP_MS,
  DEFAULT_START_AT,
  fixtures,
} from 'smartsupp-hook/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'

function strict(payload: unknown) {
  const result = decodeConversation(payload, { mode: 'strict' })
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

describe('conversation()', () => {
  const example = () =>
    conversation().visitor('Hello').join(3, 'John Doe').agent(3, 'Hi, how can I help?').visitorClose()

  it("builds the issue's example as a consistent wire payload", () => {
    const p = example().build()
    expect(ConversationPayload.is(p)).toBe(true)
    expect(p.messages).toEqual([
      {
        type: 'visitor',
        name: 'Jane Roe',
        from: 'visitor:v1a2b3c4',
        content: 'Hello',
        sentAt: DEFAULT_START_AT,
        triggeredBy: null,
      },
      {
        type: 'system',
        name: 'John Doe',
        from: 'agent:3',
        content: 'agent.join',
        sentAt: DEFAULT_START_AT + DEFAULT_GAP_MS,
        triggeredBy: null,
      },
      {
        type: 'agent',
        name: 'John Doe',
        from: 'agent:3',
        content: 'Hi, how can I help?',
        sentAt: DEFAULT_START_AT + 2 * DEFAULT_GAP_MS,
        triggeredBy: null,
      },
      {
        type: 'system',
        name: 'Jane Roe',
        from: 'system',
        content: 'close.visitorClose',
        sentAt: DEFAULT_START_AT + 3 * DEFAULT_GAP_MS,
        triggeredBy: null,
      },
    ])
    expect(p.beginAt).toBe(DEFAULT_START_AT)
    expect(p.endAt).toBe(DEFAULT_START_AT + 15_000)
    expect(p.channel).toEqual({
      id: 1000,
      isChat: true,
      isMissed: false,
      isTriggered: false,
      isOffline: false,
      isCompleted: true,
      isDropped: false,
      duration: 15,
      avgResponse: 10,
      firstResponse: 10,
      messagesCount: 3,
      wordsCount: 6,
      rating: null,
      ratingDesc: null,
    })
    expect(strict(p).warnings).toEqual([])
  })

  it("reproduces Smartsupp's figures for the documented example's messages", () => {
    const doc = fixtures.documentedExample()
    const visitorKey = doc.messages[0]?.from.slice('visitor:'.length) ?? ''
    const p = conversation({ id: 55039, startAt: doc.beginAt, visitorName: 'Dusan Kmet', visitorKey })
      .visitor('Hello', { name: null })
      .join(3, 'John Doe', { after: 6_516 })
      .trigger('This is triggered message', 'Test Trigger', { after: 3_487 })
      .agent(3, 'Hi, how can i help you ?', { after: 4_066 })
      .visitor('tanks.', { after: 19_352 })
      .visitorClose({ after: 3_563 })
      .rate(5)
      .build()
    expect(p.messages).toEqual(doc.messages)
    expect([p.beginAt, p.endAt]).toEqual([doc.beginAt, doc.endAt])
    // wordsCount is Smartsupp's own undocumented count (11 there); everything else agrees.
    expect({ ...p.channel, wordsCount: 11 }).toEqual(doc.channel)
  })

  it('is deterministic and immutable: the same steps give the same payload, a base can branch', () => {
    const base = conversation().visitor('Hi')
    const answered = base.agent(1, 'Hello!')
    const missed = base.visitorClose()
    expect(answered.build()).toStrictEqual(base.agent(1, 'Hello!').build())
    expect(base.build().messages).toHaveLength(1)
    expect(answered.build().channel.isMissed).toBe(false)
    expect(missed.build().channel.isMissed).toBe(true)
    expect(answered.build()).not.toBe(answered.build())
  })

  it('derives the flags from the messages', () => {
    const offline = conversation().offline().visitor('Call me back').build().channel
    expect(offline).toMatchObject({ isOffline: true, isMissed: false, isChat: false, isCompleted: false })
    const triggered = conversation().trigger('Need help?').visitor('No').visitorClose().build().channel
    expect(triggered).toMatchObject({ isTriggered: true, isMissed: true, isChat: false, firstResponse: 0 })
    const open = conversation().visitor('Hi').agent(2, 'Hello').build().channel
    expect(open).toMatchObject({ isChat: true, isCompleted: false, isDropped: false })
    expect(conversation().visitor('Hi').dropped().build().channel.isDropped).toBe(true)
    const empty = conversation().build()
    expect([empty.messages.length, empty.beginAt, empty.endAt, empty.channel.duration]).toEqual([
      0,
      DEFAULT_START_AT,
      DEFAULT_START_AT,
      0,
    ])
  })

  it('averages the response time over visitor turns that got a human reply', () => {
    const c = conversation({ gapMs: 1_000 })
      .visitor('one')
      .visitor('two', { after: 3_000 })
      .join(4, 'Ann', { after: 1_000 })
      .trigger('auto', 'T', { after: 1_000 })
      .agent(4, 'reply one', { after: 2_000 }) // 7 s after the turn's first message
      .visitor('three', { after: 10_000 })
      .agent(4, 'reply two', { after: 4_500 }) // 4.5 s
      .visitor('four', { after: 1_000 }) // unanswered: not in the average
      .build().channel
    expect([c.firstResponse, c.avgResponse]).toEqual([7, 5]) // floor(5.75)
  })

  it('overrides any field with with(): objects merge, arrays replace, unknown fields stay', () => {
    const p = conversation()
      .visitor('Hi')
      .with({
        channel: { id: 9, rating: 4 },
        visitor: { variables: { plan: { label: 'Plan', value: 'pro' } } },
      })
      .with({ paths: [], accountId: 1, extra: { a: 1 } })
      .build()
    expect(p.channel.id).toBe(9)
    expect(p.channel.rating).toBe(4)
    expect(p.channel.isMissed).toBe(true)
    expect(p.visitor.name).toBe('Jane Roe')
    expect(p.visitor.variables).toEqual({ plan: { label: 'Plan', value: 'pro' } })
    expect(p.paths).toEqual([])
    expect(p.accountId).toBe(1)
    expect((p as unknown as Record<string, unknown>).extra).toEqual({ a: 1 })
  })

  it('names: agents by their join name, else "Agent <id>"; an anonymous visitor has none', () => {
    const p = conversation({ visitorName: null })
      .visitor('Hi')
      .agent(5, 'Hello')
      .join(6, 'Bo')
      .agent(6, 'Hey')
      .build()
    expect(p.messages.map((m) => m.name)).toEqual([undefined, 'Agent 5', 'Bo', 'Bo'])
    expect(p.visitor.name).toBeNull()
    expect(p.visitor.email).toBeNull()
  })

  it('rejects a clock that is not whole milliseconds', () => {
    expect(() => conversation({ startAt: 1.5 })).toThrow(TypeError)
    expect(() => conversation({ gapMs: Number.NaN })).toThrow(/gapMs/)
    expect(() => conversation().visitor('x', { after: -1 })).toThrow(/after/)
    expect(() => conversation().wait(0.5)).toThrow(/wait/)
    expect(
      conversation({ startAt: new Date(0) })
        .visitor('x')
        .build().beginAt,
    ).toBe(0)
  })

  it('for any steps, the payload decodes strictly and its duration matches its timestamps', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('visitor' as const), after: fc.nat({ max: 600_000 }) }),
      fc.record({
        kind: fc.constant('agent' as const),
        id: fc.nat({ max: 5 }),
        after: fc.nat({ max: 600_000 }),
      }),
      fc.record({
        kind: fc.constant('join' as const),
        id: fc.nat({ max: 5 }),
        after: fc.nat({ max: 600_000 }),
      }),
      fc.record({ kind: fc.constant('trigger' as const), after: fc.nat({ max: 600_000 }) }),
      fc.record({ kind: fc.constant('close' as const), after: fc.nat({ max: 600_000 }) }),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let b: ConversationBuilder = conversation()
        for (const s of steps) {
          if (s.kind === 'visitor') b = b.visitor('text', { after: s.after })
          else if (s.kind === 'agent') b = b.agent(s.id, 'reply', { after: s.after })
          else if (s.kind === 'join') b = b.join(s.id, `Agent ${s.id}`, { after: s.after })
          else if (s.kind === 'trigger') b = b.trigger('auto', 'T', { after: s.after })
          else b = b.visitorClose({ after: s.after })
        }
        const p = b.build()
        const c = strict(p)
        expect(c.messages).toHaveLength(steps.length)
        expect(p.channel.duration).toBe(Math.floor((p.endAt - p.beginAt) / 1000))
        expect(p.channel.firstResponse).toBeLessThanOrEqual(p.channel.duration)
        expect(p.channel.isCompleted && p.channel.isMissed).toBe(false)
      }),
    )
  })
})

describe('conversation(): the rest of the steps', () => {
  afterEach(() => vi.useRealTimers())

  it('does not read the clock: the same steps give the same payload when the system time moves', () => {
    const steps = () => conversation().visitor('Hi').join(2, 'Ann').agent(2, 'Hello').visitorClose()
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2001-01-01T00:00:00Z'))
    const before = steps().build()
    vi.setSystemTime(new Date('2035-06-30T12:34:56Z'))
    expect(steps().build()).toStrictEqual(before)
    expect(before.beginAt).toBe(DEFAULT_START_AT)
  })

  it('event(code) adds a system message with that code, after the usual gap, and its from/name options', () => {
    const p = conversation().visitor('Hi').event('agent.unassign', { from: 'agent:7', name: 'Ann' }).build()
    expect(p.messages[1]).toEqual({
      type: 'system',
      from: 'agent:7',
      name: 'Ann',
      content: 'agent.unassign',
      sentAt: DEFAULT_START_AT + DEFAULT_GAP_MS,
      triggeredBy: null,
    })
    expect(conversation().event('chat.custom').build().messages[0]).toMatchObject({
      type: 'system',
      from: 'system',
      content: 'chat.custom',
    })
    strict(p)
  })

  it('wait(ms) moves the next message later and counts in the durations', () => {
    const p = conversation().visitor('Hi').wait(60_000).agent(1, 'Sorry for the wait').build()
    expect(p.messages[1]?.sentAt).toBe(DEFAULT_START_AT + DEFAULT_GAP_MS + 60_000)
    expect(p.channel.firstResponse).toBe(65)
    expect(() => conversation().wait(-1)).toThrow(TypeError)
    expect(() => conversation().wait(1.5)).toThrow(TypeError)
  })

  it('rate(value) takes a whole number from 1 to 5, anything else is a RangeError', () => {
    expect(conversation().visitor('Hi').rate(1).build().channel.rating).toBe(1)
    expect(conversation().visitor('Hi').rate(5, 'great').build().channel).toMatchObject({
      rating: 5,
      ratingDesc: 'great',
    })
    for (const bad of [0, 6, 9, 2.5, Number.NaN, -1]) {
      expect(() => conversation().rate(bad)).toThrow(RangeError)
    }
    expect(() => conversation().rate(9)).toThrow('rate(value) must be a whole number from 1 to 5, got 9')
  })

  it('dropped() then visitorClose(): dropped, never completed as well', () => {
    const channel = conversation().visitor('Hi').agent(1, 'Hello').dropped().visitorClose().build().channel
    expect(channel).toMatchObject({ isDropped: true, isCompleted: false })
    const closed = conversation().visitor('Hi').agent(1, 'Hello').visitorClose().build().channel
    expect(closed).toMatchObject({ isDropped: false, isCompleted: true })
  })
})

describe('conversation(): documented defaults', () => {
  it('starts the clock at 2024-03-14T09:30:00.000Z and spaces messages 5 s apart', () => {
    expect(DEFAULT_START_AT).toBe(Date.parse('2024-03-14T09:30:00.000Z'))
    expect(DEFAULT_GAP_MS).toBe(5_000)
    const p = conversation().visitor('Hello').visitor('Anyone?').build()
    expect(p.messages.map((m) => new Date(m.sentAt).toISOString())).toEqual([
      '2024-03-14T09:30:00.000Z',
      '2024-03-14T09:30:05.000Z',
    ])
  })
})
