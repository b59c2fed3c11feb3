/**
 * smartsupp-hook/testing/arbitraries: fast-check arbitraries of Smartsupp payloads and webhook events for property
 * tests. A subpath of its own because it loads fast-check (an optional peer), which the rest of
 * `smartsupp-hook/testing` never needs.
 *
 * @module smartsupp-hook/testing/arbitraries
 */
import fc from 'fast-check'
import { type PayloadArbitraries, payloadArbitraries } from './payload-arbitraries.js'
import { type WebhookArbitraries, webhookArbitraries } from './webhook-arbitraries.js'

export type {
  ConversationArbitraryOptions,
  FastCheckModule,
  PayloadArbitraries,
} from './payload-arbitraries.js'
export type { WebhookArbitraries, WebhookEventArbitraryOptions } from './webhook-arbitraries.js'
export { payloadArbitraries, webhookArbitraries }

const bound: PayloadArbitraries = payloadArbitraries(fc)

/**
 * Payloads that decode: in the current form without unknown fields, strict decoding accepts every
 * one; with `form: 'legacy'` or `unknownFields: true`, lenient decoding does. Options: `minMessages`,
 * `maxMessages` (default 0 … 12), `form` (`'current'` or `'legacy'`), `unknownFields`.
 */
export const conversationPayload: PayloadArbitraries['conversationPayload'] = bound.conversationPayload
/** Any single message in the current documented form. */
export const messagePayload: PayloadArbitraries['messagePayload'] = bound.messagePayload
/** A valid payload with up to three random changes; most results are invalid, some stay valid. */
export const mutatedPayload: PayloadArbitraries['mutatedPayload'] = bound.mutatedPayload

const webhooks: WebhookArbitraries = webhookArbitraries(fc)

/**
 * Known webhook events derived from the webhook codecs: strict decoding accepts every one
 * (lenient, with `unknownFields: true`). Options: `events` (a subset of the names), `unknownFields`.
 */
export const webhookEvent: WebhookArbitraries['webhookEvent'] = webhooks.webhookEvent
/** Webhook events with a name the spec does not know (`x.<name>`) and any object as `data`. */
export const unknownWebhookEvent: WebhookArbitraries['unknownWebhookEvent'] = webhooks.unknownWebhookEvent
/** A valid webhook event with up to three random changes; most results are invalid, some stay valid. */
export const mutatedWebhookEvent: WebhookArbitraries['mutatedWebhookEvent'] = webhooks.mutatedWebhookEvent
