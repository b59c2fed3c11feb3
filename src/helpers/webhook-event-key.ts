import type { JsonValue } from '../model/json.js'
import type { WebhookEvent } from '../model/webhook-event.js'
import { Fnv1a64, fnv1a64 } from './fnv1a64.js'

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
  return `${keyHead(event)}${canonicalHash(raw)}`
}

/**
 * `webhookEventKey(event)` when `event.raw` is a JSON tree as `JSON.parse` makes it (internal),
 * else `null`: a cycle, an object met twice, a value JSON cannot hold (`undefined`, a hole, a
 * bigint, a function, a number that is not finite), or nesting too deep to check while hashing
 * (then the caller checks the tree on its own). One walk that hashes and checks, for assembly,
 * which must not walk a cycle forever.
 */
export function checkedWebhookEventKey(event: WebhookEvent): string | null {
  const raw = event.raw
  const hash = new Fnv1a64()
  try {
    hashValue(hash, raw, 0, new Set())
  } catch (e) {
    if (e === TOO_DEEP || e === NOT_A_TREE) return null
    throw e
  }
  return `${keyHead(event)}${hash.hex()}`
}

/** The key up to its hash: `smartsupp-webhook:<account_id>:<event>:<object id>:`. */
function keyHead(event: WebhookEvent): string {
  return `smartsupp-webhook:${event.accountId ?? '-'}:${event.event}:${objectId(event.raw.data)}:`
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

/** Deeper than this, the walk goes on without recursion (a hostile event cannot overflow the stack). */
const MAX_RECURSION = 256

/** Thrown to leave the recursive walk for the iterative one (internal). */
const TOO_DEEP: unique symbol = Symbol('too deep')
/** Thrown by a checking walk at the first value `JSON.parse` cannot make (internal). */
const NOT_A_TREE: unique symbol = Symbol('not a JSON tree')

/**
 * The FNV-1a 64 hash of the event's canonical JSON (object keys sorted at every level, no
 * whitespace): equal for equal values, whatever the key order. Hashed while walking, without
 * building the text or encoding it: the same value as `fnv1a64(canonical(root))`, at a fraction
 * of the cost. Recursive up to `MAX_RECURSION` levels; a deeper event is hashed again iteratively.
 */
function canonicalHash(root: JsonValue): string {
  const hash = new Fnv1a64()
  try {
    hashValue(hash, root, 0, null)
  } catch (e) {
    if (e !== TOO_DEEP) throw e
    return fnv1a64(canonical(root))
  }
  return hash.hex()
}

/**
 * Hashes `value` in canonical form. With `seen` (the objects met so far), it also checks that the
 * value is a JSON tree, throwing `NOT_A_TREE` at the first place it is not.
 */
function hashValue(hash: Fnv1a64, value: JsonValue, depth: number, seen: Set<object> | null): void {
  if (typeof value === 'string') hash.jsonString(value)
  else if (value === null) hash.text('null')
  else if (typeof value === 'boolean') hash.text(value ? 'true' : 'false')
  else if (typeof value !== 'object') {
    if (seen !== null && (typeof value !== 'number' || !Number.isFinite(value))) throw NOT_A_TREE
    hash.text(JSON.stringify(value) ?? 'null')
  } else if (depth >= MAX_RECURSION) throw TOO_DEEP
  else {
    if (seen !== null) {
      if (seen.has(value)) throw NOT_A_TREE
      seen.add(value)
    }
    if (Array.isArray(value)) {
      hash.byte(0x5b)
      for (let i = 0; i < value.length; i++) {
        if (i > 0) hash.byte(0x2c)
        hashValue(hash, value[i] as JsonValue, depth + 1, seen)
      }
      hash.byte(0x5d)
    } else {
      const order = keyOrderOf(value)
      const keys = order.sorted
      if (keys.length === 0) {
        hash.text('{}')
        return
      }
      const heads = order.heads
      for (let i = 0; i < keys.length; i++) {
        hash.text(heads[i] as string)
        hashValue(hash, (value as Record<string, JsonValue>)[keys[i] as string] as JsonValue, depth + 1, seen)
      }
      hash.byte(0x7d)
    }
  }
}

/**
 * An object's keys: as `Object.keys` gave them, sorted by UTF-16 code units, and the canonical
 * text before each value (`{"a":`, then `,"b":` …), so each key is hashed in one call.
 */
interface KeyOrder {
  readonly given: readonly string[]
  readonly sorted: readonly string[]
  readonly heads: readonly string[]
}

/**
 * Key orders by first key. Events of one kind come with the same keys in the same order, so
 * their order is looked up (a comparison of each key, mostly by identity) instead of sorted and
 * written again. Bounded: a few orders per first key, and cleared when it holds too many.
 */
const keyOrders = new Map<string, KeyOrder[]>()
const MAX_KEY_ORDERS = 256
const MAX_ORDERS_PER_FIRST_KEY = 4
let keyOrderCount = 0
const EMPTY_ORDER: KeyOrder = { given: [], sorted: [], heads: [] }

function keyOrderOf(o: object): KeyOrder {
  const given = Object.keys(o)
  const n = given.length
  if (n === 0) return EMPTY_ORDER
  const first = given[0] as string
  let orders = keyOrders.get(first)
  if (orders !== undefined) {
    for (const order of orders) if (sameKeys(order.given, given)) return order
  }
  const sorted = [...given].sort()
  const order = {
    given,
    sorted,
    heads: sorted.map((key, i) => `${i === 0 ? '{' : ','}${JSON.stringify(key)}:`),
  }
  if (keyOrderCount >= MAX_KEY_ORDERS) {
    keyOrders.clear()
    keyOrderCount = 0
    orders = undefined
  }
  if (orders === undefined) {
    orders = []
    keyOrders.set(first, orders)
  }
  if (orders.length < MAX_ORDERS_PER_FIRST_KEY) {
    orders.push(order)
    keyOrderCount++
  }
  return order
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
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
