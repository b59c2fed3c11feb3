import { Injectable } from '@nestjs/common'
import type { Conversation, DecodeFailure } from 'smartsupp-hook'

/** Where the docs' POST hook module (src/hook.app.module.ts) puts conversations and dead letters. */
@Injectable()
export class ConversationsService {
  readonly conversations: Conversation[] = []
  readonly deadLetters: { rawBody: Uint8Array; failure: DecodeFailure }[] = []

  save(conversation: Conversation): void {
    this.conversations.push(conversation)
  }

  keepDeadLetter(rawBody: Uint8Array, failure: DecodeFailure): void {
    this.deadLetters.push({ rawBody: Uint8Array.from(rawBody), failure })
  }
}
