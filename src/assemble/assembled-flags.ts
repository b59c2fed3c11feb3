import type { ConversationFlags } from '../model/conversation.js'
import type { Message } from '../model/message.js'
import { messageFlags } from '../model/message-flags.js'

/**
 * The flags of an assembled conversation, from its messages in time order (internal), by the rule
 * the testing kit's builder follows too (`messageFlags`: Smartsupp's documented example). `isOffline`
 * is what the events last told (`null` if none did; read as `false` for `isMissed` and
 * `isCompleted`); webhooks never tell `isDropped`, so it is `null`.
 */
export function assembledFlags(
  messages: readonly Message[],
  closed: boolean,
  isOffline: boolean | null,
): ConversationFlags {
  const f = messageFlags(
    messages.map((m) => m.kind),
    closed,
    isOffline === true,
  )
  return {
    isChat: f.isChat,
    isMissed: f.isMissed,
    isTriggered: f.isTriggered,
    isOffline,
    isCompleted: f.isCompleted,
    isDropped: null,
  }
}
