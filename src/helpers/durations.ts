import type { ConversationBase } from '../model/conversation.js'
import { type ConversationFacts, conversationFacts } from './conversation-facts.js'

/**
 * Times computed from the message timestamps, in milliseconds, beside Smartsupp's own figures in
 * whole seconds. A visitor turn runs from a visitor message (with none open) to the next human
 * agent message; `agent.join` events and triggered messages are not responses.
 */
export interface ConversationDurations {
  /** `endAt − beginAt` as sent. Negative only if Smartsupp sent an `endAt` before `beginAt`. */
  readonly totalMs: number
  /** From the first visitor message to the first human agent message after it; `null` when no agent answered. */
  readonly firstResponseMs: number | null
  /** Exact mean (it may have a fraction) of the answered turns' response times; `null` when none was answered. */
  readonly averageResponseMs: number | null
  /** The longest answered turn's response time; `null` when none was answered. */
  readonly longestResponseMs: number | null
  /**
   * From the first visitor message until an agent first took part (an `agent.join` event or an
   * agent message), `0` when one already had; `null` when no visitor message or no agent took part.
   */
  readonly waitForAgentMs: number | null
  /** How many visitor turns there were, and how many of them an agent answered. */
  readonly visitorTurnCount: number
  readonly answeredTurnCount: number
  /** Smartsupp's figures as sent (whole seconds, rounded down); `null` where lenient decoding could not read one. */
  readonly reported: {
    readonly durationSeconds: number | null
    readonly firstResponseSeconds: number | null
    readonly averageResponseSeconds: number | null
  }
}

/**
 * Response and length figures for a conversation, in milliseconds, computed from the message
 * timestamps in `sentAt` order (see `chronologicalMessages`), with Smartsupp's reported seconds.
 */
export function durations(c: ConversationBase): ConversationDurations {
  return durationsFromFacts(c, conversationFacts(c))
}

/** `durations` from facts already gathered (internal), so `summary` gathers them once. */
export function durationsFromFacts(c: ConversationBase, facts: ConversationFacts): ConversationDurations {
  const { turns, firstVisitorMs, firstAgentPresenceMs } = facts
  let firstResponseMs: number | null = null
  let longestResponseMs: number | null = null
  let sum = 0
  let answered = 0
  for (const turn of turns) {
    if (turn.answeredMs === null) continue
    const ms = turn.answeredMs - turn.startMs
    if (firstResponseMs === null) firstResponseMs = ms
    if (longestResponseMs === null || ms > longestResponseMs) longestResponseMs = ms
    sum += ms
    answered++
  }

  return {
    totalMs: c.endAt.getTime() - c.beginAt.getTime(),
    firstResponseMs,
    averageResponseMs: answered === 0 ? null : sum / answered,
    longestResponseMs,
    waitForAgentMs:
      firstVisitorMs === null || firstAgentPresenceMs === null
        ? null
        : Math.max(0, firstAgentPresenceMs - firstVisitorMs),
    visitorTurnCount: turns.length,
    answeredTurnCount: answered,
    reported: {
      durationSeconds: c.reported.durationSeconds,
      firstResponseSeconds: c.reported.firstResponseSeconds,
      averageResponseSeconds: c.reported.averageResponseSeconds,
    },
  }
}
