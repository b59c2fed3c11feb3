import type {
  ClaimOptions,
  ExportClaim,
  ExportedEvents,
  ListOptions,
  NewStoredEvent,
  RetryFailedOptions,
} from './event-store.js'
import { MAX_ID_BYTES, MAX_KEY_BYTES, unstorableReason } from './storable-text.js'

// Checks shared by every store, so all of them refuse the same bad calls with the same message
// (a TypeError naming the field and the fix) instead of storing something half-valid.

/** Throws unless `event` can be stored. */
export function checkNewEvent(event: NewStoredEvent): void {
  if (typeof event?.key !== 'string' || event.key === '') {
    throw new TypeError(
      'append: event.key must be a non-empty string (use storedEventOf or poisonedStoredEventOf)',
    )
  }
  const texts: [string, unknown, number][] = [
    ['key', event.key, MAX_KEY_BYTES],
    ['conversationId', event.conversationId, MAX_ID_BYTES],
    ['accountId', event.accountId, Number.POSITIVE_INFINITY],
    ['event', event.event, Number.POSITIVE_INFINITY],
    ['poisoned', event.poisoned, Number.POSITIVE_INFINITY],
  ]
  for (const [name, value, maxBytes] of texts) {
    if (value === null && name !== 'key') continue
    if (typeof value !== 'string') {
      throw new TypeError(`append ${event.key}: event.${name} must be a string or null`)
    }
    const reason = unstorableReason(value, maxBytes)
    if (reason !== null) {
      throw new TypeError(
        `append: event.${name} ${reason}; build the event with storedEventOf or poisonedStoredEventOf, which store such values under an escaped form`,
      )
    }
  }
  if (!(event.body instanceof Uint8Array)) {
    throw new TypeError(`append ${event.key}: event.body must be the received bytes as a Uint8Array`)
  }
  if (
    event.occurredAt !== null &&
    !(event.occurredAt instanceof Date && Number.isFinite(event.occurredAt.getTime()))
  ) {
    throw new TypeError(`append ${event.key}: event.occurredAt must be a valid Date or null`)
  }
}

/** Throws unless the claim options are usable. */
export function checkClaimOptions(options: ClaimOptions): void {
  if (typeof options?.owner !== 'string' || options.owner === '') {
    throw new TypeError('claimFinished: owner must be a non-empty string (a unique id of this process)')
  }
  if (!isPositiveMs(options.leaseMs)) {
    throw new TypeError(
      `claimFinished: leaseMs must be a positive number of milliseconds, got ${options.leaseMs}`,
    )
  }
  if (options.quietMs !== null && !isPositiveMs(options.quietMs)) {
    throw new TypeError(
      `claimFinished: quietMs must be a positive number of milliseconds or null, got ${options.quietMs}`,
    )
  }
  const settle = options.settleMs
  if (settle !== undefined && (typeof settle !== 'number' || !Number.isFinite(settle) || settle < 0)) {
    throw new TypeError(`claimFinished: settleMs must be a number of milliseconds ≥ 0, got ${settle}`)
  }
  if (!Number.isSafeInteger(options.limit) || options.limit < 1) {
    throw new TypeError(`claimFinished: limit must be a positive integer, got ${options.limit}`)
  }
}

/** Throws unless `retryAfterMs` is a delay. */
export function checkRelease(claim: ExportClaim, retryAfterMs: number): void {
  if (!(Number.isFinite(retryAfterMs) && retryAfterMs >= 0)) {
    throw new TypeError(
      `release ${claim.conversationId}: retryAfterMs must be a number of milliseconds >= 0, got ${retryAfterMs}`,
    )
  }
}

/** Throws unless `leaseMs` is a lease. */
export function checkRenew(claim: ExportClaim, leaseMs: number): void {
  if (!isPositiveMs(leaseMs)) {
    throw new TypeError(
      `renew ${claim.conversationId}: leaseMs must be a positive number of milliseconds, got ${leaseMs}`,
    )
  }
}

/** Throws unless `exported` tells a count of events. */
export function checkExported(claim: ExportClaim, exported: ExportedEvents | undefined): void {
  if (exported === undefined) return
  const count = exported?.eventCount
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new TypeError(
      `markExported ${claim.conversationId}: exported.eventCount must be the number of events the export held (an integer >= 0), got ${count}`,
    )
  }
}

/** Throws unless the options name one conversation or all. */
export function checkRetryFailed(options: RetryFailedOptions): void {
  const one = typeof options?.conversationId === 'string' && options.conversationId !== ''
  const all = options?.all === true
  if (one === all) {
    throw new TypeError(
      'retryFailed: pass { conversationId } to re-open one failed conversation, or { all: true } for every one',
    )
  }
}

/** The list limit, defaulted and checked. */
export function listLimit(options: ListOptions | undefined, name: string): number {
  const limit = options?.limit ?? 100
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError(`${name}: limit must be an integer >= 0, got ${limit}`)
  }
  return limit
}

function isPositiveMs(ms: number): boolean {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0
}
