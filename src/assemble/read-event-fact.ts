import { isObject, type Obj } from '../decode/read-fields.js'
import { issue, type Report } from '../decode/report.js'
import { checkedWebhookEventKey, webhookEventKey } from '../helpers/webhook-event-key.js'
import type { Rating, VisitorVariable } from '../model/conversation.js'
import type { DecodeIssue, IssueCode } from '../model/issue.js'
import type { WebhookEvent } from '../model/webhook-event.js'
import type { CarriedId, ConversationFact, EventFact, MessageFact } from './event-fact.js'
import { jsonTreeProblem } from './json-tree.js'
import { NO_VARIABLES } from './no-variables.js'

const A_WEBHOOK_EVENT =
  'a WebhookEvent, as decodeWebhookEvent returns it (decode each event before assembling)'
const getTime = Date.prototype.getTime

/**
 * Reads one element of the caller's array into an `EventFact` (internal), or reports why it is not
 * a decoded event (at `[input]…`) and returns `undefined`. Parts equal to the `previous` fact's
 * (its conversation, its ids) are shared with it. May throw only if the caller's object
 * throws (a getter, a revoked Proxy); the caller turns that into an issue.
 */
export function readEventFact(
  u: unknown,
  input: number,
  key: string | undefined,
  previous: EventFact | undefined,
  r: Report,
): EventFact | undefined {
  if (!isObject(u)) {
    r.error(pathAt(input, ''), 'invalid_type', A_WEBHOOK_EVENT, u)
    return undefined
  }
  const name = u.event
  const known = u.known
  const raw = u.raw
  const data = u.data
  const before = r.errorCount
  if (typeof name !== 'string')
    r.error(pathAt(input, '.event'), codeOf(name), 'a string (the event name)', name)
  if (typeof known !== 'boolean')
    r.error(pathAt(input, '.known'), codeOf(known), `a boolean (${A_WEBHOOK_EVENT})`, known)
  if (!isObject(data)) r.error(pathAt(input, '.data'), codeOf(data), `an object (${A_WEBHOOK_EVENT})`, data)
  let eventKey = key
  if (!isObject(raw))
    r.error(pathAt(input, '.raw'), codeOf(raw), 'the JSON object the event was decoded from', raw)
  else if (eventKey === undefined) {
    // The key walks `raw`, so it is computed only over a JSON tree (a cycle would never end). The
    // walk that hashes checks it too; where it gives up (or the event is wrong already, and no key
    // is computed) the tree is checked on its own. Keys given by the caller need neither.
    if (r.errorCount === before) eventKey = checkedWebhookEventKey(u as unknown as WebhookEvent) ?? undefined
    if (eventKey === undefined) {
      const problem = jsonTreeProblem(raw)
      if (problem !== null) {
        failWith(
          r,
          pathAt(input, '.raw'),
          'invalid_type',
          'the JSON object the event was decoded from',
          problem,
        )
      } else if (r.errorCount === before) eventKey = webhookEventKey(u as unknown as WebhookEvent)
    }
  }
  if (r.errorCount !== before) return undefined
  const d = data as Obj
  const tells = known === true && (name as string).startsWith('conversation.')
  // Each field is read once: a getter must not answer two questions differently.
  const c = tells ? d.conversation : undefined
  const m = tells ? d.message : undefined
  const conversation = isObject(c) ? readConversation(c, previous?.conversation ?? null) : null
  const message = isObject(m) ? readMessage(m) : null
  let ids: readonly CarriedId[] = NO_IDS
  if (tells) {
    if (conversation !== null) ids = carry(ids, 'data.conversation.id', conversation.id)
    ids = carry(ids, 'data.conversation_id', d.conversationId)
    if (message !== null) ids = carry(ids, 'data.message.conversation_id', message.conversationId)
    // Most events carry the id the previous one did: its list is kept once.
    if (previous !== undefined && sameIds(ids, previous.ids)) ids = previous.ids
  }
  const warnings = readWarnings(u.warnings, r.max)
  const count = u.warningCount
  return {
    input,
    event: u as unknown as WebhookEvent,
    key: eventKey as string,
    name: name as string,
    tells,
    timeMs: timeOf(u.timestamp),
    accountId: text(u.accountId),
    ids,
    conversation,
    message,
    agentId: tells ? text(name === 'conversation.agent_assigned' ? d.assignedAgentId : d.agentId) : null,
    rating: tells && name === 'conversation.rated' ? ratingOf(d.rating) : null,
    warnings,
    warningCount:
      typeof count === 'number' && Number.isSafeInteger(count) && count > warnings.length
        ? count
        : warnings.length,
  }
}

/** `[input]` and the rest of a path: written only for an issue, which most events have none of. */
function pathAt(input: number, rest: string): string {
  return `[${input}]${rest}`
}

function sameIds(a: readonly CarriedId[], b: readonly CarriedId[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as CarriedId
    const y = b[i] as CarriedId
    if (x.path !== y.path || x.id !== y.id) return false
  }
  return true
}

function codeOf(u: unknown): IssueCode {
  return u === undefined ? 'missing' : 'invalid_type'
}

/** `Report.error` with a `found` of our own words rather than a description of the value. */
export function failWith(
  r: Report,
  path: string,
  code: IssueCode,
  expected: string,
  found: string,
  detail?: string,
): void {
  if (r.errorCount++ < r.max) r.errors.push(issue(path, code, expected, found, detail))
}

const NO_IDS: readonly CarriedId[] = Object.freeze([])
const NO_WARNINGS: readonly DecodeIssue[] = Object.freeze([])
const NO_SKIPPED: ConversationFact['skippedVariables'] = Object.freeze([])

/** `ids` with `id` added when it is a string (a new array only then: most events carry one id). */
function carry(ids: readonly CarriedId[], path: string, id: unknown): readonly CarriedId[] {
  return typeof id === 'string' ? [...ids, { path, id }] : ids
}

function text(u: unknown): string | null {
  return typeof u === 'string' ? u : null
}

function flag(u: unknown): boolean | null {
  return typeof u === 'boolean' ? u : null
}

/** A valid `Date` as epoch milliseconds; anything else (an invalid date, not a date) was not told. */
function timeOf(u: unknown): number | null {
  if (!(u instanceof Date)) return null
  const ms = getTime.call(u)
  return Number.isFinite(ms) ? ms : null
}

function ratingOf(u: unknown): Rating | null {
  if (!isObject(u) || typeof u.value !== 'number' || !Number.isFinite(u.value)) return null
  return { value: u.value, comment: text(u.comment) }
}

/**
 * What `data.conversation` tells. Most of it stays the same from one event of a conversation to the
 * next, so when everything equals what the previous event told, its fact is returned again: a
 * conversation of thousands of events then keeps a few of these, not one per event.
 */
function readConversation(c: Obj, previous: ConversationFact | null): ConversationFact {
  let variables: Record<string, VisitorVariable> | null = null
  let skippedVariables: { key: string; value: unknown }[] | null = null
  const told = c.variables
  if (isObject(told)) {
    const keys = Object.keys(told)
    // Each value is read once, then compared or copied.
    const values = keys.map((key) => told[key])
    const before = previous?.variables ?? null
    if (before !== null && previous?.skippedVariables.length === 0 && sameScalars(keys, values, before)) {
      variables = before
    } else {
      variables = NO_VARIABLES
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string
        const value = values[i]
        if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
          if (variables === NO_VARIABLES) variables = Object.create(null) as Record<string, VisitorVariable>
          variables[key] = { label: null, value }
        } else {
          skippedVariables ??= []
          skippedVariables.push({ key, value })
        }
      }
    }
  }
  const fact: ConversationFact = {
    id: c.id,
    createdMs: timeOf(c.createdAt),
    finishedMs: timeOf(c.finishedAt),
    lastClosedMs: timeOf(c.lastClosedAt),
    isOffline: flag(c.isOffline),
    visitorId: text(c.visitorId),
    contactName: text(c.contactName),
    contactEmail: text(c.contactEmail),
    locationIp: text(c.locationIp),
    locationCity: text(c.locationCity),
    locationCode: text(c.locationCode),
    locationCountry: text(c.locationCountry),
    referer: text(c.referer),
    variables,
    skippedVariables: skippedVariables ?? NO_SKIPPED,
    rating: ratingOf(c.rating),
    closedByAgentId: text(c.closedByAgentId),
  }
  return previous !== null && sameConversation(fact, previous) ? previous : fact
}

/** Whether these variables (all scalars) are exactly those already read into `before`. */
function sameScalars(
  keys: readonly string[],
  values: readonly unknown[],
  before: Readonly<Record<string, VisitorVariable>>,
): boolean {
  let count = 0
  for (const _ in before) count++
  if (count !== keys.length) return false
  for (let i = 0; i < keys.length; i++) {
    const value = values[i]
    if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') return false
    const had = before[keys[i] as string]
    if (had === undefined || !Object.is(had.value, value)) return false
  }
  return true
}

function sameConversation(a: ConversationFact, b: ConversationFact): boolean {
  return (
    a.id === b.id &&
    Object.is(a.createdMs, b.createdMs) &&
    Object.is(a.finishedMs, b.finishedMs) &&
    Object.is(a.lastClosedMs, b.lastClosedMs) &&
    a.isOffline === b.isOffline &&
    a.visitorId === b.visitorId &&
    a.contactName === b.contactName &&
    a.contactEmail === b.contactEmail &&
    a.locationIp === b.locationIp &&
    a.locationCity === b.locationCity &&
    a.locationCode === b.locationCode &&
    a.locationCountry === b.locationCountry &&
    a.referer === b.referer &&
    a.variables === b.variables &&
    a.skippedVariables.length === 0 &&
    b.skippedVariables.length === 0 &&
    (a.rating === b.rating ||
      (a.rating !== null &&
        b.rating !== null &&
        Object.is(a.rating.value, b.rating.value) &&
        a.rating.comment === b.rating.comment)) &&
    a.closedByAgentId === b.closedByAgentId
  )
}

function readMessage(m: Obj): MessageFact {
  return {
    id: text(m.id),
    conversationId: m.conversationId,
    createdMs: timeOf(m.createdAt),
    updatedMs: timeOf(m.updatedAt),
    subType: text(m.subType),
    type: text(m.type),
    authorName: text(m.authorName),
    triggerName: text(m.triggerName),
    agentId: text(m.agentId),
    visitorId: text(m.visitorId),
    text: text(m.text),
  }
}

/** The event's warnings that look like issues, at most `max` of them (the rest are only counted). */
function readWarnings(u: unknown, max: number): readonly DecodeIssue[] {
  if (!Array.isArray(u) || u.length === 0) return NO_WARNINGS
  const out: DecodeIssue[] = []
  const n = Math.min(u.length, max)
  for (let i = 0; i < n; i++) {
    const w: unknown = u[i]
    if (
      isObject(w) &&
      typeof w.path === 'string' &&
      typeof w.code === 'string' &&
      typeof w.expected === 'string' &&
      typeof w.found === 'string' &&
      typeof w.message === 'string'
    ) {
      out.push({
        path: w.path,
        code: w.code as IssueCode,
        expected: w.expected,
        found: w.found,
        message: w.message,
      })
    }
  }
  return out
}
