import type { Conversation } from '../model/conversation.js'
import { chronologicalMessages } from './chronological-messages.js'
import { countWords } from './count-words.js'
import { visitorTurns } from './visitor-turns.js'

/** A human agent who took part in a conversation: joined it, wrote in it, or caused a system event. */
export interface ConversationAgent {
  readonly id: number
  /** The last non-empty name seen on this agent's messages and events; `null` when none had one. */
  readonly name: string | null
  /** When the agent first joined (`agent.join`); `null` when the payload has no join event for them. */
  readonly joinedAt: Date | null
  /** How many messages the agent wrote (triggered messages and events not counted). */
  readonly messageCount: number
  /** Whitespace-separated words in those messages (Smartsupp's `wordsCount` uses rules of its own). */
  readonly wordCount: number
  /**
   * Milliseconds from the start of the first visitor turn this agent answered to their answer;
   * `null` when they answered none (see `durations` for what a turn is).
   */
  readonly firstResponseMs: number | null
}

interface Draft {
  id: number
  name: string | null
  joinedAt: Date | null
  messageCount: number
  wordCount: number
  firstResponseMs: number | null
}

/**
 * Every human agent who took part, in the order they first appeared (oldest first by `sentAt`):
 * agents who wrote, joined, or are the sender of any system event. Triggered messages count for no one.
 */
export function agents(c: Conversation): readonly ConversationAgent[] {
  const messages = chronologicalMessages(c)
  const byId = new Map<number, Draft>()
  const draft = (id: number): Draft => {
    let d = byId.get(id)
    if (d === undefined) {
      d = { id, name: null, joinedAt: null, messageCount: 0, wordCount: 0, firstResponseMs: null }
      byId.set(id, d)
    }
    return d
  }
  for (const m of messages) {
    if (m.kind === 'agent') {
      const d = draft(m.sender.id)
      d.messageCount++
      d.wordCount += countWords(m.content)
      if (m.name !== null && m.name !== '') d.name = m.name
    } else if (m.kind === 'system' && m.sender?.kind === 'agent') {
      const d = draft(m.sender.id)
      if (m.event === 'agent.join' && d.joinedAt === null) d.joinedAt = m.sentAt
      if (m.name !== null && m.name !== '') d.name = m.name
    }
  }
  for (const turn of visitorTurns(messages)) {
    if (turn.agentId === null || turn.answeredMs === null) continue
    const d = byId.get(turn.agentId)
    if (d !== undefined && d.firstResponseMs === null) d.firstResponseMs = turn.answeredMs - turn.startMs
  }
  return [...byId.values()]
}
