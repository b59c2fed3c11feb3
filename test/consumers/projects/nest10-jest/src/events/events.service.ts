import { Injectable } from '@nestjs/common';
import { DecodeFailure, WebhookEvent, webhookEventKey } from 'smartsupp-hook';

/** The app's own service (not the starter's): where webhook events and dead letters go. */
@Injectable()
export class EventsService {
  readonly events: WebhookEvent[] = [];
  readonly deadLetters: { rawBody: Buffer; failure: DecodeFailure }[] = [];
  private readonly seen = new Set<string>();

  /** Smartsupp re-delivers on any non-200: an event already handled is skipped. */
  async handleOnce(event: WebhookEvent): Promise<void> {
    const key = webhookEventKey(event);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.events.push(event);
  }

  async keepDeadLetter(rawBody: Uint8Array, failure: DecodeFailure): Promise<void> {
    this.deadLetters.push({ rawBody: Buffer.from(rawBody), failure });
  }
}
