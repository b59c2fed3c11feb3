import type { JsonValue } from '../model/json.js'
import type { WebhookEvent } from '../model/webhook-event.js'
import { fnv1a64 } from './fnv1a64.js'

/**
 * A key for skipping re-delivered webhook events, since Smartsupp sends no delivery id (shared
 * spec: Delivery): `smartsupp-webhook:<account_id>:<event>:<object id>:<hash>`. The hash (64-bit
 * FNV-1a, 16 hex digits) covers the whole received event (`raw`, unknown fields included) in a
 * canonical form (keys sorted, no whitespace), so a re-delivery gives the same key whatever its
 * formatting or key order, and two events that differ in any value (another `timestamp`,
 * another message) get different keys. The object id is the conversation's, else the
 * message's or contact's, else `-`: group one conversation's events by it.
 */
export function webhookEventKey(event: WebhookEvent): string {
  const raw = event.raw
  const data = raw.data
  return `smartsupp-webhook:${event.accountId ?? '-'}:${event.event}:${objectId(data)}:${fnv1a64(canonical(raw))}`
}

function objectId(data: JsonValue | undefined): string {
  if (!isObject(data)) return '-'
  const conversationId = data.conversation_id
  if (typeof conversationId === 'string') return conversationId
  for (const key of ['conversation', 'message', 'contact']) {
    const o = data[key]
    if (isObject(o)) {
      const id = key === 'message' && typeof o.conversation_id === 'string' ? o.conversation_id : o.id
      if (typeof id === 'string') return id
    }
  }
  return '-'
}

function isObject(u: JsonValue | undefined): u is { readonly [key: string]: JsonValue } {
  return u !== null && typeof u === 'object' && !Array.isArray(u)
}

/** JSON with object keys sorted at every level: equal for equal values, whatever the key order. */
function canonical(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  const keys = Object.keys(value).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, JsonValue>)[k] as JsonValue)}`).join(',')}}`
}
