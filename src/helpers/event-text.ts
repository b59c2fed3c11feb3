import type { SystemMessage } from '../model/message.js'

/**
 * A system event as a sentence for transcripts (internal): `agent.join` → "John Doe joined",
 * `agent.leave` → "John Doe left", `agent.assign` → "Chat assigned to John Doe",
 * `agent.unassign` → "Chat unassigned from John Doe", `close.agentClose` → "John Doe closed the
 * chat", `close.visitorClose` → "Visitor closed the chat"; any other code as it came, with the
 * sender's name in parentheses when the message has one. `agentName` names an agent by id.
 */
export function eventText(m: SystemMessage, agentName: (id: string) => string): string {
  const name = m.name !== null && m.name !== '' ? m.name : null
  const agent = () => name ?? (m.sender?.kind === 'agent' ? agentName(m.sender.id) : 'An agent')
  switch (m.event) {
    case 'agent.join':
      return `${agent()} joined`
    case 'agent.leave':
      return `${agent()} left`
    case 'agent.assign':
      return `Chat assigned to ${name ?? (m.sender?.kind === 'agent' ? agentName(m.sender.id) : 'an agent')}`
    case 'agent.unassign':
      return `Chat unassigned from ${name ?? (m.sender?.kind === 'agent' ? agentName(m.sender.id) : 'an agent')}`
    case 'close.agentClose':
      return `${agent()} closed the chat`
    case 'close.visitorClose':
      return 'Visitor closed the chat'
    default:
      return name === null ? m.event : `${m.event} (${name})`
  }
}
