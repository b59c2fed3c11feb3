/**
 * `smartsupp-hook/nest`: `SmartsuppHookModule` (the legacy POST hook) and `SmartsuppWebhookModule`
 * (signed webhooks) for NestJS 11 (CommonJS) and 12 (ESM) on the Express platform. Each answers
 * its path before Nest's body parser reads the body, through the same receivers as
 * `smartsupp-hook/node`. Loads `@nestjs/common` and `@nestjs/core`.
 *
 * @module smartsupp-hook/nest
 */
export type { DecodeFailure } from '../decode/decode-failure.js'
export type { RawBodySource, ReceiveContext, RequestHeaders } from '../receive/receive-context.js'
export type { InvalidReply, OnInvalid, ReceiveOptions } from '../receive/receive-options.js'
export {
  type RefusalDetails,
  type RefusalReason,
  type RefusedBy,
  SmartsuppRefusedError,
} from '../receive/smartsupp-refused-error.js'
export { SmartsuppTimeoutError } from '../receive/smartsupp-timeout-error.js'
export type { WebhookReceiveOptions } from '../receive/webhook-receive-options.js'
export { SmartsuppHookModule } from './nest/smartsupp-hook-module.js'
export {
  SMARTSUPP_HOOK_OPTIONS,
  type SmartsuppHookModuleAsyncOptions,
  type SmartsuppHookModuleOptions,
} from './nest/smartsupp-hook-options.js'
export { SmartsuppHookReceiver } from './nest/smartsupp-hook-receiver.js'
export { SmartsuppWebhookModule } from './nest/smartsupp-webhook-module.js'
export {
  SMARTSUPP_WEBHOOK_OPTIONS,
  type SmartsuppWebhookModuleAsyncOptions,
  type SmartsuppWebhookModuleOptions,
} from './nest/smartsupp-webhook-options.js'
export { SmartsuppWebhookReceiver } from './nest/smartsupp-webhook-receiver.js'
