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
const PRESIZE_LIMIT = 65_536
/** A chat has a handful of agents; past this many the fast path reads the id each time. */
const MAX_KNOWN_AGENTS = 8
/** `email` is a pre-2018 field: known, so never "unknown", but reported as legacy. */
const KNOWN_WITH_LEGACY = DOCUMENTED_KEYS.message

/** The path of a message field, built only when an issue is kept. */
function at(i: number, key: string): PathSource {
  return () => appendKey(appendIndex(BASE, i), key)
}

/**
 * Reads `messages` in one pass. A message that is not an object, or whose `type`, `content` or
 * `sentAt` is unusable, is an error: the conversation cannot be read without it. Each message
 * takes the fast path (`fastMessage`) when it is in the current documented form, and the
 * reporting path (`readMessage`) otherwise.
 */
export function readMessages(list: readonly unknown[], r: Report): Message[] {
  const n = list.length
  // Presized: no growth and copying for long chats; trimmed when a message was unusable. V8 gives
  // `new Array(n)` slow (dictionary) elements from 100 000 on, so beyond that it grows as usual.
  const out: Message[] = n < PRESIZE_LIMIT ? new Array(n) : []
  let count = 0
  const senders: SenderCache = {
    visitorFrom: '',
    visitor: null,
    agentFrom: '',
    agent: null,
    agentFroms: [],
    agents: [],
  }
  // Objects from our own JSON.parse need no own-properties check (one prototype load each).
  const plain = r.plainJson
  for (let i = 0; i < n; i++) {
    const m = list[i]
    if (!isObject(m)) {
      if (r.exhausted) {
        r.error(BASE, 'unexpected_error', EXPECTED.object, list, `${n - i} entries not read: too many issues`)
        break
      }
      r.error(() => appendIndex(BASE, i), m === undefined ? 'missing' : 'invalid_type', EXPECTED.object, m)
      continue
    }
    const own = plain ? m : ownFields(m)
    const message = fastMessage(own, senders) ?? readMessage(own, i, r, senders)
    if (message !== undefined) out[count++] = message
  }
  if (count !== n) out.length = count
  return out
}

/**
 * A message in the current documented form, read with no report and no path: only typeof
 * checks, one key count, the sender and the two allocations the model needs (the message and
 * its `Date`). `null` for anything else (a missing or mistyped field, an unknown or pre-2018
 * field, a sender that does not fit the type), which `readMessage` then reads and reports.
 */
function fastMessage(m: Obj, senders: SenderCache): Message | null {
  const type = m.type
  const content = m.content
  const sentAtMs = m.sentAt
  const from = m.from
  const triggeredBy = m.triggeredBy
  const name = m.name
  if (typeof content !== 'string' || !isEpochMillis(sentAtMs) || typeof from !== 'string') return null
  if (triggeredBy !== null && typeof triggeredBy !== 'string') return null
  let keys = 5
  if (name !== undefined) {
    if (typeof name !== 'string') return null
    keys = 6
  }
  // Five or six documented keys, all present, means no unknown and no pre-2018 `email` field.
  if (countKeys(m) !== keys) return null
  const sender = currentSender(from, senders)
  if (sender === null) return null
  const nameOrNull = name === undefined ? null : (name as string)
  switch (type) {
    case 'visitor':
      if (sender.kind !== 'visitor') return null
      return { kind: 'visitor', sender, name: nameOrNull, content, sentAt: new Date(sentAtMs), triggeredBy }
    case 'agent':
      if (sender.kind === 'visitor') return null
      if (sender.kind === 'agent' && triggeredBy === null) {
        return { kind: 'agent', sender, name: nameOrNull, content, sentAt: new Date(sentAtMs), triggeredBy }
      }
      return { kind: 'trigger', sender, name: nameOrNull, content, sentAt: new Date(sentAtMs), triggeredBy }
    case 'system':
      return {
        kind: 'system',
        sender,
        name: nameOrNull,
        content,
        sentAt: new Date(sentAtMs),
        triggeredBy,
        event: content,
      }
    default:
      return null
  }
}

/**
 * A current-form `from` (`"visitor:<key>"`, `"agent:<id>"`, `"system"`) as a sender, by its first
 * character code, sharing the object of the previous message of the same sender; `null` for
 * anything else (pre-2018 forms and errors are `readSender`'s).
 */
function currentSender(from: string, senders: SenderCache): Sender | null {
  if (from === senders.agentFrom) return senders.agent
  if (from === senders.visitorFrom) return senders.visitor
  const first = from.charCodeAt(0)
  if (first === 118 /* v */) {
    if (from.length <= VISITOR_PREFIX.length || !from.startsWith(VISITOR_PREFIX)) return null
    const visitor: VisitorSender = { kind: 'visitor', key: from.slice(VISITOR_PREFIX.length) }
    senders.visitorFrom = from
    senders.visitor = visitor
    return visitor
  }
  if (first === 97 /* a */) {
    // Agents take turns in a chat: the few seen so far are looked up before reading the id.
    const froms = senders.agentFroms
    for (let k = 0; k < froms.length; k++) {
      if (froms[k] === from) {
        const known = senders.agents[k] as AgentSender
        senders.agentFrom = from
        senders.agent = known
        return known
      }
    }
    const id = agentRefId(from)
    if (id === undefined) return null
    const agent: AgentSender = { kind: 'agent', id }
    if (froms.length < MAX_KNOWN_AGENTS) {
      froms.push(from)
      senders.agents.push(agent)
    }
    senders.agentFrom = from
    senders.agent = agent
    return agent
  }
  return from === 'system' ? SYSTEM_SENDER : null
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
  /** The first few agents seen (by `from`), for the fast path; parallel arrays. */
  readonly agentFroms: string[]
  readonly agents: AgentSender[]
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
    if (id !== undefined) {
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
    return { kind: 'agent', id: String(from) }
  } else if (from === null) {
    r.deviation(at(i, 'from'), 'legacy_form', '"system"', from)
    return SYSTEM_SENDER
  }
  r.deviation(at(i, 'from'), from === undefined ? 'missing' : 'invalid_type', EXPECTED.sender, from)
  return null
}
