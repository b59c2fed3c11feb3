import { createParamDecorator, type ExecutionContext } from '@nestjs/common'
import { DEFAULT_LIMIT_BYTES } from '../../receive/receive-options.js'
import { nestBody } from './nest-body.js'
import { SmartsuppConversationPipe, type SmartsuppPipeOptions } from './smartsupp-conversation-pipe.js'

/** Options of `@SmartsuppConversation()`: the pipe's, and the limit for a body it reads itself. */
export interface SmartsuppConversationOptions extends SmartsuppPipeOptions {
  /** Bytes, when the body stream is still unread (no body parser ran); default 1 MiB. Nest's own body parser has its own limit. */
  readonly limit?: number
}

const conversationParam = createParamDecorator(
  (data: SmartsuppConversationOptions | undefined, ctx: ExecutionContext) =>
    nestBody(ctx.switchToHttp().getRequest(), data?.limit ?? DEFAULT_LIMIT_BYTES),
)

/**
 * A parameter decorator that hands the handler the decoded `Conversation`: it prefers the exact
 * bytes (`req.rawBody` with `NestFactory.create(AppModule, { rawBody: true })`, or the unread
 * stream), else the parsed body; an undecodable body answers 400 `{ statusCode, error, issues }`.
 */
export function SmartsuppConversation(options: SmartsuppConversationOptions = {}): ParameterDecorator {
  const { limit } = options
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw new TypeError(
      `smartsupp-hook: options.limit must be a whole number of bytes >= 1, got ${String(limit)}`,
    )
  }
  return conversationParam(options, new SmartsuppConversationPipe(options))
}
