import type { Message } from '../model/message.js'

/** One visitor turn: from its first visitor message to the first human agent message after it. */
export interface VisitorTurn {
  /** `sentAt` of the turn's first visitor message, epoch milliseconds. */
  readonly startMs: number
  /** `sentAt` of the agent message that answered it, epoch milliseconds; `null` when unanswered. */
  readonly answeredMs: number | null
  /** The agent who answered; `null` when unanswered. */
  readonly agentId: number | null
}

/**
 * Splits oldest-first messages into visitor turns (internal). A turn opens at a visitor message
 * when none is open and closes at the next human agent message; triggered messages and system
 * events (such as `agent.join`) are not responses (shared spec: channel.firstResponse).
 */
export function visitorTurns(messages: readonly Message[]): VisitorTurn[] {
  const turns: VisitorTurn[] = []
  let openStartMs: number | null = null
  for (const m of messages) {
    if (m.kind === 'visitor') {
      if (openStartMs === null) openStartMs = m.sentAt.getTime()
    } else if (m.kind === 'agent' && openStartMs !== null) {
      turns.push({ startMs: openStartMs, answeredMs: m.sentAt.getTime(), agentId: m.sender.id })
      openStartMs = null
    }
  }
  if (openStartMs !== null) turns.push({ startMs: openStartMs, answeredMs: null, agentId: null })
  return turns
}
