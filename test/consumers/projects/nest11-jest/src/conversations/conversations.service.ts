import { Injectable } from '@nestjs/common'
import { Conversation, WebhookEvent } from 'smartsupp-hook'

/** The app's own service: where conversations, webhook events and dead letters go. */
@Injectable()
export class ConversationsService {
  readonly conversations: Conversation[] = []
  readonly deadLetters: Buffer[] = []
  readonly events: WebhookEvent[] = []

  save(conversation: Conversation): void {
    this.conversations.push(conversation)
  }

  saveEvent(event: WebhookEvent): void {
    this.events.push(event)
  }

  keepDeadLetter(rawBody: Uint8Array): void {
    this.deadLetters.push(Buffer.from(rawBody))
  }
}
