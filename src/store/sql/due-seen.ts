import type { ClaimOptions } from '../event-store.js'
import type { DueFroms } from './append-batch.js'

/** What a batch of appends saw of due times (internal), and when it was sent. */
export interface DueSeen extends DueFroms {
  /** The batch's number: a later batch saw more. */
  readonly seq: number
  /** `Date.now()` when the batch was sent (its statement's snapshot is no older). */
  readonly sentAt: number
  /**
   * Set when a claim with these options read it (the earliest beyond what was due for them, all
   * of which it claimed): then it holds for them only. A batch's holds for any options.
   */
  readonly options?: { readonly settleMs: number; readonly quietMs: number | null }
}

/**
 * A batch reads the due times again when what was last read is older than this (wall-clock ms),
 * so under load one batch in many pays for it, and a delivery's answer is never older than this
 * plus its own batch's time.
 */
export const DUE_SEEN_REFRESH_MS = 50

/**
 * How long what a batch saw is trusted (wall-clock ms); beyond, `mayHaveDue` answers `true`.
 * Deliveries keep it fresh (every batch after DUE_SEEN_REFRESH_MS reads it again); the bound covers
 * a store that stopped appending.
 */
export const DUE_SEEN_FOR_MS = 1000

/** Should the next batch read the due times again? */
export function dueSeenStale(seen: DueSeen | null, wallNow: number): boolean {
  return seen === null || wallNow < seen.sentAt || wallNow - seen.sentAt >= DUE_SEEN_REFRESH_MS
}

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
  if (seen.options !== undefined && (seen.options.settleMs !== settle || seen.options.quietMs !== quiet)) {
    return true
  }
  if (seen.at !== null && seen.at <= now) return true
  if (seen.closed !== null && seen.closed <= now - (quiet === null ? settle : Math.min(settle, quiet))) {
    return true
  }
  return seen.open !== null && quiet !== null && seen.open <= now - quiet
}
