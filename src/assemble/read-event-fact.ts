import { isObject, type Obj } from '../decode/read-fields.js'
import { issue, type Report } from '../decode/report.js'
import { checkedWebhookEventKey, webhookEventKey } from '../helpers/webhook-event-key.js'
import type { Rating, VisitorVariable } from '../model/conversation.js'
import type { DecodeIssue, IssueCode } from '../model/issue.js'
import type { WebhookEvent } from '../model/webhook-event.js'
import type { CarriedId, ConversationFact, EventFact, MessageFact } from './event-fact.js'
import { jsonTreeProblem } from './json-tree.js'

const A_WEBHOOK_EVENT =
  'a WebhookEvent, as decodeWebhookEvent returns it (decode each event before assembling)'
const getTime = Date.prototype.getTime

/**
 * Reads one element of the caller's array into an `EventFact` (internal), or reports why it is not
 * a decoded event (at `[input]…`) and returns `undefined`. May throw only if the caller's object
 * throws (a getter, a revoked Proxy); the caller turns that into an issue.
 */
export function readEventFact(
  u: unknown,
  input: number,
  key: string | undefined,
  r: Report,
): EventFact | undefined {
  const at = `[${input}]`
  if (!isObject(u)) {
    r.error(at, 'invalid_type', A_WEBHOOK_EVENT, u)
    return undefined
  }
  const name = u.event
  const known = u.known
  const raw = u.raw
  const data = u.data
  const before = r.errorCount
  if (typeof name !== 'string') r.error(`${at}.event`, codeOf(name), 'a string (the event name)', name)
  if (typeof known !== 'boolean')
    r.error(`${at}.known`, codeOf(known), `a boolean (${A_WEBHOOK_EVENT})`, known)
  if (!isObject(data)) r.error(`${at}.data`, codeOf(data), `an object (${A_WEBHOOK_EVENT})`, data)
  let eventKey = key
  if (!isObject(raw)) r.error(`${at}.raw`, codeOf(raw), 'the JSON object the event was decoded from', raw)
  else if (eventKey === undefined) {
    // The key walks `raw`, so it is computed only over a JSON tree (a cycle would never end). The
    // walk that hashes checks it too; where it gives up (or the event is wrong already, and no key
    // is computed) the tree is checked on its own. Keys given by the caller need neither.
    if (r.errorCount === before) eventKey = checkedWebhookEventKey(u as unknown as WebhookEvent) ?? undefined
    if (eventKey === undefined) {
      const problem = jsonTreeProblem(raw)
      if (problem !== null) {
        failWith(r, `${at}.raw`, 'invalid_type', 'the JSON object the event was decoded from', problem)
      } else if (r.errorCount === before) eventKey = webhookEventKey(u as unknown as WebhookEvent)
    }
  }
  if (r.errorCount !== before) return undefined
  const d = data as Obj
  const tells = known === true && (name as string).startsWith('conversation.')
  // Each field is read once: a getter must not answer two questions differently.
  const c = tells ? d.conversation : undefined
  const m = tells ? d.message : undefined
  const conversation = isObject(c) ? readConversation(c) : null
  const message = isObject(m) ? readMessage(m) : null
  const ids: CarriedId[] = []
  if (tells) {
    if (conversation !== null) carry(ids, 'data.conversation.id', conversation.id)
    carry(ids, 'data.conversation_id', d.conversationId)
    if (message !== null) carry(ids, 'data.message.conversation_id', message.conversationId)
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

function carry(ids: CarriedId[], path: string, id: unknown): void {
  if (typeof id === 'string') ids.push({ path, id })
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

function readConversation(c: Obj): ConversationFact {
  let variables: Record<string, VisitorVariable> | null = null
  const skippedVariables: { key: string; value: unknown }[] = []
  if (isObject(c.variables)) {
    const told = c.variables
    variables = Object.create(null) as Record<string, VisitorVariable>
    for (const key of Object.keys(told)) {
      const value = told[key]
      if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
        variables[key] = { label: null, value }
      } else skippedVariables.push({ key, value })
    }
  }
  return {
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
    skippedVariables,
    rating: ratingOf(c.rating),
    closedByAgentId: text(c.closedByAgentId),
  }
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
function readWarnings(u: unknown, max: number): DecodeIssue[] {
  const out: DecodeIssue[] = []
  if (!Array.isArray(u)) return out
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
