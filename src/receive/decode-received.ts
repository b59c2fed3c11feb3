import type { Either } from 'fp-ts/lib/Either.js'
import { decodeConversation } from '../decode/decode-conversation.js'
import type { DecodeFailure } from '../decode/decode-failure.js'
import type { DecodeOptions } from '../decode/options.js'
import { parseConversation } from '../decode/parse-conversation.js'
import type { PostHookConversation } from '../model/conversation.js'
import type { ReceivedBody } from './received-body.js'

/**
 * Decodes a received body: bytes and text are parsed as JSON, a value a body parser produced is
 * decoded as is; no body (`none`) is parsed as empty bytes (an `invalid_json` failure).
 */
export function decodeReceived(
  body: ReceivedBody,
  options: DecodeOptions,
): Either<DecodeFailure, PostHookConversation> {
  if (body.kind === 'bytes') return parseConversation(body.bytes, options)
  if (body.kind === 'text') return parseConversation(body.text, options)
  if (body.kind === 'none') return parseConversation(new Uint8Array(0), options)
  return decodeConversation(body.value, options)
}
