import type {
  AssembledConversation,
  Conversation,
  ConversationBase,
  JsonObject,
  PostHookConversation,
  Visitor,
  WebhookEvent,
} from 'smartsupp-hook'
import { describe, expectTypeOf, it } from 'vitest'

declare const c: Conversation

describe('conversation model types', () => {
  it('is a union of the two sources, told apart by source', () => {
    expectTypeOf<Conversation>().toEqualTypeOf<PostHookConversation | AssembledConversation>()
    expectTypeOf(c.source).toEqualTypeOf<'post-hook' | 'webhooks'>()
    expectTypeOf<PostHookConversation['source']>().toEqualTypeOf<'post-hook'>()
    expectTypeOf<AssembledConversation['source']>().toEqualTypeOf<'webhooks'>()
  })

  it('narrows on source: raw for the POST hook, events and the closing for webhooks', () => {
    if (c.source === 'post-hook') {
      expectTypeOf(c).toEqualTypeOf<PostHookConversation>()
      expectTypeOf(c.raw).toEqualTypeOf<JsonObject>()
      expectTypeOf(c.accountId).toEqualTypeOf<string>()
      // @ts-expect-error only an assembled conversation has its events
      c.events
    } else {
      expectTypeOf(c).toEqualTypeOf<AssembledConversation>()
      expectTypeOf(c.events).toEqualTypeOf<readonly WebhookEvent[]>()
      expectTypeOf(c.closedAt).toEqualTypeOf<Date | null>()
      expectTypeOf(c.closedBy).toEqualTypeOf<'agent' | 'contact' | null>()
      expectTypeOf(c.accountId).toEqualTypeOf<string | null>()
      // @ts-expect-error only a POST hook conversation has the received JSON
      c.raw
    }
    switch (c.source) {
      case 'post-hook':
      case 'webhooks':
        break
      default:
        expectTypeOf(c).toBeNever()
    }
  })

  it('has no raw before narrowing, and string ids in both sources', () => {
    // @ts-expect-error raw is the POST hook's only
    c.raw
    expectTypeOf(c.id).toEqualTypeOf<string>()
    expectTypeOf(c.accountId).toEqualTypeOf<string | null>()
    expectTypeOf<Visitor['id']>().toEqualTypeOf<string | null>()
    expectTypeOf<ConversationBase['id']>().toEqualTypeOf<string>()
    // @ts-expect-error ids are strings, not numbers
    const n: number = c.id
    void n
  })

  it('shares the common fields through ConversationBase', () => {
    expectTypeOf<Conversation>().toExtend<ConversationBase>()
    expectTypeOf<keyof ConversationBase>().toEqualTypeOf<
      | 'id'
      | 'accountId'
      | 'beginAt'
      | 'endAt'
      | 'flags'
      | 'reported'
      | 'rating'
      | 'visitor'
      | 'paths'
      | 'messages'
      | 'warnings'
      | 'warningCount'
    >()
  })
})
