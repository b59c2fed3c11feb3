import type { Either } from 'fp-ts/lib/Either.js'
import {
  type DecodeFailure,
  type DecodeMode,
  type PostHookConversation,
  parseConversation,
  parseWebhookEvent,
  type WebhookEvent,
} from '../index.js'
import { usageError } from './parse-command-args.js'

/** What a body is read as: a POST hook conversation or a webhook event. */
export type BodyKind = 'conversation' | 'webhook'

/** `--as`: a kind, or `auto` (the default) to tell from the body itself (`bodyKindOf`). */
export type BodyKindChoice = BodyKind | 'auto'

/** A body decoded as the kind it was read as. */
export type DecodedBody =
  | { readonly kind: 'conversation'; readonly result: Either<DecodeFailure, PostHookConversation> }
  | { readonly kind: 'webhook'; readonly result: Either<DecodeFailure, WebhookEvent> }

const replacingUtf8 = new TextDecoder('utf-8')

/**
 * Which format a body looks like: a JSON object with an `event` or a `data` key and neither
 * `accountId` nor `messages` (the POST hook's essentials) is a webhook event, even a broken one,
 * so that its issues are told in the webhook's terms; anything else, JSON or not, is read as a
 * conversation (whose decoder says what is wrong with a body that is not JSON at all).
 */
export function bodyKindOf(bytes: Uint8Array): BodyKind {
  let value: unknown
  try {
    let text = replacingUtf8.decode(bytes)
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    value = JSON.parse(text)
  } catch {
    return 'conversation'
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'conversation'
  const has = (key: string) => Object.hasOwn(value, key)
  return (has('event') || has('data')) && !has('accountId') && !has('messages') ? 'webhook' : 'conversation'
}

/** Decodes a body as `as` says, or as the kind it looks like (`auto`). */
export function decodeBody(bytes: Uint8Array, mode: DecodeMode, as: BodyKindChoice): DecodedBody {
  const kind = as === 'auto' ? bodyKindOf(bytes) : as
  return kind === 'webhook'
    ? { kind, result: parseWebhookEvent(bytes, { mode }) }
    : { kind, result: parseConversation(bytes, { mode }) }
}

/** Reads an `--as` value (`auto` when not given); anything else is a usage error of `command`. */
export function parseBodyKindChoice(command: string, text: string | undefined): BodyKindChoice {
  if (text === undefined) return 'auto'
  if (text === 'auto' || text === 'conversation' || text === 'webhook') return text
  throw usageError(command, `--as must be auto, conversation or webhook, got ${JSON.stringify(text)}`)
}
