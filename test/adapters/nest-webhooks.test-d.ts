import type { IncomingMessage } from 'node:http'
import type { DynamicModule } from '@nestjs/common'
import type { DecodeFailure, WebhookEvent, WebhookRating } from 'smartsupp-hook'
import {
  type ReceiveContext,
  SmartsuppWebhookModule,
  type SmartsuppWebhookModuleAsyncOptions,
  type SmartsuppWebhookModuleOptions,
} from 'smartsupp-hook/nest'
import { describe, expectTypeOf, it } from 'vitest'

describe('SmartsuppWebhookModule types', () => {
  it('forRoot and forRootAsync return a dynamic module', () => {
    expectTypeOf(SmartsuppWebhookModule.forRoot).returns.toEqualTypeOf<DynamicModule>()
    expectTypeOf(SmartsuppWebhookModule.forRootAsync).returns.toEqualTypeOf<DynamicModule>()
  })

  it('callbacks see the event and the IncomingMessage', () => {
    expectTypeOf<SmartsuppWebhookModuleOptions['onEvent']>().parameters.toEqualTypeOf<
      [WebhookEvent, ReceiveContext<IncomingMessage>]
    >()
    expectTypeOf<NonNullable<SmartsuppWebhookModuleOptions['onInvalid']>>()
      .parameter(0)
      .toEqualTypeOf<DecodeFailure>()
    expectTypeOf<NonNullable<SmartsuppWebhookModuleOptions['onInvalid']>>()
      .parameter(1)
      .toEqualTypeOf<Uint8Array>()
  })

  it('needs path and secret (onEvent, or a store, is checked at creation); appId is a string when given', () => {
    expectTypeOf<SmartsuppWebhookModuleOptions['path']>().toEqualTypeOf<string>()
    expectTypeOf<SmartsuppWebhookModuleOptions['appId']>().toEqualTypeOf<string | undefined>()
    // @ts-expect-error secret is required
    SmartsuppWebhookModule.forRoot({ path: '/webhooks/smartsupp', onEvent: () => {} })
    // @ts-expect-error path is required
    SmartsuppWebhookModule.forRoot({ secret: 's', onEvent: () => {} })
    SmartsuppWebhookModule.forRoot({ path: '/webhooks/smartsupp', secret: ['new', 'old'], onEvent: () => {} })
  })

  it('narrows a known event in onEvent', () => {
    SmartsuppWebhookModule.forRoot({
      path: '/webhooks/smartsupp',
      secret: 's',
      onEvent: (event) => {
        if (event.known && event.event === 'conversation.rated') {
          expectTypeOf(event.data.rating).toEqualTypeOf<WebhookRating | null>()
        }
      },
    })
  })

  it('forRootAsync takes a sync or async factory of the options', () => {
    expectTypeOf<ReturnType<SmartsuppWebhookModuleAsyncOptions['useFactory']>>().toEqualTypeOf<
      SmartsuppWebhookModuleOptions | Promise<SmartsuppWebhookModuleOptions>
    >()
  })
})
