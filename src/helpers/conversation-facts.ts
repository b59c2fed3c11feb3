import type { ConversationBase } from '../model/conversation.js'
import type { Message } from '../model/message.js'
import type { ConversationAgent } from './agents.js'
import { chronologicalMessages } from './chronological-messages.js'
import { countWords } from './count-words.js'

/** One visitor turn: from its first visitor message to the first human agent message after it. */
export interface VisitorTurn {
  /** `sentAt` of the turn's first visitor message, epoch milliseconds. */
  readonly startMs: number
  /** `sentAt` of the agent message that answered it, epoch milliseconds; `null` when unanswered. */
  readonly answeredMs: number | null
  /** The agent who answered; `null` when unanswered. */
  readonly agentId: string | null
}

/**
 * What `agents`, `durations`, `summary` and `transcript` read from a conversation, gathered in
 * one pass over its messages in time order (internal).
 */
export interface ConversationFacts {
  /** The messages oldest first (see `chronologicalMessages`). */
  readonly messages: readonly Message[]
  /**
   * The visitor turns in order. A turn opens at a visitor message when none is open and closes at
   * the next human agent message; triggered messages and system events (such as `agent.join`)
   * are not responses (shared spec: channel.firstResponse).
   */
  readonly turns: readonly VisitorTurn[]
  /**
   * Every agent who took part, in the order they first appeared (see `agents`); `wordCount` is
   * `0` unless the facts were gathered with `{ wordCounts: true }` (only `agents` reports it).
   */
  readonly agents: readonly ConversationAgent[]
  /** `sentAt` of the first visitor message, epoch milliseconds; `null` when there is none. */
  readonly firstVisitorMs: number | null
  /** `sentAt` of the first agent message or `agent.join` event, epoch milliseconds; `null` when none. */
  readonly firstAgentPresenceMs: number | null
  /** How many messages of each kind but `system` there are. */
  readonly visitorMessageCount: number
  readonly agentMessageCount: number
  readonly triggeredMessageCount: number
}

interface Draft {
  id: string
  name: string | null
  joinedAt: Date | null
  messageCount: number
  wordCount: number
  firstResponseMs: number | null
}

/**
 * Gathers a conversation's `ConversationFacts` in one pass over its messages in time order
 * (internal). Counting words costs more than all the rest, so it is done only when asked for.
 */
export function conversationFacts(
  c: ConversationBase,
  options?: { readonly wordCounts: boolean },
): ConversationFacts {
  const wordCounts = options?.wordCounts === true
  const messages = chronologicalMessages(c)
  const turns: VisitorTurn[] = []
  // Agents in order of appearance, and by id.
  const agents: Draft[] = []
  const byId = new Map<string, Draft>()
  const draft = (id: string): Draft => {
    let d = byId.get(id)
    if (d === undefined) {
      d = { id, name: null, joinedAt: null, messageCount: 0, wordCount: 0, firstResponseMs: null }
      byId.set(id, d)
      agents.push(d)
    }
    return d
  }
  let openStartMs: number | null = null
  let firstVisitorMs: number | null = null
  let firstAgentPresenceMs: number | null = null
  let visitorMessageCount = 0
  let agentMessageCount = 0
  let triggeredMessageCount = 0

  for (const m of messages) {
    switch (m.kind) {
      case 'visitor': {
        visitorMessageCount++
        const ms = m.sentAt.getTime()
        if (firstVisitorMs === null) firstVisitorMs = ms
        if (openStartMs === null) openStartMs = ms
        break
      }
      case 'agent': {
        agentMessageCount++
        const ms = m.sentAt.getTime()
        if (firstAgentPresenceMs === null) firstAgentPresenceMs = ms
        const d = draft(m.sender.id)
        d.messageCount++
        if (wordCounts) d.wordCount += countWords(m.content)
        if (m.name !== null && m.name !== '') d.name = m.name
        if (openStartMs !== null) {
          turns.push({ startMs: openStartMs, answeredMs: ms, agentId: d.id })
          if (d.firstResponseMs === null) d.firstResponseMs = ms - openStartMs
          openStartMs = null
        }
        break
      }
      case 'trigger':
        triggeredMessageCount++
        break
      case 'system': {
        if (m.sender?.kind !== 'agent') break
        const d = draft(m.sender.id)
        if (m.event === 'agent.join') {
          if (d.joinedAt === null) d.joinedAt = m.sentAt
          if (firstAgentPresenceMs === null) firstAgentPresenceMs = m.sentAt.getTime()
        }
        if (m.name !== null && m.name !== '') d.name = m.name
        break
      }
    }
  }
  if (openStartMs !== null) turns.push({ startMs: openStartMs, answeredMs: null, agentId: null })

  return {
    messages,
    turns,
    agents,
    firstVisitorMs,
    firstAgentPresenceMs,
    visitorMessageCount,
    agentMessageCount,
    triggeredMessageCount,
  }
}
