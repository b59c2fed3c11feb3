import { contentCoding } from './content-coding.js'
import type { RequestHeaders } from './receive-context.js'
import {
  methodNotAllowed,
  payloadTooLarge,
  type ReceiveOutcome,
  unauthorized,
  unsupportedEncoding,
} from './receive-outcome.js'
import { tokenInUrl } from './token-in-url.js'

/** The parts of a request the receiver looks at before reading any body. */
export interface RequestHead {
  /** The HTTP method, any case. */
  readonly method: string
  /** Path and query, or an absolute URL. */
  readonly url: string
  readonly headers: RequestHeaders
}

/**
 * Decides what can be decided before reading the body, in this order: non-POST → 405, missing or
 * wrong token → 401, a `Content-Encoding` other than gzip, deflate, br or identity → 415, a
 * `content-length` over the limit → 413. Returns `null` when the body should be read (at most
 * `options.limit` bytes, inflated).
 */
export function checkRequest(
  head: RequestHead,
  options: { readonly token: Uint8Array | null; readonly limit: number },
): ReceiveOutcome | null {
  if (head.method.toUpperCase() !== 'POST') return methodNotAllowed
  if (options.token !== null && !tokenInUrl(head.url, options.token)) return unauthorized
  if (contentCoding(head.headers) === null) return unsupportedEncoding
  const length = head.headers['content-length']
  if (typeof length === 'string' && length !== '' && Number(length) > options.limit) {
    return payloadTooLarge(options.limit)
  }
  return null
}
