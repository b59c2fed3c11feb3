import { type DynamicModule, Module, type Provider } from '@nestjs/common'
import { HttpAdapterHost } from '@nestjs/core'
import {
  SMARTSUPP_HOOK_OPTIONS,
  type SmartsuppHookModuleAsyncOptions,
  type SmartsuppHookModuleOptions,
} from './smartsupp-hook-options.js'
import { SmartsuppHookReceiver } from './smartsupp-hook-receiver.js'

const receiver: Provider = {
  provide: SmartsuppHookReceiver,
  useFactory: (host: HttpAdapterHost, options: SmartsuppHookModuleOptions) =>
    new SmartsuppHookReceiver(host, options),
  inject: [HttpAdapterHost, SMARTSUPP_HOOK_OPTIONS],
}

/**
 * Receives Smartsupp's POST hook in a NestJS app (Express platform): import it once, with
 * `forRoot(options)` or `forRootAsync({ imports, inject, useFactory })` to take the token and the
 * callbacks from Nest's dependency injection. It answers `path` before Nest's body parser, guards
 * and pipes see the request (see `SmartsuppHookReceiver`); nothing is needed in `main.ts`.
 */
// biome-ignore lint/complexity/noStaticOnlyClass: Nest identifies a module by its class, and forRoot/forRootAsync on it is Nest's idiom
export class SmartsuppHookModule {
  /** The module with fixed options (checked when the app is created, not at import). */
  static forRoot(options: SmartsuppHookModuleOptions): DynamicModule {
    return {
      module: SmartsuppHookModule,
      providers: [{ provide: SMARTSUPP_HOOK_OPTIONS, useValue: options }, receiver],
      exports: [SMARTSUPP_HOOK_OPTIONS],
    }
  }

  /** The module with options built by a factory that Nest injects, e.g. `(config: ConfigService) => ({ … })`. */
  static forRootAsync(options: SmartsuppHookModuleAsyncOptions): DynamicModule {
    if (options === null || typeof options !== 'object' || typeof options.useFactory !== 'function') {
      throw new TypeError(
        'smartsupp-hook: SmartsuppHookModule.forRootAsync needs { useFactory, inject?, imports? }',
      )
    }
    return {
      module: SmartsuppHookModule,
      imports: [...(options.imports ?? [])],
      providers: [
        {
          provide: SMARTSUPP_HOOK_OPTIONS,
          useFactory: options.useFactory,
          inject: [...(options.inject ?? [])],
        },
        receiver,
      ],
      exports: [SMARTSUPP_HOOK_OPTIONS],
    }
  }
}

Module({})(SmartsuppHookModule)
