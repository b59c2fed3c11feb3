import { Injectable } from '@nestjs/common'
import { Conversation } from 'smartsupp-hook'

/** The app's own service: where conversations and dead letters go. */
@Injectable()
export class ConversationsService {
  readonly conversations: Conversation[] = []
  readonly deadLetters: Buffer[] = []

  save(conversation: Conversation): void {
    this.conversations.push(conversation)
  }

  keepDeadLetter(rawBody: Uint8Array): void {
    this.deadLetters.push(Buffer.from(rawBody))
  }
}
