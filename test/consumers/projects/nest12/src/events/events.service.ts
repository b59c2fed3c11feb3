import { Injectable } from '@nestjs/common'
import { type DecodeFailure, type WebhookEvent, webhookEventKey } from 'smartsupp-hook'

/** Where the docs' webhook module (src/webhooks.app.module.ts) puts events and dead letters. */
@Injectable()
export class EventsService {
  readonly events: WebhookEvent[] = []
  readonly deadLetters: { rawBody: Uint8Array; failure: DecodeFailure }[] = []
  private readonly seen = new Set<string>()

  async handleOnce(event: WebhookEvent): Promise<void> {
    const key = webhookEventKey(event)
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.events.push(event)
  }

  async keepDeadLetter(rawBody: Uint8Array, failure: DecodeFailure): Promise<void> {
    this.deadLetters.push({ rawBody: Uint8Array.from(rawBody), failure })
  }
}
