import { SmartsuppDecodeError } from '../decode/smartsupp-decode-error.js'
import type { AssembledConversation } from '../model/conversation.js'
import type { WebhookEvent } from '../model/webhook-event.js'
import { type AssembleOptions, assembleConversation } from './assemble-conversation.js'

/** `assembleConversation` for code without fp-ts: the conversation, or a thrown `SmartsuppDecodeError`. */
export function assembleConversationOrThrow(
  events: readonly WebhookEvent[],
  options?: AssembleOptions,
): AssembledConversation {
  const result = assembleConversation(events, options)
  if (result._tag === 'Left') throw new SmartsuppDecodeError(result.left)
  return result.right
}
