import type { ConversationPayload } from '../codecs/conversation.js'
import { DOCUMENTED_KEYS } from '../codecs/documented-keys.js'
import type { MessagePayload } from '../codecs/message.js'
import type { Conversation, ConversationBase, VisitedPage, Visitor, VisitorVariable } from './conversation.js'
import type { Message } from './message.js'
import { formatSender } from './sender.js'

type Obj = Record<string, unknown>
type Valid = (u: unknown) => boolean

const hasOwn = Object.prototype.hasOwnProperty
const isObject = (u: unknown): u is Obj => u !== null && typeof u === 'object' && !Array.isArray(u)
const isBoolean: Valid = (u) => typeof u === 'boolean'
const isInteger: Valid = (u) => typeof u === 'number' && Number.isSafeInteger(u)
const isNullableInteger: Valid = (u) => u === null || isInteger(u)
const isString: Valid = (u) => typeof u === 'string'
const isNullableString: Valid = (u) => u === null || typeof u === 'string'
const isVariableValue: Valid = (u) => typeof u === 'string' || typeof u === 'number' || typeof u === 'boolean'

const ROOT_KEYS = DOCUMENTED_KEYS.conversation
const CHANNEL_KEYS = DOCUMENTED_KEYS.channel
const VISITOR_KEYS = DOCUMENTED_KEYS.visitor
const VARIABLE_KEYS = DOCUMENTED_KEYS.variable
const PATH_KEYS = DOCUMENTED_KEYS.path
const MESSAGE_KEYS = DOCUMENTED_KEYS.message
const MESSAGE_TYPES = new Set(['visitor', 'agent', 'system'])

/**
 * A model value, or, where the model holds `null` because lenient decoding could not read the
 * received value, that value as it was received: encoding loses nothing decoding kept in `raw`.
 * A `null` the caller put over a readable value (say, to scrub an e-mail) stays `null`.
 */
function pick(value: unknown, raw: Obj | undefined, key: string, valid: Valid): unknown {
  if (value !== null) return value
  if (raw !== undefined && hasOwn.call(raw, key) && !valid(raw[key])) return raw[key]
  return null
}

/** Defines a key as an own data property, so `__proto__` and friends stay plain keys. */
function setOwn(target: Obj, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Copies the keys of `raw` that the spec does not document (nothing is lost). */
function copyUnknown(raw: Obj | undefined, target: Obj, known: ReadonlySet<string>): void {
  if (raw === undefined) return
  for (const key in raw) if (hasOwn.call(raw, key) && !known.has(key)) setOwn(target, key, raw[key])
}

function objectOrUndefined(u: unknown): Obj | undefined {
  return isObject(u) ? u : undefined
}

const CANONICAL_INTEGER = /^(0|-?[1-9][0-9]*)$/

/**
 * An id of the model as the POST hook sends it: a canonical decimal integer string (no sign but
 * `-`, no leading zero) that is a safe integer goes back as that number (`'3'` → `3`); any other
 * string (a webhook id such as `"conv-001"`) stays a string, and `null` stays `null`.
 */
function wireId(id: string | null): string | number | null {
  if (id === null || !CANONICAL_INTEGER.test(id)) return id
  const n = Number(id)
  return Number.isSafeInteger(n) ? n : id
}

/**
 * Writes a `Conversation` back as the POST hook's documented wire JSON (current form). A
 * `PostHookConversation`'s `raw` supplies its unknown fields and what lenient decoding could not
 * read, so for any valid current-form payload `p`, `encodeConversation(decode(p))` deep-equals
 * `p`; a pre-2018 payload comes back in the current form. An `AssembledConversation` has no
 * `raw`: only its model fields are written. Ids that are canonical decimal integers within the
 * safe range (`'3'`, `'-7'`) are written as JSON numbers, as the POST hook sends them; any other
 * id (`'conv-001'`, `'007'`, a 20-digit one) is written as the string it is, which the POST
 * hook's schema and codecs then reject (they expect integers), as they reject a `null` `accountId`.
 */
export function encodeConversation(c: Conversation): ConversationPayload {
  return encodeModel(c, c.source === 'post-hook' ? objectOrUndefined(c.raw) : undefined)
}

/**
 * The encoder over the fields every conversation has, with the received JSON to fill in from, if
 * any (internal; `conversationFingerprint` passes none, to write the model alone).
 */
export function encodeModel(c: ConversationBase, raw: Obj | undefined): ConversationPayload {
  const rawChannel = objectOrUndefined(raw?.channel)
  const out: Obj = {
    accountId: wireId(c.accountId),
    beginAt: c.beginAt.getTime(),
    endAt: c.endAt.getTime(),
    channel: encodeChannel(c, rawChannel),
    visitor:
      c.visitor === null
        ? pick(null, raw, 'visitor', isObject)
        : encodeVisitor(c.visitor, objectOrUndefined(raw?.visitor)),
    paths: c.paths === null ? pick(null, raw, 'paths', Array.isArray) : encodePaths(c.paths, raw?.paths),
    messages: encodeMessages(c.messages, raw?.messages),
  }
  copyUnknown(raw, out, ROOT_KEYS)
  return out as unknown as ConversationPayload
}

function encodeChannel(c: ConversationBase, raw: Obj | undefined): Obj {
  const { flags, reported } = c
  const out: Obj = {
    id: wireId(c.id),
    isChat: pick(flags.isChat, raw, 'isChat', isBoolean),
    isMissed: pick(flags.isMissed, raw, 'isMissed', isBoolean),
    isTriggered: pick(flags.isTriggered, raw, 'isTriggered', isBoolean),
    isOffline: pick(flags.isOffline, raw, 'isOffline', isBoolean),
    isCompleted: pick(flags.isCompleted, raw, 'isCompleted', isBoolean),
    isDropped: pick(flags.isDropped, raw, 'isDropped', isBoolean),
    duration: pick(reported.durationSeconds, raw, 'duration', isInteger),
    avgResponse: pick(reported.averageResponseSeconds, raw, 'avgResponse', isInteger),
    firstResponse: pick(reported.firstResponseSeconds, raw, 'firstResponse', isInteger),
    messagesCount: pick(reported.messageCount, raw, 'messagesCount', isInteger),
    wordsCount: pick(reported.wordCount, raw, 'wordsCount', isInteger),
    rating: pick(c.rating?.value ?? null, raw, 'rating', isNullableInteger),
    // The model drops a comment sent without a rating; `raw` still has it, so it is written back.
    ratingDesc:
      c.rating === null && raw !== undefined && typeof raw.ratingDesc === 'string'
        ? raw.ratingDesc
        : pick(c.rating?.comment ?? null, raw, 'ratingDesc', isNullableString),
  }
  copyUnknown(raw, out, CHANNEL_KEYS)
  return out
}

function encodeVisitor(v: Visitor, raw: Obj | undefined): Obj {
  const out: Obj = {
    id: pick(wireId(v.id), raw, 'id', isInteger),
    name: pick(v.name, raw, 'name', isNullableString),
    email: pick(v.email, raw, 'email', isNullableString),
    note: pick(v.note, raw, 'note', isNullableString),
    group: pick(v.group, raw, 'group', isNullableString),
    ipAddress: pick(v.ipAddress, raw, 'ipAddress', isString),
    city: pick(v.city, raw, 'city', isString),
    countryCode: pick(v.countryCode, raw, 'countryCode', isString),
    country: pick(v.country, raw, 'country', isString),
    userAgent: pick(v.userAgent, raw, 'userAgent', isString),
    platform: pick(v.platform, raw, 'platform', isString),
    referer: pick(v.referer, raw, 'referer', isString),
    variables:
      v.variables === null
        ? pick(null, raw, 'variables', isObject)
        : encodeVariables(v.variables, objectOrUndefined(raw?.variables)),
  }
  copyUnknown(raw, out, VISITOR_KEYS)
  return out
}

function encodeVariables(variables: Readonly<Record<string, VisitorVariable>>, raw: Obj | undefined): Obj {
  const out: Obj = {}
  if (raw !== undefined) {
    for (const key in raw) {
      if (!hasOwn.call(raw, key)) continue
      const variable = hasOwn.call(variables, key) ? variables[key] : undefined
      // An entry lenient decoding skipped (not an object) goes back as it came.
      setOwn(out, key, variable === undefined ? raw[key] : encodeVariable(variable, raw[key]))
    }
  }
  for (const key in variables) {
    const variable = variables[key]
    if (variable !== undefined && (raw === undefined || !hasOwn.call(raw, key))) {
      setOwn(out, key, encodeVariable(variable, undefined))
    }
  }
  return out
}

/**
 * A variable without a label that did not come as an object goes back in the flat post-2020 form
 * it came in (`"User_ID": "1234"`); any other in the documented `{ label, value }` form.
 */
function encodeVariable(variable: VisitorVariable, received: unknown): unknown {
  if (variable.label === null && !isObject(received)) return variable.value
  const raw = objectOrUndefined(received)
  const out: Obj = {
    label: pick(variable.label, raw, 'label', isString),
    value: pick(variable.value, raw, 'value', isVariableValue),
  }
  copyUnknown(raw, out, VARIABLE_KEYS)
  return out
}

function encodePage(page: VisitedPage, raw: Obj | undefined): Obj {
  const out: Obj = {
    url: pick(page.url, raw, 'url', isString),
    title: pick(page.title, raw, 'title', isString),
  }
  copyUnknown(raw, out, PATH_KEYS)
  return out
}

function encodePaths(pages: readonly VisitedPage[], raw: unknown): unknown[] {
  // Walk the received array beside the model: entries lenient decoding skipped go back as they came.
  if (Array.isArray(raw) && raw.filter(isObject).length === pages.length) {
    let j = 0
    return raw.map((entry: unknown) =>
      isObject(entry) ? encodePage(pages[j++] as VisitedPage, entry) : entry,
    )
  }
  return pages.map((page) => encodePage(page, undefined))
}

function encodeMessages(messages: readonly Message[], raw: unknown): Obj[] {
  const aligned = Array.isArray(raw) && raw.length === messages.length
  return messages.map((m, i) => encodeMessage(m, aligned ? objectOrUndefined(raw[i]) : undefined))
}

function messageType(m: Message, raw: Obj | undefined): unknown {
  // An unknown `type` that lenient decoding read by its sender goes back as it came.
  const received = raw?.type
  if (typeof received === 'string' && !MESSAGE_TYPES.has(received)) return received
  return m.kind === 'trigger' ? 'agent' : m.kind
}

function encodeMessage(m: Message, raw: Obj | undefined): Obj {
  const out: Obj = { type: messageType(m, raw) }
  const name =
    m.name !== null
      ? m.name
      : raw !== undefined && hasOwn.call(raw, 'name') && !isString(raw.name)
        ? raw.name
        : undefined
  if (name !== undefined) out.name = name
  out.from = m.sender === null ? pick(null, raw, 'from', () => false) : formatSender(m.sender)
  out.content = m.content
  out.sentAt = m.sentAt.getTime()
  out.triggeredBy = pick(m.triggeredBy, raw, 'triggeredBy', isNullableString)
  copyUnknown(raw, out, MESSAGE_KEYS)
  return out as MessagePayload as unknown as Obj
}
