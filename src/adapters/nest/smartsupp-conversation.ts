import { createParamDecorator, type ExecutionContext } from '@nestjs/common'
import { checkLimit, DEFAULT_LIMIT_BYTES } from '../../receive/receive-options.js'
import { nestBody } from './nest-body.js'
import { SmartsuppConversationPipe, type SmartsuppPipeOptions } from './smartsupp-conversation-pipe.js'

/** Options of `@SmartsuppConversation()`: the pipe's, and the limit for a body it reads itself. */
export interface SmartsuppConversationOptions extends SmartsuppPipeOptions {
  /** Bytes, when the body stream is still unread (no body parser ran); default 1 MiB. Nest's own body parser has its own limit. */
  readonly limit?: number
}

const conversationParam = createParamDecorator(
  async (data: SmartsuppConversationOptions | undefined, ctx: ExecutionContext) => {
    const http = ctx.switchToHttp()
    const found = await nestBody(http.getRequest(), data?.limit ?? DEFAULT_LIMIT_BYTES)
    if (found.body.kind === 'too_large') {
      // As every adapter's 413: close the connection, so the rest of the body is never read.
      http
        .getResponse<{ setHeader?: (name: string, value: string) => unknown }>()
        .setHeader?.('connection', 'close')
    }
    return found
  },
)

/**
 * A parameter decorator that hands the handler the decoded `Conversation`: it prefers the exact
 * bytes (`req.rawBody` with `NestFactory.create(AppModule, { rawBody: true })`, or the unread
 * stream), else the parsed body; an undecodable body answers 400 `{ statusCode, error, issues }`.
 */
export function SmartsuppConversation(options: SmartsuppConversationOptions = {}): ParameterDecorator {
  if (options.limit !== undefined) checkLimit(options.limit)
  return conversationParam(options, new SmartsuppConversationPipe(options))
}
