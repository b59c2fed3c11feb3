import type { Either } from 'fp-ts/lib/Either.js'
import {
  type AssembleOptions,
  assembleConversation,
  assembleConversationOrThrow,
  type Conversation,
  type DecodeFailure,
  type WebhookEvent,
} from 'smartsupp-hook'
import { describe, expectTypeOf, it } from 'vitest'

type Assembled = Extract<Conversation, { source: 'webhooks' }>

describe('assembleConversation types', () => {
  it('takes decoded events and gives an Either of an assembled conversation', () => {
    expectTypeOf(assembleConversation).parameter(0).toEqualTypeOf<readonly WebhookEvent[]>()
    expectTypeOf(assembleConversation).parameter(1).toEqualTypeOf<AssembleOptions | undefined>()
    expectTypeOf(assembleConversation).returns.toEqualTypeOf<Either<DecodeFailure, Assembled>>()
    expectTypeOf(assembleConversationOrThrow).returns.toEqualTypeOf<Assembled>()
  })

  it('is a Conversation, so every helper takes it, and narrows on source', () => {
    const c = assembleConversationOrThrow([])
    expectTypeOf(c).toExtend<Conversation>()
    expectTypeOf(c.source).toEqualTypeOf<'webhooks'>()
    expectTypeOf(c.closedBy).toEqualTypeOf<'agent' | 'contact' | null>()
    expectTypeOf(c.events).toEqualTypeOf<readonly WebhookEvent[]>()
    // @ts-expect-error: an assembled conversation has no POST hook body
    void c.raw
  })
})
