import type {
  ConversationRatedData,
  KnownWebhookEventName,
  ReplyData,
  UnknownWebhookEvent,
  WebhookConversation,
  WebhookEvent,
  WebhookEventOf,
  WebhookMessage,
  WebhookSignatureResult,
} from 'smartsupp-hook'
import {
  isHumanReply,
  parseWebhookEvent,
  verifyWebhookSignature,
  type WEBHOOK_EVENT_DATA,
} from 'smartsupp-hook'
import { describe, expectTypeOf, it } from 'vitest'

declare const e: WebhookEvent

describe('WebhookEvent', () => {
  it('narrows on the event name in a switch once `known` is checked', () => {
    if (!e.known) {
      expectTypeOf(e).toEqualTypeOf<UnknownWebhookEvent>()
      expectTypeOf(e.event).toEqualTypeOf<string>()
      return
    }
    switch (e.event) {
      case 'conversation.rated':
        expectTypeOf(e.data).toEqualTypeOf<ConversationRatedData>()
        expectTypeOf(e.data.rating).toEqualTypeOf<{
          readonly value: number
          readonly comment: string | null
        } | null>()
        break
      case 'conversation.agent_replied':
      case 'conversation.contact_replied':
        expectTypeOf(e.data).toEqualTypeOf<ReplyData>()
        expectTypeOf(e.data.message).toEqualTypeOf<WebhookMessage | null>()
        break
      case 'conversation.agent_joined':
        expectTypeOf(e.data.agentId).toEqualTypeOf<string | null>()
        // @ts-expect-error agent_joined carries no conversation object
        e.data.conversation
        break
      case 'contact.banned':
        expectTypeOf(e.data.contact?.bannedAt).toEqualTypeOf<Date | null | undefined>()
        break
      default:
        expectTypeOf(e.event).toEqualTypeOf<
          Exclude<
            KnownWebhookEventName,
            | 'conversation.rated'
            | 'conversation.agent_replied'
            | 'conversation.contact_replied'
            | 'conversation.agent_joined'
            | 'contact.banned'
          >
        >()
    }
  })

  it('the unknown variant does not swallow the known ones', () => {
    expectTypeOf<UnknownWebhookEvent>().not.toMatchTypeOf<WebhookEventOf<'conversation.opened'>>()
    expectTypeOf<Extract<WebhookEvent, { known: true }>['event']>().toEqualTypeOf<KnownWebhookEventName>()
    expectTypeOf<Extract<WebhookEvent, { event: 'conversation.closed'; known: true }>>().toEqualTypeOf<
      WebhookEventOf<'conversation.closed'>
    >()
  })

  it('the known names are the codecs’ table', () => {
    expectTypeOf<keyof typeof WEBHOOK_EVENT_DATA>().toEqualTypeOf<KnownWebhookEventName>()
  })

  it('ids are strings and times are Dates', () => {
    expectTypeOf<WebhookConversation['id']>().toEqualTypeOf<string | null>()
    expectTypeOf<WebhookConversation['createdAt']>().toEqualTypeOf<Date | null>()
    expectTypeOf<WebhookMessage['responseTimeSeconds']>().toEqualTypeOf<number | null>()
    expectTypeOf<WebhookEvent['timestamp']>().toEqualTypeOf<Date | null>()
  })

  it('isHumanReply narrows to the reply events, with their message there', () => {
    if (isHumanReply(e)) {
      expectTypeOf(e.data.message).toEqualTypeOf<WebhookMessage>()
      expectTypeOf(e.event).toEqualTypeOf<'conversation.agent_replied' | 'conversation.contact_replied'>()
    }
  })

  it('a false isHumanReply removes no event from the union (a bot-sent contact_replied stays one)', () => {
    if (!isHumanReply(e) && e.known) {
      expectTypeOf<'conversation.contact_replied'>().toMatchTypeOf<typeof e.event>()
      expectTypeOf<'conversation.agent_replied'>().toMatchTypeOf<typeof e.event>()
    }
  })

  it('the decoder and the verifier have the promised signatures', () => {
    expectTypeOf(parseWebhookEvent).returns.toMatchTypeOf<
      { _tag: 'Left' } | { _tag: 'Right'; right: WebhookEvent }
    >()
    expectTypeOf(verifyWebhookSignature).returns.resolves.toEqualTypeOf<WebhookSignatureResult>()
  })
})
