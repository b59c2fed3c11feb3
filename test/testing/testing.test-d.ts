import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type fc from 'fast-check'
import type { ConversationPayload, LegacyConversationPayload, PostHookConversation } from 'smartsupp-hook'
import {
  conversation,
  conversations,
  type FixtureName,
  fixtures,
  postConversation,
} from 'smartsupp-hook/testing'
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

  it("conversations returns decoded PostHookConversations, with the fixtures' arguments", () => {
    expectTypeOf(conversations.missed()).toEqualTypeOf<PostHookConversation>()
    expectTypeOf(conversations.missed().source).toEqualTypeOf<'post-hook'>()
    expectTypeOf(conversations.large).parameters.toEqualTypeOf<Parameters<typeof fixtures.large>>()
  })

  it('postConversation takes a URL, a Fetch-style handler, a Node listener or an http.Server', () => {
    expectTypeOf(postConversation('http://127.0.0.1:3000/hook', {})).toEqualTypeOf<Promise<Response>>()
    expectTypeOf(
      postConversation((_req: IncomingMessage, res: ServerResponse) => res.end(), {}),
    ).toEqualTypeOf<Promise<Response>>()
    expectTypeOf(postConversation(createServer(), {})).toEqualTypeOf<Promise<Response>>()
    expectTypeOf(
      postConversation((_req: IncomingMessage, res: ServerResponse) => res.end(), {}, { as: 'node' }),
    ).toEqualTypeOf<Promise<Response>>()
    // A Next.js route and a Worker's fetch take more than the request and are Fetch handlers.
    expectTypeOf(
      postConversation(
        async (r: Request, _c: { params: Promise<{ id: string }> }) => new Response(r.body),
        {},
      ),
    ).toEqualTypeOf<Promise<Response>>()
    // @ts-expect-error: as is 'fetch' or 'node'
    void postConversation('http://127.0.0.1/', {}, { as: 'express' })
    expectTypeOf(postConversation((r) => new Response(r.url), {})).toEqualTypeOf<Promise<Response>>()
    expectTypeOf(postConversation((r: Request) => new Response(r.body), {})).toEqualTypeOf<
      Promise<Response>
    >()
  })
})
