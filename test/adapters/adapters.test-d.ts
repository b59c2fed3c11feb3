import type { IncomingMessage, ServerResponse } from 'node:http'
import type { DynamicModule } from '@nestjs/common'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { DecodeFailure, PostHookConversation } from 'smartsupp-hook'
import {
  SmartsuppTimeoutError as ExpressTimeoutError,
  type ReceiveContext,
  type SmartsuppHookHandler,
  type SmartsuppHookOptions,
  type SmartsuppHookRequest,
  smartsuppHook,
} from 'smartsupp-hook/express'
import {
  createSmartsuppFetchHandler,
  SmartsuppTimeoutError as FetchTimeoutError,
  handleSmartsuppRequest,
} from 'smartsupp-hook/fetch'
import {
  SmartsuppTimeoutError as NestTimeoutError,
  SmartsuppHookModule,
  type SmartsuppHookModuleOptions,
} from 'smartsupp-hook/nest'
import { createSmartsuppListener, SmartsuppTimeoutError as NodeTimeoutError } from 'smartsupp-hook/node'
import { describe, expectTypeOf, it } from 'vitest'

describe('adapter types', () => {
  it('SmartsuppTimeoutError is the same class from every adapter subpath, /nest included', () => {
    expectTypeOf(NestTimeoutError).toEqualTypeOf(ExpressTimeoutError)
    expectTypeOf(NestTimeoutError).toEqualTypeOf(FetchTimeoutError)
    expectTypeOf(NestTimeoutError).toEqualTypeOf(NodeTimeoutError)
    expectTypeOf<InstanceType<typeof NestTimeoutError>['timeoutMs']>().toEqualTypeOf<number>()
    SmartsuppHookModule.forRoot({
      path: '/hooks/smartsupp',
      onConversation: () => {},
      onError: (error) => {
        if (error instanceof NestTimeoutError) expectTypeOf(error.timeoutMs).toEqualTypeOf<number>()
      },
    })
  })

  it('express: a RequestHandler whose callbacks see the Express Request, no any', () => {
    expectTypeOf(smartsuppHook).returns.toExtend<RequestHandler>()
    expectTypeOf(smartsuppHook).returns.toEqualTypeOf<SmartsuppHookHandler>()
    expectTypeOf<SmartsuppHookHandler['bodyParserErrors']>().toEqualTypeOf<ErrorRequestHandler>()
    expectTypeOf<SmartsuppHookOptions['onConversation']>().parameters.toEqualTypeOf<
      [PostHookConversation, ReceiveContext<SmartsuppHookRequest>]
    >()
    expectTypeOf<Parameters<NonNullable<SmartsuppHookOptions['onInvalid']>>>().toEqualTypeOf<
      [DecodeFailure, Uint8Array, ReceiveContext<SmartsuppHookRequest>]
    >()
    expectTypeOf<ReceiveContext<SmartsuppHookRequest>['request']>().not.toBeAny()
    smartsuppHook({
      onConversation: (c, ctx) => {
        expectTypeOf(c.id).toEqualTypeOf<string>()
        expectTypeOf(c.source).toEqualTypeOf<'post-hook'>()
        expectTypeOf(ctx.request.originalUrl).toEqualTypeOf<string>()
        expectTypeOf(ctx.request.body).not.toBeAny()
        expectTypeOf(ctx.request.body).toEqualTypeOf<unknown>()
        expectTypeOf(ctx.request.params).not.toBeAny()
        expectTypeOf(ctx.rawBody).toEqualTypeOf<Uint8Array>()
        expectTypeOf(ctx.rawBodySource).toEqualTypeOf<'bytes' | 'text' | 'parsed' | 'none'>()
      },
      onInvalid: async () => ({ status: 200 }),
    })
    // @ts-expect-error onConversation is required
    smartsuppHook({})
    // @ts-expect-error mode is 'lenient' | 'strict'
    smartsuppHook({ onConversation: () => {}, mode: 'loose' })
  })

  it('node: a listener for http.createServer', () => {
    expectTypeOf(createSmartsuppListener({ onConversation: () => {} })).toEqualTypeOf<
      (req: IncomingMessage, res: ServerResponse) => void
    >()
    createSmartsuppListener({
      onConversation: (_c, ctx) => expectTypeOf(ctx.request).toEqualTypeOf<IncomingMessage>(),
    })
  })

  it('fetch: Request in, Promise<Response> out', () => {
    expectTypeOf(handleSmartsuppRequest).returns.toEqualTypeOf<Promise<Response>>()
    expectTypeOf(createSmartsuppFetchHandler({ onConversation: () => {} })).toEqualTypeOf<
      (request: Request) => Promise<Response>
    >()
  })

  it('nest: a dynamic module whose callbacks see the IncomingMessage', () => {
    expectTypeOf(SmartsuppHookModule.forRoot).returns.toEqualTypeOf<DynamicModule>()
    expectTypeOf(SmartsuppHookModule.forRootAsync).returns.toEqualTypeOf<DynamicModule>()
    expectTypeOf<SmartsuppHookModuleOptions['onConversation']>().parameters.toEqualTypeOf<
      [PostHookConversation, ReceiveContext<IncomingMessage>]
    >()
    expectTypeOf<SmartsuppHookModuleOptions['path']>().toEqualTypeOf<string>()
  })
})
