import { webhookEventKey } from '../helpers/webhook-event-key.js'
import type { JsonValue } from '../model/json.js'
import type { WebhookEvent } from '../model/webhook-event.js'
import type { NewStoredEvent } from './event-store.js'
import { poisonedEventKey } from './poisoned-event-key.js'

/**
 * What to append for a decoded event and the exact bytes it came from: the key from
 * `webhookEventKey`, the conversation id from `data.conversation.id`, `data.conversation_id` or
 * `data.message.conversation_id` (a number in its decimal form), and `closes` for
 * `conversation.closed` and `conversation.closed_by_contact`.
 */
export function storedEventOf(event: WebhookEvent, bytes: Uint8Array): NewStoredEvent {
  return {
    key: webhookEventKey(event),
    conversationId: conversationIdOf(event.raw.data),
    accountId: event.accountId,
    event: event.event,
    occurredAt: event.timestamp,
    closes: event.event === 'conversation.closed' || event.event === 'conversation.closed_by_contact',
    body: bytes,
    poisoned: null,
  }
}

/**
 * What to append for an authentic body that could not be decoded (`reason`: the failure's
 * message): keyed by `poisonedEventKey(bytes)`, of no conversation, kept with its bytes so it can
 * be looked at and replayed once the decoder reads it.
 */
export async function poisonedStoredEventOf(bytes: Uint8Array, reason: string): Promise<NewStoredEvent> {
  return {
    key: await poisonedEventKey(bytes),
    conversationId: null,
    accountId: null,
    event: null,
    occurredAt: null,
    closes: false,
    body: bytes,
    poisoned: reason,
  }
}

/** Read from the event as received, so known and unknown events give the id the same way. */
function conversationIdOf(data: JsonValue | undefined): string | null {
  if (!isObject(data)) return null
  const conversation = data.conversation
  if (isObject(conversation) && isId(conversation.id)) return String(conversation.id)
  if (isId(data.conversation_id)) return String(data.conversation_id)
  const message = data.message
  if (isObject(message) && isId(message.conversation_id)) return String(message.conversation_id)
  return null
}

/** An id as the model reads it: a non-empty string, or a safe integer (its decimal string). */
function isId(u: JsonValue | undefined): u is string | number {
  return (typeof u === 'string' && u !== '') || (typeof u === 'number' && Number.isSafeInteger(u))
}

function isObject(u: JsonValue | undefined): u is { readonly [key: string]: JsonValue } {
  return u !== null && typeof u === 'object' && !Array.isArray(u)
}
