/**
 * `smartsupp-hook/nest`: `SmartsuppHookModule` for NestJS 11 (CommonJS) and 12 (ESM) on the
 * Express platform. It answers the hook before Nest's body parser reads the body, through the
 * same receiver as `smartsupp-hook/node`. Loads `@nestjs/common` and `@nestjs/core`.
 */
export type { DecodeFailure } from '../decode/decode-failure.js'
export type { RawBodySource, ReceiveContext, RequestHeaders } from '../receive/receive-context.js'
export type { InvalidReply } from '../receive/receive-options.js'
export { SmartsuppTimeoutError } from '../receive/smartsupp-timeout-error.js'
export { SmartsuppHookModule } from './nest/smartsupp-hook-module.js'
export {
  SMARTSUPP_HOOK_OPTIONS,
  type SmartsuppHookModuleAsyncOptions,
  type SmartsuppHookModuleOptions,
} from './nest/smartsupp-hook-options.js'
export { SmartsuppHookReceiver } from './nest/smartsupp-hook-receiver.js'
