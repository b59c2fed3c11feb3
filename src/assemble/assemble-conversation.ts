import type { Either } from 'fp-ts/lib/Either.js'
import { type DecodeFailure, decodeFailure } from '../decode/decode-failure.js'
import { left, right } from '../decode/either.js'
import { resolveOptions } from '../decode/options.js'
import { reasonOf } from '../decode/reason-of.js'
import { Report } from '../decode/report.js'
import type { AssembledConversation, Rating } from '../model/conversation.js'
import type { WebhookEvent } from '../model/webhook-event.js'
import { assembledFlags } from './assembled-flags.js'
import { assembledMessages } from './assembled-messages.js'
import { assembledVisitor } from './assembled-visitor.js'
import { conversationIdOf } from './conversation-id.js'
import type { EventFact } from './event-fact.js'
import { addEventWarnings } from './event-warnings.js'
import { failWith, readEventFact } from './read-event-fact.js'
import { timeOrderedFacts } from './time-ordered-facts.js'

/** Options of `assembleConversation`. */
export interface AssembleOptions {
  /**
   * The conversation the events belong to. Without it, the first id found is expected; either way
   * an event of another conversation is a failure (group events by conversation before assembling).
   */
  readonly conversationId?: string
  /** How many issues (and warnings) are kept with their details; the rest are only counted. Default 50. */
  readonly maxIssues?: number
  /**
   * Each event's `webhookEventKey`, in the order of the events, when the caller holds them already
   * (an event store returns them as `StoredEvent.key`): assembly then does not compute them again,
   * which is most of its work. The result is the same as without them, provided they are the
   * events' keys. Must be as long as the events.
   */
  readonly keys?: readonly string[]
}

/** The subject of assembly failures: "Not a valid Smartsupp webhook conversation (lenient): …". */
const SUBJECT = 'webhook conversation'

const NO_REPORTED_FIGURES = Object.freeze({
  durationSeconds: null,
  averageResponseSeconds: null,
  firstResponseSeconds: null,
  messageCount: null,
  wordCount: null,
})

/**
 * One conversation from its webhook events (decoded with `decodeWebhookEvent`), in any order and
 * with re-deliveries: the same `Conversation` model the POST hook gives, so every helper works on
 * it. Events are ordered by their times, never by arrival; duplicates (same `webhookEventKey`)
 * count once; what no event told is `null`, never guessed (Smartsupp's reported figures, `paths`,
 * the visitor's user agent). Unknown and `contact.*` events add nothing but are kept in `events`.
 * Warning paths start with the event's index in `events`; failure paths with its index in the
 * array given. Fails when the array is empty or holds something that is not a decoded event, when
 * the events are of more than one conversation, or carry no conversation id or no time at all.
 * Never throws for any events; only invalid `options` throw a `TypeError`.
 */
export function assembleConversation(
  events: readonly WebhookEvent[],
  options?: AssembleOptions,
): Either<DecodeFailure, AssembledConversation> {
  const conversationId = options?.conversationId
  if (conversationId !== undefined && typeof conversationId !== 'string') {
    throw new TypeError(
      `smartsupp-hook: options.conversationId must be a string, got ${typeof conversationId}`,
    )
  }
  const { maxIssues } = resolveOptions(
    options?.maxIssues === undefined ? undefined : { maxIssues: options.maxIssues },
  )
  const keys = checkedKeys(options?.keys, events)
  const r = new Report(false, maxIssues)
  let result: AssembledConversation | undefined
  try {
    result = assemble(events, conversationId, keys, r)
  } catch (e) {
    // Only a hostile array can get here (a throwing `length`, a revoked Proxy).
    failWith(
      r,
      '',
      'unexpected_error',
      'an array of decoded webhook events',
      'a value that threw while read',
      reasonOf(e),
    )
  }
  if (result === undefined) return left(decodeFailure('lenient', r.errors, r.errorCount, SUBJECT))
  return right(result)
}

/** `options.keys` checked: an array of strings as long as the events, or `undefined`. */
function checkedKeys(keys: unknown, events: readonly WebhookEvent[]): readonly string[] | undefined {
  if (keys === undefined) return undefined
  const fix =
    "pass each event's webhookEventKey (StoredEvent.key), in the order of the events, or leave keys out"
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw new TypeError(`smartsupp-hook: options.keys must be an array of strings: ${fix}`)
  }
  let count: unknown
  try {
    count = Array.isArray(events) ? events.length : undefined
  } catch {
    // A hostile array: assembly reports it as for any events.
    return undefined
  }
  if (keys.length !== count) {
    throw new TypeError(
      `smartsupp-hook: options.keys holds ${keys.length} keys for ${typeof count === 'number' ? count : 'no array of'} events: ${fix}`,
    )
  }
  return keys
}

function assemble(
  events: readonly WebhookEvent[],
  conversationId: string | undefined,
  keys: readonly string[] | undefined,
  r: Report,
): AssembledConversation | undefined {
  const facts = readFacts(events, keys, r)
  if (facts === undefined) return undefined
  const id = conversationIdOf(facts, conversationId, r)
  if (id === undefined) return undefined
  const ordered = timeOrderedFacts(facts)

  let accountId: string | null = null
  let createdMs: number | null = null
  let earliestMs = Infinity
  let latestMs = -Infinity
  let isOffline: boolean | null = null
  let toldRating: Rating | null = null
  let ratedRating: Rating | null = null
  let closing: EventFact | null = null
  // Latest told wins: the events are in time order, so each told value replaces the one before.
  for (const f of ordered) {
    if (!f.tells) continue
    accountId = f.accountId ?? accountId
    const timeMs = f.timeMs
    if (timeMs !== null) {
      if (timeMs < earliestMs) earliestMs = timeMs
      if (timeMs > latestMs) latestMs = timeMs
    }
    const messageMs = f.message === null ? null : f.message.createdMs
    if (messageMs !== null) {
      if (messageMs < earliestMs) earliestMs = messageMs
      if (messageMs > latestMs) latestMs = messageMs
    }
    const c = f.conversation
    if (c !== null) {
      createdMs = c.createdMs ?? createdMs
      isOffline = c.isOffline ?? isOffline
      toldRating = c.rating ?? toldRating
    }
    if (f.rating !== null) ratedRating = f.rating
    if (
      (f.name === 'conversation.closed' || f.name === 'conversation.closed_by_contact') &&
      (closing === null || closedAtOf(closing) === null)
    ) {
      closing = f
    }
  }
  const beginMs = createdMs ?? (earliestMs === Infinity ? null : earliestMs)
  if (beginMs === null) {
    // In the caller's order, so the paths read top to bottom.
    for (const f of facts) {
      if (f.tells)
        r.error(
          `[${f.input}].timestamp`,
          'missing',
          'an ISO 8601 time (no event of the conversation has one)',
          undefined,
        )
    }
    return undefined
  }
  const closedMs = closing === null ? null : closedAtOf(closing)
  const endMs =
    closing === null || closedMs === null
      ? Math.max(beginMs, latestMs)
      : (closing.conversation?.finishedMs ?? closing.conversation?.lastClosedMs ?? closedMs)

  const w = new Report(false, r.max)
  addEventWarnings(ordered, w)
  const visitor = assembledVisitor(ordered, w)
  const messages = assembledMessages(ordered, visitor?.name ?? null, w)
  const closedBy = closing === null ? null : closing.name === 'conversation.closed' ? 'agent' : 'contact'
  return {
    source: 'webhooks',
    id,
    accountId,
    beginAt: new Date(beginMs),
    endAt: new Date(endMs),
    flags: assembledFlags(messages, closedBy !== null, isOffline),
    reported: NO_REPORTED_FIGURES,
    rating: ratedRating ?? toldRating,
    visitor,
    paths: null,
    messages,
    warnings: w.warnings,
    warningCount: w.warningCount,
    events: ordered.map((f) => f.event),
    closedAt: closedMs === null ? null : new Date(closedMs),
    closedBy,
  }
}

/** When a closing event closed the conversation: its time, else the conversation's closing times. */
function closedAtOf(f: EventFact): number | null {
  return f.timeMs ?? f.conversation?.finishedMs ?? f.conversation?.lastClosedMs ?? null
}

/** Each element read into an `EventFact`; `undefined` once any element is not a decoded event. */
function readFacts(
  events: readonly WebhookEvent[],
  keys: readonly string[] | undefined,
  r: Report,
): EventFact[] | undefined {
  if (!Array.isArray(events)) {
    r.error('', 'invalid_type', 'an array of decoded webhook events', events)
    return undefined
  }
  const n = events.length
  if (n === 0) {
    r.error('', 'missing', 'the events of one conversation (at least one)', events)
    return undefined
  }
  const facts: EventFact[] = []
  for (let i = 0; i < n; i++) {
    if (r.exhausted) {
      failWith(r, `[${i}]`, 'unexpected_error', 'fewer problems', `${n - i} more events left unread`)
      break
    }
    try {
      const fact = readEventFact(events[i], i, keys?.[i], facts[facts.length - 1], r)
      if (fact !== undefined) facts.push(fact)
    } catch (e) {
      failWith(
        r,
        `[${i}]`,
        'unexpected_error',
        'a readable decoded webhook event',
        'a value that threw while read',
        reasonOf(e),
      )
    }
  }
  return r.errorCount === 0 ? facts : undefined
}
