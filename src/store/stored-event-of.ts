import { webhookEventKey } from '../helpers/webhook-event-key.js'
import type { JsonValue } from '../model/json.js'
import type { WebhookEvent } from '../model/webhook-event.js'
import type { NewStoredEvent } from './event-store.js'
import { poisonedEventKey } from './poisoned-event-key.js'
import { MAX_KEY_BYTES, storableText, storedConversationId } from './storable-text.js'

/**
 * What to append for a decoded event and the exact bytes it came from: the key from
 * `webhookEventKey`, the conversation id from `data.conversation.id`, `data.conversation_id` or
 * `data.message.conversation_id` (a number in its decimal form), and `closes` for
 * `conversation.closed` and `conversation.closed_by_contact`. A value PostgreSQL cannot hold or
 * index (a NUL, a lone surrogate, an id over 500 UTF-8 bytes) is escaped (see
 * `storedConversationId`), so every authentic event can be stored and distinct ids stay distinct.
 */
export function storedEventOf(event: WebhookEvent, bytes: Uint8Array): NewStoredEvent {
  const conversationId = conversationIdOf(event.raw.data)
  return {
    key: storableText(webhookEventKey(event), MAX_KEY_BYTES),
    conversationId: conversationId === null ? null : storedConversationId(conversationId),
    accountId: event.accountId === null ? null : storableText(event.accountId),
    event: storableText(event.event),
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
    poisoned: storableText(reason),
  }
}

/**
 * The conversation id an event carries, read from the event as received, so known and unknown
 * events give the id the same way (internal; `null` when none).
 */
export function conversationIdOf(data: JsonValue | undefined): string | null {
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
