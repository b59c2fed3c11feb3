import type { Either } from 'fp-ts/lib/Either.js'
import type { PostHookConversation } from '../model/conversation.js'
import { type DecodeFailure, decodeFailure } from './decode-failure.js'
import { left, right } from './either.js'
import type { DecodeOptions } from './options.js'
import { resolveOptions } from './options.js'
import { readConversation } from './read-conversation.js'
import { reasonOf } from './reason-of.js'
import { issue, Report } from './report.js'

/**
 * Decodes an already-parsed JSON value (for example `req.body` after `express.json()`) into a
 * `Conversation`, or a `DecodeFailure` listing what is wrong. Never throws for any input; only
 * invalid `options` throw a `TypeError`.
 */
export function decodeConversation(
  value: unknown,
  options?: DecodeOptions,
): Either<DecodeFailure, PostHookConversation> {
  const { strict, maxIssues } = resolveOptions(options)
  return decodeWith(value, new Report(strict, maxIssues))
}

/** Runs the decoder with a prepared report (the parser may have noted a warning already). */
export function decodeWith(value: unknown, r: Report): Either<DecodeFailure, PostHookConversation> {
  const mode = r.strict ? 'strict' : 'lenient'
  let conversation: PostHookConversation | undefined
  try {
    conversation = readConversation(value, r)
  } catch (e) {
    // Only a non-JSON input can get here (a throwing getter, a revoked Proxy): report, don't throw.
    return left(unreadableFailure(r, e))
  }
  if (conversation === undefined) return left(decodeFailure(mode, r.errors, r.errorCount))
  return right(conversation)
}

/** The failure for an input that threw while being read; it takes the last kept issue's place. */
export function unreadableFailure(r: Report, e: unknown, subject?: string): DecodeFailure {
  const mode = r.strict ? 'strict' : 'lenient'
  const reason = reasonOf(e)
  const unreadable = issue(
    '',
    'unexpected_error',
    'a readable JSON value',
    'a value that threw while read',
    reason,
  )
  const kept = r.max === 0 ? [] : [...r.errors.slice(0, r.max - 1), unreadable]
  return decodeFailure(mode, kept, r.errorCount + 1, subject)
}
