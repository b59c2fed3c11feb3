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
  if (isId(conversationId)) return String(conversationId)
  for (const key of ['conversation', 'message', 'contact']) {
    const o = data[key]
    if (isObject(o)) {
      const id = key === 'message' && isId(o.conversation_id) ? o.conversation_id : o.id
      if (isId(id)) return String(id)
    }
  }
  return '-'
}

/** An id as the model reads it: a string, or a safe integer (read as its decimal string). */
function isId(u: JsonValue | undefined): u is string | number {
  return typeof u === 'string' || (typeof u === 'number' && Number.isSafeInteger(u))
}

function isObject(u: JsonValue | undefined): u is { readonly [key: string]: JsonValue } {
  return u !== null && typeof u === 'object' && !Array.isArray(u)
}

/**
 * JSON with object keys sorted at every level: equal for equal values, whatever the key order.
 * Iterative, so a deeply nested event (200 000 levels of arrays) cannot overflow the stack.
 */
function canonical(root: JsonValue): string {
  let out = ''
  // Each entry is a value still to write, or a literal piece of punctuation.
  const todo: Array<{ readonly value: JsonValue } | string> = [{ value: root }]
  while (todo.length > 0) {
    const next = todo.pop() as { readonly value: JsonValue } | string
    if (typeof next === 'string') {
      out += next
      continue
    }
    const value = next.value
    if (value === null || typeof value !== 'object') {
      out += JSON.stringify(value) ?? 'null'
    } else if (Array.isArray(value)) {
      out += '['
      todo.push(']')
      for (let i = value.length - 1; i >= 0; i--) {
        todo.push({ value: value[i] as JsonValue })
        if (i > 0) todo.push(',')
      }
    } else {
      out += '{'
      todo.push('}')
      const keys = Object.keys(value).sort()
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string
        todo.push({ value: (value as Record<string, JsonValue>)[key] as JsonValue })
        todo.push(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`)
      }
    }
  }
  return out
}
