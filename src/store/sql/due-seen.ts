import type { ClaimOptions } from '../event-store.js'
import type { DueFroms } from './append-batch.js'

/** What a batch of appends saw of due times (internal), and when it was sent. */
export interface DueSeen extends DueFroms {
  /** The batch's number: a later batch saw more. */
  readonly seq: number
  /** `Date.now()` when the batch was sent (its statement's snapshot is no older). */
  readonly sentAt: number
}

/**
 * How long what a batch saw is trusted (wall-clock ms). Every delivery appends before it sweeps,
 * so its own batch is newer than this; the bound only covers a store that stopped appending.
 */
export const DUE_SEEN_FOR_MS = 1000

/**
 * Could a claim with `options` find anything due at `now` (store ms), from what `seen` read?
 * `true` when nothing was seen or it is too old; else whether the earliest of a kind has come:
 * a retry or lease end by now, a closed conversation `settleMs` (or `quietMs`, if shorter) after
 * its last receipt, an open one `quietMs` after it.
 */
export function dueSeenMayHaveDue(
  seen: DueSeen | null,
  options: Pick<ClaimOptions, 'quietMs' | 'settleMs'>,
  now: number,
  wallNow: number,
): boolean {
  if (seen === null || wallNow < seen.sentAt || wallNow - seen.sentAt > DUE_SEEN_FOR_MS) return true
  const quiet = options.quietMs
  const settle = options.settleMs ?? 0
  if (seen.at !== null && seen.at <= now) return true
  if (seen.closed !== null && seen.closed <= now - (quiet === null ? settle : Math.min(settle, quiet))) {
    return true
  }
  return seen.open !== null && quiet !== null && seen.open <= now - quiet
}
