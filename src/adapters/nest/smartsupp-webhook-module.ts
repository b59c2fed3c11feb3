import { type DynamicModule, Module, type Provider } from '@nestjs/common'
import { HttpAdapterHost } from '@nestjs/core'
import {
  SMARTSUPP_WEBHOOK_OPTIONS,
  type SmartsuppWebhookModuleAsyncOptions,
  type SmartsuppWebhookModuleOptions,
} from './smartsupp-webhook-options.js'
import { SmartsuppWebhookReceiver } from './smartsupp-webhook-receiver.js'

const receiver: Provider = {
  provide: SmartsuppWebhookReceiver,
  useFactory: (host: HttpAdapterHost, options: SmartsuppWebhookModuleOptions) =>
    new SmartsuppWebhookReceiver(host, options),
  inject: [HttpAdapterHost, SMARTSUPP_WEBHOOK_OPTIONS],
}

/**
 * Receives Smartsupp webhooks (signed events) in a NestJS app (Express platform): import it once,
 * with `forRoot(options)` or `forRootAsync({ imports, inject, useFactory })` to take the secret and
 * the callbacks from Nest's dependency injection. It answers `path` before Nest's body parser,
 * guards and pipes see the request, verifying the signature over the exact bytes (see
 * `SmartsuppWebhookReceiver`); nothing is needed in `main.ts`. It can sit beside
 * `SmartsuppHookModule` (the legacy POST hook) on another path.
 */
// biome-ignore lint/complexity/noStaticOnlyClass: Nest identifies a module by its class, and forRoot/forRootAsync on it is Nest's idiom
export class SmartsuppWebhookModule {
  /** The module with fixed options (checked when the app is created, not at import). */
  static forRoot(options: SmartsuppWebhookModuleOptions): DynamicModule {
    return {
      module: SmartsuppWebhookModule,
      providers: [{ provide: SMARTSUPP_WEBHOOK_OPTIONS, useValue: options }, receiver],
      exports: [SMARTSUPP_WEBHOOK_OPTIONS],
    }
  }

  /** The module with options built by a factory that Nest injects, e.g. `(config: ConfigService) => ({ … })`. */
  static forRootAsync(options: SmartsuppWebhookModuleAsyncOptions): DynamicModule {
    if (options === null || typeof options !== 'object' || typeof options.useFactory !== 'function') {
      throw new TypeError(
        'smartsupp-hook: SmartsuppWebhookModule.forRootAsync needs { useFactory, inject?, imports? }',
      )
    }
    return {
      module: SmartsuppWebhookModule,
      imports: [...(options.imports ?? [])],
      providers: [
        {
          provide: SMARTSUPP_WEBHOOK_OPTIONS,
          useFactory: options.useFactory,
          inject: [...(options.inject ?? [])],
        },
        receiver,
      ],
      exports: [SMARTSUPP_WEBHOOK_OPTIONS],
    }
  }
}

Module({})(SmartsuppWebhookModule)
