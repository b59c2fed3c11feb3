import type { IncomingMessage } from 'node:http'
import type { FactoryProvider, ModuleMetadata } from '@nestjs/common'
import type { ReceiveOptions } from '../../receive/receive-options.js'

/**
 * The injection token of the module's options, so a test can replace them:
 * `Test.createTestingModule({ imports: [AppModule] }).overrideProvider(SMARTSUPP_HOOK_OPTIONS).useValue({ … })`.
 * A string, so it is the same token whether the app loads this package through `require` or `import`.
 */
export const SMARTSUPP_HOOK_OPTIONS = 'smartsupp-hook:SMARTSUPP_HOOK_OPTIONS'

/**
 * Options of `SmartsuppHookModule`: every adapter's options (`onConversation`, `onInvalid`,
 * `onError`, `token`, `limit`, `timeoutMs`, `mode`, `maxIssues`) and the `path` it answers;
 * callbacks get Node's `IncomingMessage` as `context.request`.
 */
export interface SmartsuppHookModuleOptions extends ReceiveOptions<IncomingMessage> {
  /**
   * The path Smartsupp posts to, exactly as the URL shows it (Nest's global prefix is not added),
   * e.g. `'/hooks/smartsupp'`: that path, and that path plus one segment (the token), are answered here.
   */
  readonly path: string
}

/** Options of `SmartsuppHookModule.forRootAsync`: a factory run by Nest's dependency injection. */
export interface SmartsuppHookModuleAsyncOptions {
  /** Modules whose providers the factory needs, e.g. `ConfigModule`. */
  readonly imports?: ModuleMetadata['imports']
  /** What to hand the factory, in order, e.g. `[ConfigService, ConversationsService]`. */
  readonly inject?: FactoryProvider['inject']
  /** Builds the options once, when the app is created; may be async. */
  // biome-ignore lint/suspicious/noExplicitAny: the factory's arguments are whatever `inject` names
  readonly useFactory: (...args: any[]) => SmartsuppHookModuleOptions | Promise<SmartsuppHookModuleOptions>
}
