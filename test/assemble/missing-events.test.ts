import { assembleConversation, assembleConversationOrThrow, SmartsuppDecodeError } from 'smartsupp-hook'
import { webhookConversation } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'
import { at, copy, decoded, named, petr, story } from './support.js'

const without = (names: readonly string[]) => story().filter((e) => !names.includes(e.event))

function failure(result: ReturnType<typeof assembleConversation>) {
  if (result._tag === 'Right') throw new Error('expected a failure')
  return result.left
}

describe('assembleConversation with events missing', () => {
  it('takes beginAt from conversation.created_at when conversation.opened never came', () => {
    const c = assembleConversationOrThrow(decoded(without(['conversation.opened'])))
    expect(c.beginAt).toEqual(at(0))
    expect(c.messages.map((m) => m.content)).toEqual([
      'Hi',
      'agent.join',
      'Hello',
      'Thanks',
      'close.agentClose',
    ])
  })

  it('is not closed when no closing event came: endAt is the latest time seen, closedAt and closedBy null', () => {
    const c = assembleConversationOrThrow(decoded(without(['conversation.closed'])))
    expect(c).toMatchObject({ closedAt: null, closedBy: null, endAt: at(25) })
    // Answered, so not missed; not closed, so not completed.
    expect(c.flags).toMatchObject({ isCompleted: false, isMissed: false, isChat: true })
    expect(c.messages.at(-1)?.content).toBe('Thanks')
  })

  it('reads a conversation of replies only; nothing else is invented', () => {
    const replies = story().filter((e) => e.event.endsWith('_replied'))
    const c = assembleConversationOrThrow(decoded(replies))
    expect(c).toMatchObject({
      id: 'conv-001',
      accountId: '881987',
      beginAt: at(0), // data.conversation.created_at still tells it
      endAt: at(20),
      rating: null,
      closedAt: null,
      closedBy: null,
      paths: null,
    })
    expect(c.flags).toEqual({
      isChat: true,
      isMissed: false,
      isTriggered: false,
      isOffline: false,
      isCompleted: false,
      isDropped: null,
    })
    expect(c.visitor).toEqual({
      id: 'vis-001',
      name: 'Jana Nováková',
      email: null,
      note: null,
      group: null,
      ipAddress: null,
      city: null,
      countryCode: null,
      country: null,
      userAgent: null,
      platform: null,
      referer: null,
      variables: {},
    })
  })

  it('reads a reply without its conversation object: visitor, flags told by it and created_at are null', () => {
    const reply = copy(named(story(), 'conversation.contact_replied'))
    delete reply.data.conversation
    const c = assembleConversationOrThrow(decoded([reply]))
    expect(c).toMatchObject({
      id: 'conv-001',
      accountId: '881987',
      beginAt: at(5), // the earliest time seen, as no created_at was told
      endAt: at(5),
      visitor: null,
      rating: null,
    })
    expect(c.flags.isOffline).toBeNull()
    // An isOffline no event told reads as not offline: an unanswered visitor message is missed.
    expect(c.flags.isMissed).toBe(true)
    expect(c.messages).toEqual([
      {
        kind: 'visitor',
        sender: { kind: 'visitor', key: 'vis-001' },
        name: 'Jana Nováková',
        content: 'Hi',
        sentAt: at(5),
        triggeredBy: null,
      },
    ])
    // The decoder's warning about the missing object, at the event's index in `events`.
    expect(c.warnings.map((w) => w.path)).toEqual(['[0].data.conversation'])
    expect(c.warnings[0]?.message).toMatch(/^\[0\]\.data\.conversation: /)
  })

  it('reads the rating from conversation.rating when the rated event is missing', () => {
    const c = assembleConversationOrThrow(decoded(without(['conversation.rated'])))
    // The closing event's conversation carries the rating the rated event set.
    expect(c.rating).toEqual({ value: 5, comment: 'great' })
    const early = assembleConversationOrThrow(decoded(without(['conversation.rated', 'conversation.closed'])))
    expect(early.rating).toBeNull()
  })

  it('fails on no event at all, with the root path', () => {
    expect(failure(assembleConversation([]))).toMatchObject({
      mode: 'lenient',
      issueCount: 1,
      issues: [{ path: '', code: 'missing' }],
    })
  })

  it('fails on events of two conversations, at the path of every other id', () => {
    const other = webhookConversation({ id: 'conv-002' })
      .opened()
      .agentJoined(petr)
      .contactReplied('x')
      .build()
    const events = decoded([...story().slice(0, 2), ...other])
    const left = failure(assembleConversation(events))
    expect(left.issues.map((i) => i.path)).toEqual([
      '[2].data.conversation.id',
      '[3].data.conversation_id',
      '[4].data.conversation.id',
      '[4].data.message.conversation_id',
    ])
    expect(left.issues[0]?.message).toBe(
      '[2].data.conversation.id: expected "conv-001", the conversation id at [0].data.conversation.id, found "conv-002" (a string) (these are events of more than one conversation: group events by conversation id before assembling)',
    )
    expect(left.message).toMatch(/^Not a valid Smartsupp webhook conversation \(lenient\): \[2\]\.data/)
  })

  it('fails with the ids of the others when options.conversationId picks one', () => {
    const other = webhookConversation({ id: 'conv-002' }).opened().build()
    const events = decoded([...story().slice(0, 2), ...other])
    const left = failure(assembleConversation(events, { conversationId: 'conv-002' }))
    expect(left.issues.map((i) => i.path)).toEqual([
      '[0].data.conversation.id',
      '[1].data.conversation.id',
      '[1].data.message.conversation_id',
    ])
    expect(left.issues[0]?.expected).toBe('"conv-002", the conversation id at options.conversationId')
    expect(assembleConversationOrThrow(decoded(other), { conversationId: 'conv-002' }).id).toBe('conv-002')
  })

  it('fails when no event carries a conversation id, at each event’s id path', () => {
    const joined = copy(named(story(), 'conversation.agent_joined'))
    delete joined.data.conversation_id
    const reply = copy(named(story(), 'conversation.contact_replied'))
    delete reply.data.conversation
    delete reply.data.message.conversation_id
    const left = failure(assembleConversation(decoded([joined, reply])))
    expect(left.issues.map((i) => [i.path, i.code])).toEqual([
      ['[0].data.conversation_id', 'missing'],
      ['[1].data.conversation.id', 'missing'],
    ])
    const contact = {
      event: 'contact.created',
      timestamp: '2024-03-14T09:30:00.000Z',
      account_id: '1',
      app_id: 'a',
      data: {
        contact: {
          id: 'cont-001',
          created_at: '2024-03-14T09:30:00.000Z',
          updated_at: '2024-03-14T09:30:00.000Z',
        },
      },
    }
    expect(failure(assembleConversation(decoded([contact]))).issues).toEqual([
      expect.objectContaining({
        path: '',
        code: 'missing',
        found: '1 event, none of them a known conversation.* event',
      }),
    ])
  })

  it('fails when no time is known, at each event’s timestamp', () => {
    const joined = copy(named(story(), 'conversation.agent_joined'))
    delete joined.timestamp
    const left = copy(named(story(), 'conversation.agent_joined'))
    left.event = 'conversation.agent_left'
    delete left.timestamp
    const result = assembleConversation(decoded([joined, left]))
    expect(failure(result).issues.map((i) => [i.path, i.code])).toEqual([
      ['[0].timestamp', 'missing'],
      ['[1].timestamp', 'missing'],
    ])
    expect(() => assembleConversationOrThrow(decoded([joined]))).toThrow(SmartsuppDecodeError)
  })
})
