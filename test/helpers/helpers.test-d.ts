import {
  type AgentMessage,
  type AssembledConversation,
  agents,
  type Conversation,
  type ConversationAgent,
  type ConversationBase,
  type ConversationCategory,
  type ConversationDurations,
  type ConversationSummary,
  category,
  chronologicalMessages,
  durations,
  idempotencyKey,
  isMissed,
  type Message,
  messagesByAgent,
  messagesOfKind,
  type PostHookConversation,
  type SystemEvent,
  type SystemMessage,
  summary,
  systemEvents,
  type TranscriptOptions,
  type TriggerMessage,
  transcript,
  triggeredMessages,
  type VisitorMessage,
  visitorMessages,
} from 'smartsupp-hook'
import { describe, expectTypeOf, it } from 'vitest'

declare const c: Conversation
declare const fromHook: PostHookConversation
declare const assembled: AssembledConversation

describe('helper types', () => {
  it('narrow the messages they return to their kind', () => {
    expectTypeOf(visitorMessages(c)).toEqualTypeOf<readonly VisitorMessage[]>()
    expectTypeOf(triggeredMessages(c)).toEqualTypeOf<readonly TriggerMessage[]>()
    expectTypeOf(systemEvents(c)).toEqualTypeOf<readonly SystemMessage[]>()
    expectTypeOf(systemEvents(c)[0]?.event).toEqualTypeOf<SystemEvent | undefined>()
    expectTypeOf(messagesOfKind(c, 'agent')).toEqualTypeOf<readonly AgentMessage[]>()
    expectTypeOf(messagesOfKind(c, 'visitor')).toEqualTypeOf<readonly VisitorMessage[]>()
    expectTypeOf(chronologicalMessages(c)).toEqualTypeOf<readonly Message[]>()
    // @ts-expect-error not a message kind
    messagesOfKind(c, 'robot')
  })

  it('key agent messages by agent id, with a sender that is always an agent', () => {
    expectTypeOf(messagesByAgent(c)).toEqualTypeOf<ReadonlyMap<string, readonly AgentMessage[]>>()
    const first = messagesByAgent(c).get('3')?.[0]
    expectTypeOf(first?.sender.id).toEqualTypeOf<string | undefined>()
    // @ts-expect-error ids are strings: the POST hook's numbers are read in decimal
    messagesByAgent(c).get(3)
    // @ts-expect-error the result is read-only
    messagesByAgent(c).set('1', [])
    expectTypeOf<ConversationAgent['id']>().toEqualTypeOf<string>()
    expectTypeOf(agents(c)).toEqualTypeOf<readonly ConversationAgent[]>()
    expectTypeOf<ConversationAgent['firstResponseMs']>().toEqualTypeOf<number | null>()
    expectTypeOf<ConversationAgent['joinedAt']>().toEqualTypeOf<Date | null>()
  })

  it('give statuses, categories and durations precise types', () => {
    expectTypeOf(isMissed(c)).toEqualTypeOf<boolean>()
    expectTypeOf(category(c)).toEqualTypeOf<ConversationCategory>()
    expectTypeOf<ConversationCategory>().toEqualTypeOf<'offline' | 'missed' | 'chat'>()
    expectTypeOf(durations(c)).toEqualTypeOf<ConversationDurations>()
    expectTypeOf<ConversationDurations['totalMs']>().toEqualTypeOf<number>()
    expectTypeOf<ConversationDurations['firstResponseMs']>().toEqualTypeOf<number | null>()
    expectTypeOf<ConversationDurations['reported']['durationSeconds']>().toEqualTypeOf<number | null>()
  })

  it('take known transcript options only, and return strings', () => {
    expectTypeOf(transcript(c)).toEqualTypeOf<string>()
    expectTypeOf(transcript(c, { format: 'html', timeZone: 'Europe/Prague' })).toEqualTypeOf<string>()
    expectTypeOf<TranscriptOptions['format']>().toEqualTypeOf<'text' | 'markdown' | 'html' | undefined>()
    // @ts-expect-error not a format
    transcript(c, { format: 'pdf' })
    // @ts-expect-error a time zone is a string
    transcript(c, { timeZone: 1 })
    expectTypeOf(idempotencyKey(c)).toEqualTypeOf<string>()
  })

  it('summarise in plain JSON types only', () => {
    expectTypeOf(summary(c)).toEqualTypeOf<ConversationSummary>()
    expectTypeOf<ConversationSummary['beginAt']>().toEqualTypeOf<string>()
    expectTypeOf<ConversationSummary['category']>().toEqualTypeOf<ConversationCategory>()
    expectTypeOf<ConversationSummary['agentNames']>().toEqualTypeOf<readonly string[]>()
    expectTypeOf<ConversationSummary['rating']>().toEqualTypeOf<number | null>()
    expectTypeOf<ConversationSummary['id']>().toEqualTypeOf<string>()
    expectTypeOf<ConversationSummary['accountId']>().toEqualTypeOf<string | null>()
    expectTypeOf<ConversationSummary['agentIds']>().toEqualTypeOf<readonly string[]>()
    type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json }
    expectTypeOf<ConversationSummary[keyof ConversationSummary]>().toExtend<Json>()
  })

  it('accept a conversation from either source, and anything with the common fields', () => {
    for (const x of [fromHook, assembled, c]) {
      expectTypeOf(agents(x)).toEqualTypeOf<readonly ConversationAgent[]>()
      expectTypeOf(messagesByAgent(x)).toEqualTypeOf<ReadonlyMap<string, readonly AgentMessage[]>>()
      expectTypeOf(summary(x)).toEqualTypeOf<ConversationSummary>()
      expectTypeOf(transcript(x)).toEqualTypeOf<string>()
      expectTypeOf(durations(x)).toEqualTypeOf<ConversationDurations>()
      expectTypeOf(category(x)).toEqualTypeOf<ConversationCategory>()
      expectTypeOf(isMissed(x)).toEqualTypeOf<boolean>()
      expectTypeOf(idempotencyKey(x)).toEqualTypeOf<string>()
      expectTypeOf(visitorMessages(x)).toEqualTypeOf<readonly VisitorMessage[]>()
    }
    expectTypeOf(agents).parameter(0).toEqualTypeOf<ConversationBase>()
    expectTypeOf(idempotencyKey).parameter(0).toEqualTypeOf<ConversationBase>()
    expectTypeOf<PostHookConversation>().toExtend<ConversationBase>()
    expectTypeOf<AssembledConversation>().toExtend<ConversationBase>()
    // @ts-expect-error a helper needs a conversation, not any object
    summary({ id: '1' })
  })
})
