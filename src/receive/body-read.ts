import type { ContentCoding } from './content-coding.js'
import { bodyCutOff, payloadTooLarge, type ReceiveOutcome } from './receive-outcome.js'

/** How reading a body stream ended: the whole body, over the limit (reading stopped), or cut off by the client. */
export type BodyRead =
  | { readonly kind: 'body'; readonly bytes: Uint8Array }
  | { readonly kind: 'too_large' }
  | { readonly kind: 'cut_off' }

/**
 * A `BodyRead` after inflating by `Content-Encoding`: `body` holds the inflated bytes, `too_large`
 * also means inflated past the limit, and `not_inflatable` holds bytes that do not inflate as
 * their `Content-Encoding` says, kept exactly as sent so `onInvalid` gets them.
 */
export type InflatedRead =
  | BodyRead
  | { readonly kind: 'not_inflatable'; readonly bytes: Uint8Array; readonly coding: ContentCoding }

/** The answer for a read that did not yield any bytes (413 or 400). */
export function unreadOutcome(
  read: { readonly kind: 'too_large' | 'cut_off' },
  limit: number,
): ReceiveOutcome {
  return read.kind === 'too_large' ? payloadTooLarge(limit) : bodyCutOff
}
