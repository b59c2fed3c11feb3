import type { PostHookConversation } from '../model/conversation.js'
import { decodeConversation } from './decode-conversation.js'
import type { DecodeOptions } from './options.js'
import { parseConversation, type RequestBody } from './parse-conversation.js'
import { SmartsuppDecodeError } from './smartsupp-decode-error.js'

/** `parseConversation` for code without fp-ts: the `PostHookConversation`, or a thrown `SmartsuppDecodeError`. */
export function parseConversationOrThrow(body: RequestBody, options?: DecodeOptions): PostHookConversation {
  const result = parseConversation(body, options)
  if (result._tag === 'Left') throw new SmartsuppDecodeError(result.left)
  return result.right
}

/** `decodeConversation` for code without fp-ts: the `PostHookConversation`, or a thrown `SmartsuppDecodeError`. */
export function decodeConversationOrThrow(value: unknown, options?: DecodeOptions): PostHookConversation {
  const result = decodeConversation(value, options)
  if (result._tag === 'Left') throw new SmartsuppDecodeError(result.left)
  return result.right
}
