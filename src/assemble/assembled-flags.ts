import type { ConversationFlags } from '../model/conversation.js'
import type { Message } from '../model/message.js'

/**
 * The flags by the spec's definitions (shared spec: channel.is*), from the assembled messages in
 * time order (internal). `isOffline` is what the events last told (`null` if none did); webhooks
 * never tell `isDropped`, so it is `null`. A visitor turn is answered by the next human agent
 * message; only the last turn can be open, so "every visitor message answered" is "the last one was".
 */
export function assembledFlags(
  messages: readonly Message[],
  closed: boolean,
  isOffline: boolean | null,
): ConversationFlags {
  let visitor = false
  let agent = false
  let triggered = false
  let lastAnswered = true
  for (const m of messages) {
    switch (m.kind) {
      case 'visitor':
        visitor = true
        lastAnswered = false
        break
      case 'agent':
        agent = true
        lastAnswered = true
        break
      case 'trigger':
        triggered = true
        break
    }
  }
  const isMissed = visitor && !lastAnswered
  return {
    isChat: visitor && agent,
    isMissed,
    isTriggered: triggered,
    isOffline,
    isCompleted: closed && visitor && !isMissed,
    isDropped: null,
  }
}
