/**
 * Why a delivery was answered without its body reaching `onConversation`, `onEvent` or `onInvalid`:
 * - `too_large`: over a size limit (this receiver's `limit`, or a body parser's in front of it);
 * - `unsupported_encoding`: a `Content-Encoding` that is not inflated here;
 * - `unsupported_charset`: a charset the body parser in front of the receiver does not decode;
 * - `unreadable`: the body parser in front of the receiver could not read it (e.g. a false gzip);
 * - `too_old`: a webhook event older than `maxEventAgeMs` (authentic; `context.rawBody` holds it).
 */
export type RefusalReason =
  | 'too_large'
  | 'unsupported_encoding'
  | 'unsupported_charset'
  | 'unreadable'
  | 'too_old'

/** Who refused the body: this receiver (its options) or a body parser that read it first. */
export type RefusedBy = 'receiver' | 'body_parser'

/** What a `SmartsuppRefusedError` carries besides its message. */
export interface RefusalDetails {
  readonly status: number
  readonly reason: RefusalReason
  readonly refusedBy: RefusedBy
  readonly bodyBytes: number | null
  readonly limitBytes: number | null
  readonly eventTimestamp?: Date | null
}

/**
 * What `onError` receives, once per request, when a delivery is answered 4xx before its body
 * reached a callback (413, 415, a body parser's refusal, an event older than `maxEventAgeMs`), so
 * no delivery is refused unnoticed. Its message says the status, the size seen and the fix;
 * `context.rawBody` is empty unless the body was read (only `too_old`). The sender may deliver it
 * again (Smartsupp re-delivers webhooks answered anything but 200).
 */
export class SmartsuppRefusedError extends Error {
  override readonly name = 'SmartsuppRefusedError'
  /** The status the delivery was answered with: 400, 403, 413 or 415. */
  readonly status: number
  readonly reason: RefusalReason
  readonly refusedBy: RefusedBy
  /** The body's size as far as it was seen, in bytes: declared (`Content-Length`) or read; `null` when unknown. */
  readonly bodyBytes: number | null
  /** The size limit that applied, in bytes (`too_large` only), else `null`. */
  readonly limitBytes: number | null
  /** The event's `timestamp` (`too_old` only), else `null`. */
  readonly eventTimestamp: Date | null

  constructor(details: RefusalDetails, message: string) {
    super(message)
    this.status = details.status
    this.reason = details.reason
    this.refusedBy = details.refusedBy
    this.bodyBytes = details.bodyBytes
    this.limitBytes = details.limitBytes
    this.eventTimestamp = details.eventTimestamp ?? null
  }
}
