import type { ConversationBase } from '../model/conversation.js'
import { conversationFacts } from './conversation-facts.js'

/** A human agent who took part in a conversation: joined it, wrote in it, or caused a system event. */
export interface ConversationAgent {
  /** The agent's id (`AgentSender.id`): the digits of `agent:<id>`, or a webhook's `agent_id`. */
  readonly id: string
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

/**
 * Every human agent who took part, in the order they first appeared (oldest first by `sentAt`):
 * agents who wrote, joined, or are the sender of any system event. Triggered messages count for no one.
 */
export function agents(c: ConversationBase): readonly ConversationAgent[] {
  return conversationFacts(c, { wordCounts: true }).agents
}
