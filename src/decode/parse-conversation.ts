import type { Either } from 'fp-ts/lib/Either.js'
import type { Conversation } from '../model/conversation.js'
import { decodeWith } from './decode-conversation.js'
import { type DecodeFailure, decodeFailure } from './decode-failure.js'
import { describeValue } from './describe-value.js'
import { left } from './either.js'
import { type DecodeOptions, resolveOptions } from './options.js'
import { issue, Report } from './report.js'

/** A request body as it comes off the wire: text, or bytes (a Node `Buffer` is a `Uint8Array`). */
export type RequestBody = string | Uint8Array

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true })
const replacingUtf8 = new TextDecoder('utf-8')
const MAX_REASON_CHARS = 160

/**
 * Parses a raw request body (UTF-8, a leading BOM tolerated) and decodes it into a
 * `Conversation`, or a `DecodeFailure`. A body that is not JSON is a failure, never a throw.
 * Invalid UTF-8 is a failure in strict mode; lenient mode reads it with U+FFFD and warns.
 */
export function parseConversation(
  body: RequestBody,
  options?: DecodeOptions,
): Either<DecodeFailure, Conversation> {
  const { strict, maxIssues } = resolveOptions(options)
  const mode = strict ? 'strict' : 'lenient'
  const r = new Report(strict, maxIssues)
  let text: string
  if (typeof body === 'string') {
    text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body
  } else if (body instanceof Uint8Array) {
    try {
      text = fatalUtf8.decode(body)
    } catch {
      r.deviation('', 'invalid_utf8', 'UTF-8 text', body, 'invalid bytes read as U+FFFD')
      if (strict) return left(decodeFailure(mode, r.errors, r.errorCount))
      text = replacingUtf8.decode(body)
    }
  } else {
    const hint =
      body !== null && typeof body === 'object'
        ? 'the body was already parsed: pass it to decodeConversation(value) instead'
        : undefined
    const notABody = issue('', 'invalid_type', 'a string or a Uint8Array', describeValue(body), hint)
    return left(decodeFailure(mode, [notABody], 1))
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e)
    const short = reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…` : reason
    const notJson = issue('', 'invalid_json', 'a JSON document', describeValue(text), short)
    return left(decodeFailure(mode, [notJson], 1))
  }
  return decodeWith(value, r)
}
