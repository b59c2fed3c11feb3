import type fc from 'fast-check'
import type { ConversationPayload, LegacyConversationPayload } from 'smartsupp-hook'
import { conversation, type FixtureName, fixtures, postConversation } from 'smartsupp-hook/testing'
import { conversationPayload } from 'smartsupp-hook/testing/arbitraries'
import { describe, expectTypeOf, it } from 'vitest'

describe('testing kit types', () => {
  it('fixtures and the builder give wire payloads; legacy gives the pre-2018 type', () => {
    expectTypeOf(fixtures.missed()).toEqualTypeOf<ConversationPayload>()
    expectTypeOf(fixtures.legacy()).toEqualTypeOf<LegacyConversationPayload>()
    expectTypeOf<FixtureName>().toEqualTypeOf<
      | 'documentedExample'
      | 'missed'
      | 'offline'
      | 'triggeredOnly'
      | 'transfer'
      | 'rated'
      | 'unrated'
      | 'legacy'
      | 'futureFields'
      | 'post2020Variables'
      | 'large'
    >()
    expectTypeOf(conversation().visitor('Hi').build()).toEqualTypeOf<ConversationPayload>()
    // @ts-expect-error a patch keeps the documented fields' types
    conversation().with({ channel: { id: 'x' } })
  })

  it('the arbitraries are typed by form', () => {
    expectTypeOf(conversationPayload()).toEqualTypeOf<fc.Arbitrary<ConversationPayload>>()
    expectTypeOf(conversationPayload({ form: 'legacy' })).toEqualTypeOf<
      fc.Arbitrary<LegacyConversationPayload>
    >()
  })

  it('postConversation takes a URL or a Fetch-style handler and resolves to a Response', () => {
    expectTypeOf(postConversation('http://127.0.0.1:3000/hook', {})).toEqualTypeOf<Promise<Response>>()
    expectTypeOf(postConversation((r: Request) => new Response(r.body), {})).toEqualTypeOf<
      Promise<Response>
    >()
  })
})
