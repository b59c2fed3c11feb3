import { Injectable } from '@nestjs/common';
import { Conversation, DecodeFailure } from 'smartsupp-hook';

/** The app's own service (not the starter's): where conversations and dead letters go. */
@Injectable()
export class ConversationsService {
  readonly conversations: Conversation[] = [];
  readonly deadLetters: { rawBody: Buffer; failure: DecodeFailure }[] = [];

  save(conversation: Conversation): void {
    this.conversations.push(conversation);
  }

  keepDeadLetter(rawBody: Uint8Array, failure: DecodeFailure): void {
    this.deadLetters.push({ rawBody: Buffer.from(rawBody), failure });
  }
}
