import type { ConversationBase } from '../model/conversation.js'
import type { AgentMessage } from '../model/message.js'
import { chronologicalMessages } from './chronological-messages.js'

/**
 * Agent id (a string, as `AgentSender.id`) → the messages that human agent wrote, oldest first; agents in the order they first
 * wrote. Triggered and system messages belong to no agent, so an agent who only joined is absent.
 */
export function messagesByAgent(c: ConversationBase): ReadonlyMap<string, readonly AgentMessage[]> {
  const byAgent = new Map<string, AgentMessage[]>()
  for (const m of chronologicalMessages(c)) {
    if (m.kind !== 'agent') continue
    const list = byAgent.get(m.sender.id)
    if (list === undefined) byAgent.set(m.sender.id, [m])
    else list.push(m)
  }
  return byAgent
}
