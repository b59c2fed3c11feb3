import type { Either } from 'fp-ts/lib/Either.js'
import type { PostHookConversation } from '../model/conversation.js'
import { decodeWith, unreadableFailure } from './decode-conversation.js'
import { type DecodeFailure, decodeFailure } from './decode-failure.js'
import { describeValue } from './describe-value.js'
import { left } from './either.js'
import { type DecodeOptions, resolveOptions } from './options.js'
import { reasonOf } from './reason-of.js'
import { issue, Report } from './report.js'

/**
 * A request body as it comes off the wire: text, or bytes (a Node `Buffer` is a `Uint8Array`; an
 * `ArrayBuffer` is what `await request.arrayBuffer()` gives).
 */
export type RequestBody = string | Uint8Array | ArrayBuffer

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true })
const replacingUtf8 = new TextDecoder('utf-8')

/**
 * Parses a raw request body (UTF-8, a leading BOM tolerated) and decodes it into a
 * `Conversation`, or a `DecodeFailure`. A body that is not JSON is a failure, never a throw.
 * Invalid UTF-8 is a failure in strict mode; lenient mode reads it with U+FFFD and warns.
 */
export function parseConversation(
  body: RequestBody,
  options?: DecodeOptions,
): Either<DecodeFailure, PostHookConversation> {
  const { strict, maxIssues } = resolveOptions(options)
  const r = new Report(strict, maxIssues)
  try {
    return parseWith(body, r)
  } catch (e) {
    // Only a value that is not a body can get here (e.g. a revoked Proxy): report, don't throw.
    return left(unreadableFailure(r, e))
  }
}

function parseWith(body: RequestBody, r: Report): Either<DecodeFailure, PostHookConversation> {
  const parsed = parseJsonBody(body, r, 'conversation', 'decodeConversation')
  return 'failure' in parsed ? left(parsed.failure) : decodeWith(parsed.value, r)
}

/**
 * The first half of every `parse…` function (internal): a request body (text, or bytes of any
 * realm) to a JSON value, or the failure that says why not. `subject` and `decoder` name the
 * format in messages and hints.
 */
export function parseJsonBody(
  body: RequestBody,
  r: Report,
  subject: string,
  decoder: string,
): { readonly value: unknown } | { readonly failure: DecodeFailure } {
  const mode = r.strict ? 'strict' : 'lenient'
  let text: string
  if (typeof body === 'string') {
    text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body
  } else if (ArrayBuffer.isView(body)) {
    // isView, not instanceof: bytes from another realm (a vm context, Jest's sandbox) are bytes too.
    const read = readText(body, r)
    if (read === undefined) return { failure: decodeFailure(mode, r.errors, r.errorCount, subject) }
    text = read
  } else if (isArrayBuffer(body)) {
    const read = readText(new Uint8Array(body), r)
    if (read === undefined) return { failure: decodeFailure(mode, r.errors, r.errorCount, subject) }
    text = read
  } else {
    const hint =
      body !== null && typeof body === 'object'
        ? `the body was already parsed: pass it to ${decoder}(value) instead`
        : undefined
    const notABody = issue(
      '',
      'invalid_type',
      'a string, a Uint8Array or an ArrayBuffer',
      describeValue(body),
      hint,
    )
    return { failure: decodeFailure(mode, r.max === 0 ? [] : [notABody], 1, subject) }
  }
  try {
    const value: unknown = JSON.parse(text)
    // Every object of our own JSON.parse is plain: the readers may skip the own-properties check.
    r.plainJson = true
    return { value }
  } catch (e) {
    const notJson = issue('', 'invalid_json', 'a JSON document', describeValue(text), reasonOf(e))
    return { failure: decodeFailure(mode, r.max === 0 ? [] : [notJson], 1, subject) }
  }
}

/** An `ArrayBuffer` of any realm (tag check, not `instanceof`). */
function isArrayBuffer(u: unknown): u is ArrayBuffer {
  if (typeof u !== 'object' || u === null) return false
  try {
    return Object.prototype.toString.call(u) === '[object ArrayBuffer]'
  } catch {
    // A revoked Proxy throws here: it is not a body, and the caller says so.
    return false
  }
}

/**
 * UTF-8 bytes to text, BOM dropped. Invalid bytes are a deviation (read as U+FFFD in lenient
 * mode); bytes too many for one JavaScript string are an error. `undefined` when it failed.
 */
function readText(bytes: ArrayBufferView, r: Report): string | undefined {
  try {
    return fatalUtf8.decode(bytes)
  } catch (e) {
    // TextDecoder throws a TypeError for invalid data; anything else means the text cannot exist.
    if (!(e instanceof TypeError)) return tooLarge(bytes, e, r)
  }
  r.deviation('', 'invalid_utf8', 'UTF-8 text', bytes, 'invalid bytes read as U+FFFD')
  if (r.strict) return undefined
  try {
    return replacingUtf8.decode(bytes)
  } catch (e) {
    return tooLarge(bytes, e, r)
  }
}

function tooLarge(bytes: ArrayBufferView, e: unknown, r: Report): undefined {
  r.error('', 'unexpected_error', 'a body JavaScript can hold as one string', bytes, reasonOf(e))
  return undefined
}
