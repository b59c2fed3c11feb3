import { WebhookEnvelopePayload } from '../../codecs/webhook/webhook-event.js'
import type { JsonObject } from '../../model/json.js'
import type { WebhookEvent, WebhookRating } from '../../model/webhook-event.js'
import { isObject, type Obj } from '../read-fields.js'
import { DATA_PLANS } from './data-plans.js'
import { type Field, type Plan, planOf } from './read-plan.js'

const hasOwn = Object.prototype.hasOwnProperty
const ENVELOPE = planOf(WebhookEnvelopePayload)

/** Defines a key as an own data property, so `__proto__` and friends stay plain keys. */
function setOwn(target: Obj, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/**
 * Writes a `WebhookEvent` back as wire JSON, unknown fields included: for every event a decoder
 * accepted, `encodeWebhookEvent(decode(p))` deep-equals `p`. Where the model holds `null` because
 * lenient decoding could not read a value, the value goes back as received (from `raw`); a field
 * the event did not carry stays absent; times go back in their received spelling when the
 * instant is unchanged, else as `toISOString()`.
 */
export function encodeWebhookEvent(event: WebhookEvent): JsonObject {
  const raw = event.raw as Obj
  const envelope = {
    type: event.type,
    timestamp: event.timestamp,
    accountId: event.accountId,
    appId: event.appId,
  }
  const out = encodeObject(envelope, raw, ENVELOPE, ['event', 'data'])
  setOwn(out, 'event', event.event)
  const plan = event.known ? DATA_PLANS[event.event] : undefined
  const rawData = isObject(raw.data) ? raw.data : undefined
  setOwn(
    out,
    'data',
    plan === undefined ? event.data : encodeObject(event.data as unknown as Obj, rawData, plan, []),
  )
  copyUnknown(raw, out, ENVELOPE.known)
  return out as JsonObject
}

function encodeObject(model: Obj, raw: Obj | undefined, plan: Plan, except: readonly string[]): Obj {
  const out: Obj = {}
  for (const f of plan.fields) {
    if (except.includes(f.wire)) continue
    const received = raw !== undefined && hasOwn.call(raw, f.wire) ? raw[f.wire] : undefined
    if (plan.skip.has(f.wire)) {
      const value = combined(model, f, received)
      if (value !== undefined) setOwn(out, f.wire, value)
      continue
    }
    const value = model[f.name]
    if (value === null || value === undefined) {
      // Absent stays absent; an unreadable value goes back as received; a `null` put over a
      // readable value (say, to scrub an e-mail) stays `null`.
      if (received !== undefined) setOwn(out, f.wire, f.codec.is(received) ? null : received)
      continue
    }
    setOwn(out, f.wire, encodeValue(value, f, received))
  }
  if (raw !== undefined) copyUnknown(raw, out, plan.known)
  return out
}

function encodeValue(value: unknown, f: Field, received: unknown): unknown {
  if (value instanceof Date) {
    // The received spelling (an offset, fewer digits) when it names the same instant.
    return typeof received === 'string' && Date.parse(received) === value.getTime()
      ? received
      : value.toISOString()
  }
  // Lenient reading turned a numeric id into text and skipped non-string ids: give back the received form.
  if (f.kind === 'id' && typeof received === 'number' && String(received) === value) return received
  if (f.kind === 'idArray' && Array.isArray(received) && sameIds(value as readonly string[], received))
    return received
  if (f.kind === 'object' && isObject(value))
    return encodeObject(value, isObject(received) ? received : undefined, f.plan as Plan, [])
  return value
}

/** The wire value of a field the model combines (`rating`/`rating_text`, `content`), or `undefined` to leave it out. */
function combined(model: Obj, f: Field, received: unknown): unknown {
  if (f.wire === 'content') return model.content ?? received
  const rating = model.rating as WebhookRating | null
  const isValue = f.wire === 'rating' || f.wire === 'rating_value'
  if (rating === null) return received
  if (isValue) return rating.value
  if (rating.comment !== null) return rating.comment
  // No comment in the model: absent stays absent, an unreadable value goes back as received, a
  // readable one the caller replaced by `null` stays `null`.
  return received === undefined ? undefined : f.codec.is(received) ? null : received
}

function sameIds(ids: readonly string[], received: readonly unknown[]): boolean {
  const strings = received.filter((id) => typeof id === 'string')
  return strings.length === ids.length && strings.every((id, i) => id === ids[i])
}

function copyUnknown(raw: Obj, target: Obj, known: ReadonlySet<string>): void {
  for (const key in raw) if (hasOwn.call(raw, key) && !known.has(key)) setOwn(target, key, raw[key])
}
