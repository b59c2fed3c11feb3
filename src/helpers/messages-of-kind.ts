import type { ConversationBase } from '../model/conversation.js'
import type { Message, MessageKind, SystemMessage, TriggerMessage, VisitorMessage } from '../model/message.js'
import { chronologicalMessages } from './chronological-messages.js'

/** The messages of one `kind`, oldest first (see `chronologicalMessages`), narrowed to that kind. */
export function messagesOfKind<K extends MessageKind>(
  c: ConversationBase,
  kind: K,
): readonly Extract<Message, { kind: K }>[] {
  const out: Extract<Message, { kind: K }>[] = []
  for (const m of chronologicalMessages(c)) {
    if (m.kind === kind) out.push(m as Extract<Message, { kind: K }>)
  }
  return out
}

/** The visitor's own messages, oldest first. */
export function visitorMessages(c: ConversationBase): readonly VisitorMessage[] {
  return messagesOfKind(c, 'visitor')
}

/** The automatic messages (sent by a trigger or by the system, never an agent's response), oldest first. */
export function triggeredMessages(c: ConversationBase): readonly TriggerMessage[] {
  return messagesOfKind(c, 'trigger')
}

/** The system events (`agent.join`, `close.visitorClose`, unknown codes as they came), oldest first. */
export function systemEvents(c: ConversationBase): readonly SystemMessage[] {
  return messagesOfKind(c, 'system')
}
