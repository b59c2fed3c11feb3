import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { AssembledConversation, DecodeFailure, WebhookEvent } from 'smartsupp-hook'
import {
  type ReceiveContext,
  type SmartsuppHookRequest,
  type SmartsuppWebhookOptions,
  smartsuppWebhook,
} from 'smartsupp-hook/express'
import {
  createSmartsuppWebhookFetchHandler,
  handleSmartsuppWebhook,
  type SmartsuppWebhookFetchOptions,
} from 'smartsupp-hook/fetch'
import { createSmartsuppWebhookListener, type SmartsuppWebhookListenerOptions } from 'smartsupp-hook/node'
import { memoryEventStore } from 'smartsupp-hook/store'
import { describe, expectTypeOf, it } from 'vitest'

describe('webhook adapter types', () => {
  it('express: a RequestHandler (with its bodyParserErrors companion) whose onEvent sees the event and the Express Request', () => {
    expectTypeOf(smartsuppWebhook).returns.toMatchTypeOf<RequestHandler>()
    expectTypeOf(smartsuppWebhook)
      .returns.toHaveProperty('bodyParserErrors')
      .toEqualTypeOf<ErrorRequestHandler>()
    expectTypeOf<SmartsuppWebhookOptions['onEvent']>().parameters.toEqualTypeOf<
      [WebhookEvent, ReceiveContext<SmartsuppHookRequest>]
    >()
    expectTypeOf<Parameters<NonNullable<SmartsuppWebhookOptions['onInvalid']>>>().toEqualTypeOf<
      [DecodeFailure, Uint8Array, ReceiveContext<SmartsuppHookRequest>]
    >()
    smartsuppWebhook({
      secret: ['new', 'old'],
      appId: 'ap40qUkYi',
      onEvent: (event) => {
        if (event.known && event.event === 'conversation.rated') {
          expectTypeOf(event.data.rating).toEqualTypeOf<{
            readonly value: number
            readonly comment: string | null
          } | null>()
        }
      },
    })
    // @ts-expect-error secret is required
    smartsuppWebhook({ onEvent: () => {} })
    // With a store, onEvent may be left out; the finished conversation is an AssembledConversation.
    smartsuppWebhook({
      secret: 's',
      store: memoryEventStore(),
      onConversationFinished: (conversation, context) => {
        expectTypeOf(conversation).toEqualTypeOf<AssembledConversation>()
        expectTypeOf(context.reason).toEqualTypeOf<'closed' | 'quiet'>()
      },
    })
  })

  it('node and fetch: listener and handler shapes, the request type in the context', () => {
    expectTypeOf(createSmartsuppWebhookListener).returns.toEqualTypeOf<
      (req: IncomingMessage, res: ServerResponse) => void
    >()
    expectTypeOf<
      Parameters<NonNullable<SmartsuppWebhookListenerOptions['onEvent']>>[1]['request']
    >().toEqualTypeOf<IncomingMessage>()
    expectTypeOf(createSmartsuppWebhookFetchHandler).returns.toEqualTypeOf<
      (request: Request) => Promise<Response>
    >()
    expectTypeOf(handleSmartsuppWebhook).returns.toEqualTypeOf<Promise<Response>>()
    expectTypeOf<
      Parameters<NonNullable<SmartsuppWebhookFetchOptions['onEvent']>>[1]['request']
    >().toEqualTypeOf<Request>()
  })
})
