import type { ConversationBase } from '../model/conversation.js'

/** The three kinds of conversation the POST hook sends: an offline message, a missed chat, a chat. */
export type ConversationCategory = 'offline' | 'missed' | 'chat'

/**
 * Which of the three kinds the hook sent, from Smartsupp's flags: `'offline'` when `isOffline`,
 * else `'missed'` when `isMissed`, else `'chat'`. A `null` flag (lenient decoding) reads as `false`.
 */
export function category(c: ConversationBase): ConversationCategory {
  if (c.flags.isOffline === true) return 'offline'
  if (c.flags.isMissed === true) return 'missed'
  return 'chat'
}
