import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common'
import type { Conversation } from 'smartsupp-hook'
import { SmartsuppConversation, SmartsuppTokenGuard } from 'smartsupp-hook/nest'

export const token = process.env.SMARTSUPP_HOOK_TOKEN ?? 'change-me-to-a-long-random-secret'

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
