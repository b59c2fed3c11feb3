import { bodyCutOff, payloadTooLarge, type ReceiveOutcome } from './receive-outcome.js'

/** How reading a body stream ended: the whole body, over the limit (reading stopped), or cut off by the client. */
export type BodyRead =
  | { readonly kind: 'body'; readonly bytes: Uint8Array }
  | { readonly kind: 'too_large' }
  | { readonly kind: 'cut_off' }

/** The answer for a read that did not yield a body (413 or 400). */
export function unreadOutcome(read: Exclude<BodyRead, { kind: 'body' }>, limit: number): ReceiveOutcome {
  return read.kind === 'too_large' ? payloadTooLarge(limit) : bodyCutOff
}
