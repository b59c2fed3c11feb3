import type { IncomingMessage } from 'node:http'
import type { FactoryProvider, ModuleMetadata } from '@nestjs/common'
import type { WebhookReceiveOptions } from '../../receive/webhook-receive-options.js'

/**
 * The injection token of `SmartsuppWebhookModule`'s options, so a test can replace them:
 * `Test.createTestingModule({ imports: [AppModule] }).overrideProvider(SMARTSUPP_WEBHOOK_OPTIONS).useValue({ … })`.
 * A string, so it is the same token whether the app loads this package through `require` or `import`.
 */
export const SMARTSUPP_WEBHOOK_OPTIONS = 'smartsupp-hook:SMARTSUPP_WEBHOOK_OPTIONS'

/**
 * Options of `SmartsuppWebhookModule`: every webhook receiver's options (`secret`, `appId`,
 * `onEvent`, `onInvalid`, `onError`, `limit`, `timeoutMs`, `mode`, `maxIssues`) and the `path`
 * it answers; callbacks get Node's `IncomingMessage` as `context.request`.
 */
export interface SmartsuppWebhookModuleOptions extends WebhookReceiveOptions<IncomingMessage> {
  /**
   * The URL path you gave Smartsupp for webhooks, exactly as the URL shows it (Nest's global prefix
   * is not added), e.g. `'/webhooks/smartsupp'`: that path, with or without a trailing slash.
   */
  readonly path: string
  /**
   * With `store`: close it when the application shuts down (`app.close()`, or SIGTERM/SIGINT
   * after `app.enableShutdownHooks()`), after the HTTP server stopped, the export sweep stopped
   * first. Default true: the module owns the store it was given. False when the store outlives
   * the app (one store shared by several apps in a test suite): close it yourself.
   */
  readonly closeStoreOnShutdown?: boolean
}

/** Options of `SmartsuppWebhookModule.forRootAsync`: a factory run by Nest's dependency injection. */
export interface SmartsuppWebhookModuleAsyncOptions {
  /** Modules whose providers the factory needs, e.g. `ConfigModule`. */
  readonly imports?: ModuleMetadata['imports']
  /** What to hand the factory, in order, e.g. `[ConfigService, EventsService]`. */
  readonly inject?: FactoryProvider['inject']
  /** Builds the options once, when the app is created; may be async. */
  readonly useFactory: (
    // biome-ignore lint/suspicious/noExplicitAny: the factory's arguments are whatever `inject` names
    ...args: any[]
  ) => SmartsuppWebhookModuleOptions | Promise<SmartsuppWebhookModuleOptions>
}
