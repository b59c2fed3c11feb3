import { Injectable } from '@nestjs/common'
import type { Conversation, DecodeFailure } from 'smartsupp-hook'

/** Your own service: where conversations and dead letters go (here, the console). */
@Injectable()
export class ConversationsService {
  save(conversation: Conversation): void {
    console.log(
      `conversation ${conversation.id}: ${conversation.messages.length} messages, visitor ${conversation.visitor?.name}`,
    )
  }

  /** Keeps the exact bytes of a body that could not be decoded (a dead letter); the answer is 400. */
  keepDeadLetter(rawBody: Uint8Array, failure: DecodeFailure): void {
    console.error(`dead letter (${rawBody.length} bytes): ${failure.message}`)
  }
}
