import type { ContentCoding } from './content-coding.js'
import { bodyCutOff, type ReceiveOutcome } from './receive-outcome.js'
import { type DeliveryKind, overLimit, type RefusedOutcome } from './refusal.js'

/**
 * How reading a body stream ended: the whole body, over the limit (reading stopped after `size`
 * bytes), or cut off by the client.
 */
export type BodyRead =
  | { readonly kind: 'body'; readonly bytes: Uint8Array }
  | { readonly kind: 'too_large'; readonly size: number }
  | { readonly kind: 'cut_off' }

/**
 * A `BodyRead` after inflating by `Content-Encoding`: `body` holds the inflated bytes,
 * `too_inflated` means inflated past the limit (`size`: the bytes sent, `coding`: how), and
 * `not_inflatable` holds bytes that do not inflate as their `Content-Encoding` says, kept exactly
 * as sent so `onInvalid` gets them.
 */
export type InflatedRead =
  | BodyRead
  | { readonly kind: 'too_inflated'; readonly size: number; readonly coding: ContentCoding }
  | { readonly kind: 'not_inflatable'; readonly bytes: Uint8Array; readonly coding: ContentCoding }

/** The answer for a read that did not yield any bytes: 413 (a refusal `onError` hears of) or 400. */
export function unreadOutcome(
  read: Exclude<InflatedRead, { readonly kind: 'body' | 'not_inflatable' }>,
  limit: number,
  kind: DeliveryKind,
): ReceiveOutcome | RefusedOutcome {
  if (read.kind === 'cut_off') return bodyCutOff
  return read.kind === 'too_large'
    ? overLimit(limit, { how: 'read', bytes: read.size }, kind)
    : overLimit(limit, { how: 'inflated', bytes: read.size, coding: read.coding }, kind)
}
