import type { Conversation } from '../model/conversation.js'
import type { AgentMessage } from '../model/message.js'
import { chronologicalMessages } from './chronological-messages.js'

/**
 * Agent id → the messages that human agent wrote, oldest first; agents in the order they first
 * wrote. Triggered and system messages belong to no agent, so an agent who only joined is absent.
 */
export function messagesByAgent(c: Conversation): ReadonlyMap<number, readonly AgentMessage[]> {
  const byAgent = new Map<number, AgentMessage[]>()
  for (const m of chronologicalMessages(c)) {
    if (m.kind !== 'agent') continue
    const list = byAgent.get(m.sender.id)
    if (list === undefined) byAgent.set(m.sender.id, [m])
    else list.push(m)
  }
  return byAgent
}
