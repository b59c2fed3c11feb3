import { contentCoding } from './content-coding.js'
import type { RequestHeaders } from './receive-context.js'
import { methodNotAllowed, type ReceiveOutcome, unauthorized } from './receive-outcome.js'
import { type DeliveryKind, declaredBytes, overLimit, unsupportedCoding } from './refusal.js'
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
 * `options.limit` bytes, inflated). A 413 or 415 is a `RefusedOutcome`: the adapter answers it
 * through `reportRefusal`, so `onError` hears of it. `kind` words its messages (default POST hook).
 */
export function checkRequest(
  head: RequestHead,
  options: { readonly token: Uint8Array | null; readonly limit: number },
  kind: DeliveryKind = 'POST hook',
): ReceiveOutcome | null {
  if (head.method.toUpperCase() !== 'POST') return methodNotAllowed
  if (options.token !== null && !tokenInUrl(head.url, options.token)) return unauthorized
  if (contentCoding(head.headers) === null) return unsupportedCoding(head.headers, kind)
  const length = declaredBytes(head.headers)
  if (length !== null && length > options.limit) {
    return overLimit(options.limit, { how: 'declared', bytes: length }, kind)
  }
  return null
}
