import fc from 'fast-check'
import { decodeWebhookEvent, type WebhookEventPayload } from 'smartsupp-hook'
import { type WebhookConversationBuilder, webhookConversation } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'

// biome-ignore lint/suspicious/noExplicitAny: wire JSON, read in assertions only
type Obj = Record<string, any>
const petr = { id: '11', name: 'Petr Svoboda' }
const story = () =>
  webhookConversation()
    .opened()
    .contactReplied('Hi')
    .agentJoined(petr)
    .agentReplied(petr, 'Hello')
    .rated(5, 'great')
    .closed()

/** Step options with `after` only when given (exactOptionalPropertyTypes). */
const at = (after: number | undefined) => (after === undefined ? {} : { after })

function strictlyDecoded(event: WebhookEventPayload) {
  const result = decodeWebhookEvent(event, { mode: 'strict' })
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right
}

describe('webhookConversation()', () => {
  it('writes the events in order, one conversation, times gapMs apart', () => {
    const events = story().build()
    expect(events.map((e) => e.event)).toEqual([
      'conversation.opened',
      'conversation.contact_replied',
      'conversation.agent_joined',
      'conversation.agent_replied',
      'conversation.rated',
      'conversation.closed',
    ])
    expect(events.map((e) => e.timestamp)).toEqual([
      '2024-03-14T09:30:00.000Z',
      '2024-03-14T09:30:05.000Z',
      '2024-03-14T09:30:10.000Z',
      '2024-03-14T09:30:15.000Z',
      '2024-03-14T09:30:20.000Z',
      '2024-03-14T09:30:25.000Z',
    ])
    for (const e of events) {
      const data = e.data as Obj
      expect(data.conversation?.id ?? data.conversation_id).toBe('conv-001')
      expect(e).toMatchObject({ account_id: '881987', app_id: 'ap40qUkYi', type: 'event_callback' })
    }
  })

  it('agrees on assigned_agent_ids, response_time, is_first_reply, rating and closing', () => {
    const [, contact, , reply, rated, closed] = story().build() as { data: Obj }[]
    expect(contact?.data.conversation).toMatchObject({
      status: 'open',
      unread: true,
      last_message_text: 'Hi',
    })
    expect(reply?.data.message).toMatchObject({
      id: 'conv-001-msg-002',
      sub_type: 'agent',
      agent_id: '11',
      author_name: 'Petr Svoboda',
      content: 'Hello',
      is_reply: true,
      is_first_reply: true,
      response_time: 10,
    })
    expect(reply?.data.conversation).toMatchObject({
      status: 'served',
      assigned_agent_ids: ['11'],
      is_served: true,
    })
    expect(rated?.data).toMatchObject({ rating_value: 5, rating_text: 'great', conversation: { rating: 5 } })
    expect(closed?.data).toMatchObject({
      close_type: 'agent',
      agent_id: '11',
      conversation: {
        status: 'closed',
        closed_by_agent_id: '11',
        finished_at: '2024-03-14T09:30:25.000Z',
        rating_text: 'great',
      },
    })
  })

  it('counts response_time from the first unanswered contact message; only the first agent reply is first', () => {
    const events = webhookConversation({ gapMs: 1_000 })
      .opened()
      .contactReplied('a')
      .contactReplied('b', { after: 4_000 })
      .agentAssigned('11')
      .agentReplied('11', 'x', { after: 2_500 })
      .agentReplied('12', 'y')
      .contactReplied('c')
      .agentReplied('12', 'z', { after: 61_000 })
      .agentUnassigned('11')
      .build() as { event: string; data: Obj }[]
    const replies = events.filter((e) => e.event === 'conversation.agent_replied').map((e) => e.data.message)
    expect(replies.map((m) => [m.response_time, m.is_first_reply, m.is_reply])).toEqual([
      [7, true, true],
      [null, false, false],
      [61, false, true],
    ])
    expect(events.find((e) => e.event === 'conversation.agent_assigned')?.data).toMatchObject({
      assigned: '11',
      conversation: { status: 'pending', assigned_agent_ids: ['11'] },
    })
    expect(events.at(-1)?.data.conversation.assigned_agent_ids).toEqual(['12'])
  })

  it('is immutable and deterministic: a shared base branches, and build() gives fresh equal events', () => {
    const base = webhookConversation().opened().contactReplied('Hi')
    const a = base.agentReplied('11', 'A')
    const b = base.closedByContact()
    expect(base.build()).toHaveLength(2)
    expect(a.build().at(-1)?.event).toBe('conversation.agent_replied')
    expect(b.build().at(-1)?.event).toBe('conversation.closed_by_contact')
    expect(a.build()).toEqual(a.build())
    expect(a.build()[0]).not.toBe(a.build()[0])
  })

  it('message_delivered names the last message with its four keys; bots answer no one', () => {
    const events = webhookConversation()
      .opened()
      .botReplied('Hello, how can we help?')
      .messageDelivered({ after: 1_000 })
      .messageDeliveryFailed()
      .build() as { data: Obj }[]
    expect(events[1]?.data.message).toMatchObject({
      sub_type: 'bot',
      content: { text: 'Hello, how can we help?' },
    })
    expect(events[2]?.data.message).toEqual({
      id: 'conv-001-msg-001',
      conversation_id: 'conv-001',
      created_at: '2024-03-14T09:30:05.000Z',
      updated_at: '2024-03-14T09:30:06.000Z',
    })
    expect(() => webhookConversation().messageDelivered().build()).toThrow(/no message/)
  })

  it('refuses bad options', () => {
    expect(() => webhookConversation({ gapMs: -1 })).toThrow(TypeError)
    expect(() => webhookConversation({ startAt: new Date(Number.NaN) })).toThrow(TypeError)
    expect(() => webhookConversation().opened({ after: 1.5 })).toThrow(TypeError)
    expect(() => webhookConversation().wait(-1)).toThrow(TypeError)
    expect(() => webhookConversation().rated(4.5)).toThrow(TypeError)
  })

  it('every built event decodes strictly with no warning, for any sequence of steps (property)', () => {
    const agent = fc.constantFrom<string | { id: string; name?: string }>('11', '12', {
      id: '13',
      name: 'Eva',
    })
    const text = fc.string({ maxLength: 20 })
    const after = fc.option(fc.nat({ max: 120_000 }), { nil: undefined })
    const step = fc.oneof(
      fc.tuple(fc.constant('opened' as const), after),
      fc.tuple(fc.constant('contactReplied' as const), text, after),
      fc.tuple(fc.constant('botReplied' as const), text),
      fc.tuple(fc.constant('agentAssigned' as const), agent),
      fc.tuple(fc.constant('agentUnassigned' as const), agent),
      fc.tuple(fc.constant('agentJoined' as const), agent),
      fc.tuple(fc.constant('agentLeft' as const), agent),
      fc.tuple(fc.constant('agentReplied' as const), agent, text, after),
      fc.tuple(fc.constant('rated' as const), fc.constantFrom(1, 3, 5), fc.option(text, { nil: null })),
      fc.tuple(fc.constant('closed' as const), fc.option(agent, { nil: undefined })),
      fc.tuple(fc.constant('closedByContact' as const)),
      fc.tuple(fc.constant('wait' as const), fc.nat({ max: 3_600_000 })),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        let b: WebhookConversationBuilder = webhookConversation().opened().contactReplied('first')
        for (const s of steps) {
          switch (s[0]) {
            case 'opened':
              b = b.opened(at(s[1]))
              break
            case 'contactReplied':
              b = b.contactReplied(s[1], at(s[2]))
              break
            case 'botReplied':
              b = b.botReplied(s[1])
              break
            case 'agentAssigned':
              b = b.agentAssigned(s[1])
              break
            case 'agentUnassigned':
              b = b.agentUnassigned(s[1])
              break
            case 'agentJoined':
              b = b.agentJoined(s[1])
              break
            case 'agentLeft':
              b = b.agentLeft(s[1])
              break
            case 'agentReplied':
              b = b.agentReplied(s[1], s[2], at(s[3]))
              break
            case 'rated':
              b = b.rated(s[1], s[2])
              break
            case 'closed':
              b = b.closed(s[1] === undefined ? {} : { by: s[1] })
              break
            case 'closedByContact':
              b = b.closedByContact()
              break
            case 'wait':
              b = b.wait(s[1])
              break
          }
        }
        b = b.messageDelivered()
        let previous = ''
        for (const event of b.build()) {
          const decoded = strictlyDecoded(event)
          expect(decoded.warningCount).toBe(0)
          expect(event.timestamp >= previous).toBe(true)
          previous = event.timestamp
        }
      }),
      { numRuns: 300 },
    )
  })
})
