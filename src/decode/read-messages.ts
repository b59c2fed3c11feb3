import { DOCUMENTED_KEYS } from '../codecs/documented-keys.js'
import { isEpochMillis } from '../codecs/primitives.js'
import { agentRefId } from '../codecs/sender-ref.js'
import type { Message } from '../model/message.js'
import { type AgentSender, type Sender, SYSTEM_SENDER, type VisitorSender } from '../model/sender.js'
import { appendIndex, appendKey } from './format-path.js'
import { countKeys, EXPECTED, isObject, type Obj, ownFields, reportUnknownKeys } from './read-fields.js'
import type { PathSource, Report } from './report.js'

const BASE = 'messages'
const VISITOR_PREFIX = 'visitor:'
/** `email` is a pre-2018 field: known, so never "unknown", but reported as legacy. */
const KNOWN_WITH_LEGACY = DOCUMENTED_KEYS.message

/** The path of a message field, built only when an issue is kept. */
function at(i: number, key: string): PathSource {
  return () => appendKey(appendIndex(BASE, i), key)
}

/**
 * Reads `messages` in one pass. A message that is not an object, or whose `type`, `content` or
 * `sentAt` is unusable, is an error: the conversation cannot be read without it.
 */
export function readMessages(list: readonly unknown[], r: Report): Message[] {
  const out: Message[] = []
  const senders: SenderCache = { visitorFrom: '', visitor: null, agentFrom: '', agent: null }
  const n = list.length
  for (let i = 0; i < n; i++) {
    const m = list[i]
    if (!isObject(m)) {
      r.error(() => appendIndex(BASE, i), m === undefined ? 'missing' : 'invalid_type', EXPECTED.object, m)
      continue
    }
    const message = readMessage(ownFields(m), i, r, senders)
    if (message !== undefined) out.push(message)
  }
  return out
}

function readMessage(m: Obj, i: number, r: Report, senders: SenderCache): Message | undefined {
  const seen = r.seen
  const type = m.type
  const content = m.content
  const sentAtMs = m.sentAt
  let usable = true
  if (typeof type !== 'string') {
    r.error(at(i, 'type'), type === undefined ? 'missing' : 'invalid_type', EXPECTED.messageType, type)
    usable = false
  }
  if (typeof content !== 'string') {
    r.error(at(i, 'content'), content === undefined ? 'missing' : 'invalid_type', EXPECTED.string, content)
    usable = false
  }
  if (!isEpochMillis(sentAtMs)) {
    r.error(
      at(i, 'sentAt'),
      sentAtMs === undefined ? 'missing' : 'invalid_type',
      EXPECTED.epochMillis,
      sentAtMs,
    )
    usable = false
  }

  let keys = 5
  let name: string | null = null
  const rawName = m.name
  if (rawName !== undefined) {
    keys++
    if (typeof rawName === 'string') name = rawName
    else r.deviation(at(i, 'name'), 'invalid_type', 'a string or no field', rawName)
  }

  let triggeredBy: string | null = null
  const rawTriggeredBy = m.triggeredBy
  if (typeof rawTriggeredBy === 'string') triggeredBy = rawTriggeredBy
  else if (rawTriggeredBy !== null) {
    r.deviation(
      at(i, 'triggeredBy'),
      rawTriggeredBy === undefined ? 'missing' : 'invalid_type',
      EXPECTED.nullableString,
      rawTriggeredBy,
    )
  }

  const from = m.from
  let sender = readSender(from, i, r, senders)

  if (m.email !== undefined) {
    keys++
    r.deviation(at(i, 'email'), 'legacy_form', 'no email field', m.email, 'ignored')
  }
  if (countKeys(m) !== keys || r.seen !== seen)
    reportUnknownKeys(m, KNOWN_WITH_LEGACY, appendIndex(BASE, i), r)
  if (!usable) return undefined

  const text = content as string
  const sentAt = new Date(sentAtMs as number)
  switch (type) {
    case 'visitor':
      if (sender !== null && sender.kind !== 'visitor') {
        r.deviation(at(i, 'from'), 'invalid_type', '"visitor:<key>" in a visitor message', from)
        sender = null
      }
      return { kind: 'visitor', sender, name, content: text, sentAt, triggeredBy }
    case 'agent':
      if (sender !== null && sender.kind === 'visitor') {
        r.deviation(at(i, 'from'), 'invalid_type', '"agent:<id>" or "system" in an agent message', from)
        sender = null
      }
      if (sender !== null && sender.kind === 'agent' && triggeredBy === null) {
        return { kind: 'agent', sender, name, content: text, sentAt, triggeredBy }
      }
      return { kind: 'trigger', sender, name, content: text, sentAt, triggeredBy }
    case 'system':
      return { kind: 'system', sender, name, content: text, sentAt, triggeredBy, event: text }
    default:
      // An unknown type (a future one?) is read by its sender, so the message is not lost.
      r.deviation(at(i, 'type'), 'invalid_type', EXPECTED.messageType, type, 'read by its sender')
      if (sender !== null && sender.kind === 'visitor') {
        return { kind: 'visitor', sender, name, content: text, sentAt, triggeredBy }
      }
      if (sender !== null && sender.kind === 'agent' && triggeredBy === null) {
        return { kind: 'agent', sender, name, content: text, sentAt, triggeredBy }
      }
      return { kind: 'system', sender, name, content: text, sentAt, triggeredBy, event: text }
  }
}

/**
 * The last visitor and agent sender read in this conversation, by their `from`: a chat has a
 * handful of senders over many messages and the model is read-only, so consecutive messages of
 * one sender share one object. Comparing with the last `from` costs less than hashing it.
 */
interface SenderCache {
  visitorFrom: string
  visitor: VisitorSender | null
  agentFrom: string
  agent: AgentSender | null
}

/**
 * Parses `messages[].from`: the current `"visitor:<key>"`, `"agent:<id>"`, `"system"`, or the
 * pre-2018 bare visitor key, numeric agent id and `null` (shared spec: older variants).
 */
function readSender(from: unknown, i: number, r: Report, senders: SenderCache): Sender | null {
  if (typeof from === 'string') {
    if (from === senders.visitorFrom && senders.visitor !== null) return senders.visitor
    if (from === senders.agentFrom && senders.agent !== null) return senders.agent
    if (from.length > VISITOR_PREFIX.length && from.startsWith(VISITOR_PREFIX)) {
      const visitor: VisitorSender = { kind: 'visitor', key: from.slice(VISITOR_PREFIX.length) }
      senders.visitorFrom = from
      senders.visitor = visitor
      return visitor
    }
    if (from === 'system') return SYSTEM_SENDER
    const id = agentRefId(from)
    if (id >= 0) {
      const agent: AgentSender = { kind: 'agent', id }
      senders.agentFrom = from
      senders.agent = agent
      return agent
    }
    if (from.length > 0 && !from.includes(':')) {
      r.deviation(at(i, 'from'), 'legacy_form', '"visitor:<key>"', from)
      return { kind: 'visitor', key: from }
    }
  } else if (typeof from === 'number' && Number.isSafeInteger(from) && from >= 0) {
    r.deviation(at(i, 'from'), 'legacy_form', '"agent:<id>"', from)
    return { kind: 'agent', id: from }
  } else if (from === null) {
    r.deviation(at(i, 'from'), 'legacy_form', '"system"', from)
    return SYSTEM_SENDER
  }
  r.deviation(at(i, 'from'), from === undefined ? 'missing' : 'invalid_type', EXPECTED.sender, from)
  return null
}
