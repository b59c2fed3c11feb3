import type { ConversationBase } from '../model/conversation.js'
import { type ConversationCategory, category } from './category.js'
import { conversationFacts } from './conversation-facts.js'
import { durationsFromFacts } from './durations.js'

/**
 * A small plain object for logs and CRM fields: strings, numbers, booleans, `null` and arrays
 * only, so `JSON.stringify` keeps all of it. Times are ISO 8601 strings in UTC; durations are
 * milliseconds as in `durations`.
 */
export interface ConversationSummary {
  /** The conversation id (`Conversation.id`, a string). */
  readonly id: string
  /** `null` only for an assembled conversation whose events told no account. */
  readonly accountId: string | null
  readonly category: ConversationCategory
  /** `beginAt` and `endAt` as ISO 8601 strings (`2015-03-27T15:33:59.703Z`). */
  readonly beginAt: string
  readonly endAt: string
  /** The visitor's name and e-mail; `null` when unknown. */
  readonly visitorName: string | null
  readonly visitorEmail: string | null
  /** Every agent who took part (see `agents`), in order; names fall back to `Agent <id>`. */
  readonly agentIds: readonly string[]
  readonly agentNames: readonly string[]
  /** Messages in the payload, and by kind: the visitor's, human agents', automatic ones. */
  readonly messageCount: number
  readonly visitorMessageCount: number
  readonly agentMessageCount: number
  readonly triggeredMessageCount: number
  /** As in `durations`: computed from the timestamps, in milliseconds; `null` when no agent answered. */
  readonly totalMs: number
  readonly firstResponseMs: number | null
  readonly averageResponseMs: number | null
  /** The visitor's rating, 1 (worst) to 5 (best), and comment; `null` when the visitor did not rate. */
  readonly rating: number | null
  readonly ratingComment: string | null
  /** How many decoding warnings the conversation has (lenient mode). */
  readonly warningCount: number
}

/** The conversation in a few plain, JSON-serialisable fields for a log line or a CRM record. */
export function summary(c: ConversationBase): ConversationSummary {
  // One pass over the messages gives the agents, the durations and the counts.
  const facts = conversationFacts(c)
  const people = facts.agents
  const times = durationsFromFacts(c, facts)
  return {
    id: c.id,
    accountId: c.accountId,
    category: category(c),
    beginAt: c.beginAt.toISOString(),
    endAt: c.endAt.toISOString(),
    visitorName: c.visitor?.name ?? null,
    visitorEmail: c.visitor?.email ?? null,
    agentIds: people.map((a) => a.id),
    agentNames: people.map((a) => a.name ?? `Agent ${a.id}`),
    messageCount: c.messages.length,
    visitorMessageCount: facts.visitorMessageCount,
    agentMessageCount: facts.agentMessageCount,
    triggeredMessageCount: facts.triggeredMessageCount,
    totalMs: times.totalMs,
    firstResponseMs: times.firstResponseMs,
    averageResponseMs: times.averageResponseMs,
    rating: c.rating?.value ?? null,
    ratingComment: c.rating?.comment ?? null,
    warningCount: c.warningCount,
  }
}
