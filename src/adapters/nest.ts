/**
 * `smartsupp-hook/nest`: NestJS 11 (CommonJS) and 12 (ESM) support without decorators in this
 * package's own source: a pipe, a parameter decorator and a token guard. Loads `@nestjs/common`.
 */
export type { DecodeFailure } from '../decode/decode-failure.js'
export type { RawBodySource } from '../receive/receive-context.js'
export type { InvalidReply } from '../receive/receive-options.js'
export { SmartsuppConversation, type SmartsuppConversationOptions } from './nest/smartsupp-conversation.js'
export {
  type NestInvalidContext,
  SmartsuppConversationPipe,
  type SmartsuppPipeOptions,
} from './nest/smartsupp-conversation-pipe.js'
export { SmartsuppTokenGuard, type SmartsuppTokenGuardOptions } from './nest/smartsupp-token-guard.js'
