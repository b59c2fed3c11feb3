import type { WebhookEvent } from '../../model/webhook-event.js'
import type { DecodeOptions } from '../options.js'
import type { RequestBody } from '../parse-conversation.js'
import { SmartsuppDecodeError } from '../smartsupp-decode-error.js'
import { decodeWebhookEvent } from './decode-webhook-event.js'
import { parseWebhookEvent } from './parse-webhook-event.js'

/** `parseWebhookEvent` for code without fp-ts: the event, or a thrown `SmartsuppDecodeError`. */
export function parseWebhookEventOrThrow(body: RequestBody, options?: DecodeOptions): WebhookEvent {
  const result = parseWebhookEvent(body, options)
  if (result._tag === 'Left') throw new SmartsuppDecodeError(result.left)
  return result.right
}

/** `decodeWebhookEvent` for code without fp-ts: the event, or a thrown `SmartsuppDecodeError`. */
export function decodeWebhookEventOrThrow(value: unknown, options?: DecodeOptions): WebhookEvent {
  const result = decodeWebhookEvent(value, options)
  if (result._tag === 'Left') throw new SmartsuppDecodeError(result.left)
  return result.right
}
