import type { SystemMessage } from '../model/message.js'

/**
 * A system event as a sentence for transcripts (internal): `agent.join` → "John Doe joined",
 * `close.visitorClose` → "Visitor closed the chat"; any other code as it came, with the sender's
 * name in parentheses when the message has one. `agentName` names an agent by id.
 */
export function eventText(m: SystemMessage, agentName: (id: number) => string): string {
  const name = m.name !== null && m.name !== '' ? m.name : null
  switch (m.event) {
    case 'agent.join':
      return `${name ?? (m.sender?.kind === 'agent' ? agentName(m.sender.id) : 'An agent')} joined`
    case 'close.visitorClose':
      return 'Visitor closed the chat'
    default:
      return name === null ? m.event : `${m.event} (${name})`
  }
}
