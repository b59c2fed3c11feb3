import type { ConversationBase } from '../model/conversation.js'
import type { Message } from '../model/message.js'

/**
 * The messages oldest first by `sentAt`; messages with the same `sentAt` keep their order in the
 * payload. Every helper reads messages in this order. Returns `c.messages` itself when it is
 * already in order (the usual case), so this costs one linear pass.
 */
export function chronologicalMessages(c: ConversationBase): readonly Message[] {
  const messages = c.messages
  for (let i = 1; i < messages.length; i++) {
    if ((messages[i] as Message).sentAt.getTime() < (messages[i - 1] as Message).sentAt.getTime()) {
      // Array.prototype.sort is stable, so equal timestamps keep the payload's order.
      return [...messages].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime())
    }
  }
  return messages
}
