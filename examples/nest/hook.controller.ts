import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common'
import type { Conversation } from 'smartsupp-hook'
import { SmartsuppConversation, SmartsuppTokenGuard } from 'smartsupp-hook/nest'

/** The secret in the hook URL: SMARTSUPP_HOOK_TOKEN, else a random one for this run (never printed). */
export const token = process.env.SMARTSUPP_HOOK_TOKEN || crypto.randomUUID()

@Controller('hooks')
export class HookController {
  @Post('smartsupp/:token')
  @HttpCode(200)
  @UseGuards(new SmartsuppTokenGuard({ token })) // 401 before anything else runs
  receive(
    @SmartsuppConversation({
      // Keep the exact bytes of what could not be decoded (a dead letter); the answer is 400.
      onInvalid: (failure, rawBody) =>
        console.error(`dead letter (${rawBody.length} bytes): ${failure.message}`),
    })
    conversation: Conversation,
  ) {
    console.log(
      `conversation ${conversation.id}: ${conversation.messages.length} messages, visitor ${conversation.visitor?.name}`,
    )
    return { ok: true }
  }
}
