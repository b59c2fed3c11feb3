import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft } from 'fp-ts/lib/Either.js'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type AgentMessage,
  type AgentSender,
  type Conversation,
  ConversationPayload,
  type DecodeFailure,
  type DecodeIssue,
  decodeConversation,
  decodeConversationOrThrow,
  encodeConversation,
  type Message,
  type MessagePayload,
  type PostHookConversation,
  parseConversation,
  type Sender,
  type SenderRef,
  type SystemEvent,
  type VisitorSender,
} from '../../src/index.js'

describe('decoding types', () => {
  it('returns an fp-ts Either that narrows on _tag and with fp-ts guards', () => {
    const result = parseConversation('{}')
    expectTypeOf(result).toEqualTypeOf<Either<DecodeFailure, PostHookConversation>>()
    if (result._tag === 'Left') {
      expectTypeOf(result.left.issues).toEqualTypeOf<readonly DecodeIssue[]>()
    } else {
      expectTypeOf(result.right).toEqualTypeOf<PostHookConversation>()
      expectTypeOf(result.right.source).toEqualTypeOf<'post-hook'>()
      expectTypeOf(result.right.id).toEqualTypeOf<string>()
      expectTypeOf(result.right.accountId).toEqualTypeOf<string>()
    }
    if (isLeft(result)) expectTypeOf(result.left).toEqualTypeOf<DecodeFailure>()
    expectTypeOf(decodeConversation).parameter(0).toEqualTypeOf<unknown>()
    expectTypeOf(decodeConversationOrThrow(null)).toEqualTypeOf<PostHookConversation>()
    expectTypeOf(decodeConversation(null)).toEqualTypeOf<Either<DecodeFailure, PostHookConversation>>()
  })

  it('accepts strings and bytes only, and known modes only', () => {
    parseConversation(new Uint8Array())
    parseConversation(Buffer.from(''))
    // @ts-expect-error a parsed object goes to decodeConversation
    parseConversation({})
    // @ts-expect-error no such mode
    parseConversation('', { mode: 'loose' })
  })

  it('narrows messages on kind', () => {
    const m = {} as Message
    switch (m.kind) {
      case 'agent':
        expectTypeOf(m).toEqualTypeOf<AgentMessage>()
        expectTypeOf(m.sender).toEqualTypeOf<AgentSender>()
        expectTypeOf(m.sender.id).toEqualTypeOf<string>()
        break
      case 'visitor':
        expectTypeOf(m.sender).toEqualTypeOf<VisitorSender | null>()
        break
      case 'system':
        expectTypeOf(m.event).toEqualTypeOf<SystemEvent>()
        expectTypeOf(m.sender).toEqualTypeOf<Sender | null>()
        break
      case 'trigger':
        expectTypeOf(m.triggeredBy).toEqualTypeOf<string | null>()
        // @ts-expect-error only system messages have an event
        m.event
        break
      default:
        expectTypeOf(m).toBeNever()
    }
  })

  it('keeps the model read-only', () => {
    const c = {} as Conversation
    // @ts-expect-error read-only
    c.id = '1'
    // @ts-expect-error read-only array
    c.messages.push({} as Message)
    expectTypeOf(c.beginAt).toEqualTypeOf<Date>()
    expectTypeOf(c.rating).toEqualTypeOf<{ readonly value: number; readonly comment: string | null } | null>()
  })

  it('types the wire format precisely', () => {
    expectTypeOf(encodeConversation({} as Conversation)).toEqualTypeOf<ConversationPayload>()
    expectTypeOf<ConversationPayload['channel']['rating']>().toEqualTypeOf<number | null>()
    expectTypeOf<MessagePayload['from']>().toEqualTypeOf<SenderRef>()
    expectTypeOf<Extract<MessagePayload, { type: 'visitor' }>['from']>().toEqualTypeOf<`visitor:${string}`>()
    expectTypeOf<Extract<MessagePayload, { type: 'agent' }>['from']>().toEqualTypeOf<
      `agent:${number}` | 'system'
    >()
    expectTypeOf<MessagePayload['name']>().toEqualTypeOf<string | undefined>()
    if (ConversationPayload.is(null as unknown)) expectTypeOf<ConversationPayload>().toBeObject()
  })
})
