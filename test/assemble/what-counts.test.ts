import {
  type AgentMessage,
  assembleConversationOrThrow,
  category,
  durations,
  isChat,
  isMissed,
  messagesByAgent,
  webhookEventKey,
} from 'smartsupp-hook'
import { webhookConversation } from 'smartsupp-hook/testing'
import { describe, expect, it } from 'vitest'
import { at, copy, decoded, named, petr, story, type Wire } from './support.js'

const envelope = { type: 'event_callback', account_id: '881987', app_id: 'ap40qUkYi' }
const unknownEvent = {
  ...envelope,
  event: 'visitor.page_viewed',
  timestamp: '2024-03-14T09:29:00.000Z',
  // Looks like another conversation's, and earlier than everything: still adds nothing.
  data: { conversation: { id: 'conv-999', created_at: '2024-03-14T09:00:00.000Z' }, url: 'https://x' },
}
const contactEvent = {
  ...envelope,
  event: 'contact.updated',
  timestamp: '2024-03-14T09:31:00.000Z',
  data: {
    contact: {
      id: 'cont-001',
      name: 'Someone Else',
      email: 'else@example.com',
      created_at: '2024-03-14T09:30:00.000Z',
      updated_at: '2024-03-14T09:31:00.000Z',
    },
  },
}

/** The conversation without the fields that list events. */
function model(c: ReturnType<typeof assembleConversationOrThrow>) {
  const { events: _, ...rest } = c
  return rest
}

describe('what assembly reads and what it only keeps', () => {
  it('keeps unknown and contact.* events in `events`, in time order, and reads nothing from them', () => {
    const base = assembleConversationOrThrow(decoded(story()))
    const events = decoded([contactEvent, ...story(), unknownEvent])
    const c = assembleConversationOrThrow(events)
    expect(model(c)).toStrictEqual(model(base))
    expect(c.events.map((e) => e.event)).toEqual([
      'visitor.page_viewed',
      'conversation.opened',
      'conversation.contact_replied',
      'conversation.agent_joined',
      'conversation.agent_replied',
      'conversation.contact_replied',
      'conversation.rated',
      'conversation.closed',
      'contact.updated',
    ])
    expect(c.events.find((e) => !e.known)).toBe(events.at(-1))
  })

  it('leaves internal notes out of the messages but keeps their events', () => {
    const note = copy(named(story(), 'conversation.agent_replied'))
    note.data.message.id = 'conv-001-note-1'
    note.data.message.type = 'note'
    note.data.message.content = 'VIP, be nice'
    note.timestamp = '2024-03-14T09:30:06.000Z'
    note.data.message.created_at = note.timestamp
    note.data.message.updated_at = note.timestamp
    const withNote = assembleConversationOrThrow(decoded([...story(), note]))
    const base = assembleConversationOrThrow(decoded(story()))
    expect(withNote.messages).toEqual(base.messages)
    expect(durations(withNote)).toEqual(durations(base))
    expect(withNote.events).toHaveLength(base.events.length + 1)
    // Had the note counted, it would answer the contact at 09:30:06.
    expect(durations(withNote).firstResponseMs).toBe(10_000)
  })

  it('counts a message re-sent with a newer updated_at once, with the newest content, whatever arrives last', () => {
    const first = copy(named(story(), 'conversation.agent_replied'))
    const edited = copy(first)
    edited.timestamp = '2024-03-14T09:30:40.000Z'
    edited.data.message.content = 'Hello, how can I help?'
    edited.data.message.updated_at = '2024-03-14T09:30:40.000Z'
    // A late re-send of the original (a later event, but the older update).
    const stale = copy(first)
    stale.timestamp = '2024-03-14T09:30:50.000Z'
    for (const events of [
      [...story(), edited, stale],
      [stale, edited, ...story()],
      [edited, ...story(), stale],
    ]) {
      const c = assembleConversationOrThrow(decoded(events))
      const replies = messagesByAgent(c).get('11' as never) as readonly AgentMessage[]
      expect(replies.map((m) => [m.content, m.sentAt])).toEqual([['Hello, how can I help?', at(15)]])
      expect(c.events).toHaveLength(story().length + 2)
    }
  })

  it('keeps messages without an id apart', () => {
    const a = copy(named(story(), 'conversation.contact_replied'))
    delete a.data.message.id
    const b = copy(a)
    b.timestamp = '2024-03-14T09:30:06.000Z'
    const c = assembleConversationOrThrow(decoded([a, b]))
    expect(c.messages.map((m) => m.content)).toEqual(['Hi', 'Hi'])
  })

  it('takes what was told last by event time, not by arrival', () => {
    const events = story()
    const reply = named(events, 'conversation.contact_replied')
    reply.data.conversation.location_city = 'Brno'
    reply.data.conversation.variables = { plan: 'pro', seats: 3, trial: false, nested: { x: 1 } }
    const closed = named(events, 'conversation.closed') as Wire
    closed.data.conversation.contact_name = 'Jana Svobodová'
    closed.data.conversation.location_city = null // null is "not told": Brno stays
    closed.data.conversation.is_offline = true
    const c = assembleConversationOrThrow(decoded([...events].reverse()))
    expect(c.visitor).toMatchObject({ name: 'Jana Svobodová', city: 'Brno' })
    expect(c.flags.isOffline).toBe(true)
    // Every later event told `variables: {}`, and the latest told wins.
    expect(c.visitor?.variables).toEqual({})
    const only = assembleConversationOrThrow(decoded([reply]))
    expect(only.visitor?.variables).toEqual({
      plan: { label: null, value: 'pro' },
      seats: { label: null, value: 3 },
      trial: { label: null, value: false },
    })
    expect(Object.getPrototypeOf(only.visitor?.variables)).toBeNull()
    expect(only.warnings).toEqual([
      expect.objectContaining({
        path: '[0].data.conversation.variables.nested',
        code: 'invalid_type',
        message:
          '[0].data.conversation.variables.nested: expected a string, a number or a boolean, found an object (left out of visitor.variables)',
      }),
    ])
    expect(only.warningCount).toBe(1)
  })

  it('prefers the rated event’s rating to the one on the conversation', () => {
    const events = story()
    named(events, 'conversation.closed').data.conversation.rating = 1
    expect(assembleConversationOrThrow(decoded(events)).rating).toEqual({ value: 5, comment: 'great' })
  })

  it('maps each agent and closing event to the POST hook’s system message', () => {
    const events = webhookConversation()
      .opened()
      .contactReplied('Hi')
      .agentAssigned(petr)
      .agentJoined(petr)
      .agentUnassigned(petr)
      .agentLeft(petr)
      .closed()
      .closedByContact()
      .build()
    const c = assembleConversationOrThrow(decoded(events))
    expect(
      c.messages.slice(1).map((m) => (m.kind === 'system' ? [m.event, m.sender, m.name] : m.kind)),
    ).toEqual([
      ['agent.assign', { kind: 'agent', id: '11' }, null],
      ['agent.join', { kind: 'agent', id: '11' }, null],
      ['agent.unassign', null, null],
      ['agent.leave', { kind: 'agent', id: '11' }, null],
      ['close.agentClose', { kind: 'system' }, null],
      ['close.visitorClose', { kind: 'system' }, 'Jana Nováková'],
    ])
    // The first closing event closed it.
    expect(c).toMatchObject({ closedBy: 'agent', closedAt: at(30), endAt: at(30) })
  })

  it('reads the end from finished_at, the close from the event', () => {
    const events = story()
    const closed = named(events, 'conversation.closed')
    closed.data.conversation.finished_at = '2024-03-14T09:30:29.500Z'
    closed.data.conversation.last_closed_at = '2024-03-14T09:30:29.000Z'
    const c = assembleConversationOrThrow(decoded(events))
    expect(c).toMatchObject({ endAt: new Date(Date.UTC(2024, 2, 14, 9, 30, 29, 500)), closedAt: at(30) })
  })

  it('reads bot, trigger and system sub_types as the POST hook’s automatic and system messages', () => {
    const events = webhookConversation().opened().botReplied('Welcome!', { botName: 'Greeter' }).build()
    const trigger = copy(events[1] as Wire)
    trigger.data.message.id = 'm-2-trigger'
    trigger.data.message.sub_type = 'trigger'
    trigger.data.message.trigger_name = 'Pricing page'
    const system = copy(events[1] as Wire)
    system.data.message.id = 'm-3-system'
    system.data.message.sub_type = 'system'
    system.data.message.content = { text: 'Conversation reopened' }
    // All three at one time: ordered by message id.
    const c = assembleConversationOrThrow(decoded([system, trigger, ...events]))
    expect(c.messages.map((m) => [m.kind, m.triggeredBy, m.content])).toEqual([
      ['trigger', 'Greeter', 'Welcome!'],
      ['trigger', 'Pricing page', 'Welcome!'],
      ['system', null, 'Conversation reopened'],
    ])
    expect(c.flags).toMatchObject({ isTriggered: true, isChat: false, isMissed: false })
  })

  it('reads an answered chat whose visitor wrote last as not missed, and completed once closed (the documented example)', () => {
    // The story: contact "Hi", Petr "Hello", contact "Thanks", rated, closed by Petr.
    const c = assembleConversationOrThrow(decoded(story()))
    expect(c.messages.filter((m) => m.kind !== 'system').at(-1)).toMatchObject({
      kind: 'visitor',
      content: 'Thanks',
    })
    expect(c.flags).toMatchObject({ isChat: true, isMissed: false, isCompleted: true })
    expect(category(c)).toBe('chat')
    // Still open: not completed, and not missed either.
    const open = assembleConversationOrThrow(
      decoded(story().filter((e) => e.event !== 'conversation.closed')),
    )
    expect(open.flags).toMatchObject({ isMissed: false, isCompleted: false })
    // No agent message after any contact message: missed, closed or not.
    const unanswered = webhookConversation().opened().contactReplied('Hi').agentJoined(petr).closed().build()
    expect(assembleConversationOrThrow(decoded(unanswered)).flags).toMatchObject({
      isMissed: true,
      isCompleted: false,
    })
    // An agent message before the visitor wrote answers nothing.
    const early = webhookConversation()
      .opened()
      .agentReplied(petr, 'Hello?')
      .contactReplied('Hi')
      .closed()
      .build()
    expect(assembleConversationOrThrow(decoded(early)).flags).toMatchObject({
      isChat: true,
      isMissed: true,
      isCompleted: false,
    })
  })

  it('never reads an offline message as missed or completed', () => {
    const events = webhookConversation().opened().contactReplied('Call me').closedByContact().build()
    for (const e of events) (e as Wire).data.conversation.is_offline = true
    const c = assembleConversationOrThrow(decoded(events))
    expect(c.flags).toMatchObject({ isOffline: true, isMissed: false, isCompleted: false })
    expect(category(c)).toBe('offline')
  })

  it('reads an agent message without agent_id as an automatic one, with a warning', () => {
    const events = story()
    delete named(events, 'conversation.agent_replied').data.message.agent_id
    const c = assembleConversationOrThrow(decoded(events))
    const hello = c.messages.find((m) => m.content === 'Hello')
    expect(hello).toMatchObject({ kind: 'trigger', sender: null, triggeredBy: null })
    expect(isChat(c)).toBe(false)
    expect(isMissed(c)).toBe(true)
    expect(c.warnings.map((w) => w.path)).toContain('[3].data.message.agent_id')
  })

  it('prefixes each event’s warnings with its index in `events`', () => {
    const events = story()
    named(events, 'conversation.rated').data.conversation.surprise = 1
    const c = assembleConversationOrThrow(decoded([...events].reverse()), { maxIssues: 5 })
    expect(c.warnings).toEqual([
      expect.objectContaining({
        path: '[5].data.conversation.surprise',
        code: 'unknown_field',
        message: '[5].data.conversation.surprise: not in the spec; kept in raw (found 1)',
      }),
    ])
    expect(c.events[5]?.event).toBe('conversation.rated')
    const none = assembleConversationOrThrow(decoded(events), { maxIssues: 0 })
    expect([none.warnings, none.warningCount]).toEqual([[], 1])
  })

  it('counts an event delivered twice once (same webhookEventKey)', () => {
    const events = decoded([...story(), ...story()])
    const c = assembleConversationOrThrow(events)
    expect(new Set(c.events.map(webhookEventKey)).size).toBe(7)
    expect(c.events).toHaveLength(7)
  })
})
