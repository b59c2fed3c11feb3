import { compareText } from './compare-text.js'
import type {
  AppendOutcome,
  ClaimOptions,
  ConversationExportState,
  EventStore,
  ExportClaim,
  ExportedEvents,
  ListOptions,
  NewStoredEvent,
  ReleaseOptions,
  RetryFailedOptions,
  StoredConversation,
  StoredEvent,
} from './event-store.js'
import {
  checkClaimOptions,
  checkExported,
  checkNewEvent,
  checkRelease,
  checkRenew,
  checkRetryFailed,
  listLimit,
} from './store-input.js'

/** Options of `memoryEventStore`. */
export interface MemoryEventStoreOptions {
  /** The store's time (received, closed, leases, quiet period). Default `() => new Date()`. */
  readonly clock?: () => Date
}

/** A conversation's bookkeeping, as the SQL stores keep it in their conversations table. */
interface ConversationRow {
  readonly conversationId: string
  accountId: string | null
  eventCount: number
  firstEventAt: Date | null
  lastEventAt: Date | null
  lastReceivedAt: Date
  closedAt: Date | null
  exportedAt: Date | null
  claimOwner: string | null
  claimUntil: Date | null
  attempts: number
  lastError: string | null
  retryAt: Date | null
  revision: number
  exportedEventCount: number
  failures: number
  failedAt: Date | null
}

/**
 * An event store in this process's memory, for unit tests and trying things out: it behaves like
 * the SQL stores (same ordering, claims, leases and states; it passes the same contract suite)
 * but keeps nothing across restarts and is not shared between processes.
 */
export function memoryEventStore(options: MemoryEventStoreOptions = {}): EventStore {
  const clock = options.clock ?? (() => new Date())
  const events = new Map<string, StoredEvent>()
  const eventsOf = new Map<string, StoredEvent[]>()
  const conversations = new Map<string, ConversationRow>()
  let closed = false

  const now = (): number => {
    if (closed) throw new Error('memoryEventStore: the store was closed')
    return clock().getTime()
  }

  // The SQL stores' STATE expression, in the same order.
  const stateOf = (row: ConversationRow, at: number): ConversationExportState => {
    if (row.failedAt !== null) return 'failed'
    if (row.claimUntil !== null && row.claimUntil.getTime() > at) return 'claimed'
    if (row.eventCount <= row.exportedEventCount) return 'exported'
    if (row.closedAt !== null || row.revision > 0 || row.retryAt !== null || row.claimOwner !== null) {
      return 'pending'
    }
    return 'open'
  }

  const view = (row: ConversationRow, at: number): StoredConversation => ({
    conversationId: row.conversationId,
    accountId: row.accountId,
    state: stateOf(row, at),
    eventCount: row.eventCount,
    firstEventAt: copyDate(row.firstEventAt),
    lastEventAt: copyDate(row.lastEventAt),
    lastReceivedAt: new Date(row.lastReceivedAt),
    closedAt: copyDate(row.closedAt),
    exportedAt: copyDate(row.exportedAt),
    revision: row.revision,
    attempts: row.attempts,
    failures: row.failures,
    failedAt: copyDate(row.failedAt),
    lastError: row.lastError,
    eventsAfterExport: row.revision === 0 ? 0 : row.eventCount - row.exportedEventCount,
  })

  /** Is `claim` still the conversation's current claim (nobody claimed it since, not concluded)? */
  const holds = (row: ConversationRow | undefined, claim: ExportClaim): row is ConversationRow =>
    row !== undefined &&
    row.failedAt === null &&
    row.claimOwner === claim.owner &&
    row.attempts === claim.attempt

  /** Is `row` due for export at `at` (the SQL stores' claim condition)? */
  const due = (row: ConversationRow, at: number, options: ClaimOptions): boolean => {
    const received = row.lastReceivedAt.getTime()
    return (
      row.failedAt === null &&
      row.eventCount > row.exportedEventCount &&
      (row.claimUntil === null || row.claimUntil.getTime() <= at) &&
      (row.retryAt === null || row.retryAt.getTime() <= at) &&
      (row.retryAt !== null ||
        row.claimOwner !== null ||
        (row.closedAt !== null && received <= at - (options.settleMs ?? 0)) ||
        (options.quietMs !== null && received <= at - options.quietMs))
    )
  }

  return {
    async migrate(): Promise<void> {
      now()
    },

    async append(event: NewStoredEvent): Promise<AppendOutcome> {
      checkNewEvent(event)
      const at = now()
      if (events.has(event.key)) return { inserted: false }
      const stored: StoredEvent = {
        key: event.key,
        conversationId: event.conversationId,
        accountId: event.accountId,
        event: event.event,
        occurredAt: copyDate(event.occurredAt),
        closes: event.closes,
        body: event.body.slice(),
        poisoned: event.poisoned,
        receivedAt: new Date(at),
      }
      events.set(stored.key, stored)
      const id = stored.conversationId
      if (id === null) return { inserted: true }
      const list = eventsOf.get(id)
      if (list === undefined) eventsOf.set(id, [stored])
      else list.push(stored)
      const occurred = stored.occurredAt
      const row = conversations.get(id)
      if (row === undefined) {
        conversations.set(id, {
          conversationId: id,
          accountId: stored.accountId,
          eventCount: 1,
          firstEventAt: occurred,
          lastEventAt: occurred,
          lastReceivedAt: new Date(at),
          closedAt: stored.closes ? new Date(at) : null,
          exportedAt: null,
          claimOwner: null,
          claimUntil: null,
          attempts: 0,
          lastError: null,
          retryAt: null,
          revision: 0,
          exportedEventCount: 0,
          failures: 0,
          failedAt: null,
        })
      } else {
        row.accountId ??= stored.accountId
        row.eventCount += 1
        row.firstEventAt = least(row.firstEventAt, occurred)
        row.lastEventAt = greatest(row.lastEventAt, occurred)
        if (at > row.lastReceivedAt.getTime()) row.lastReceivedAt = new Date(at)
        if (stored.closes && row.closedAt === null) row.closedAt = new Date(at)
      }
      return { inserted: true }
    },

    async events(conversationId: string): Promise<readonly StoredEvent[]> {
      now()
      return [...(eventsOf.get(conversationId) ?? [])].sort(byOccurredThenKey).map(copyEvent)
    },

    async claimFinished(options: ClaimOptions): Promise<readonly ExportClaim[]> {
      checkClaimOptions(options)
      const at = now()
      const rows =
        options.conversationId === undefined
          ? [...conversations.values()]
          : [conversations.get(options.conversationId)].filter((r) => r !== undefined)
      const claimable = rows
        .filter((r) => due(r, at, options))
        .sort((a, b) => dueFrom(a) - dueFrom(b) || compareText(a.conversationId, b.conversationId))
        .slice(0, options.limit)
      return claimable.map((row) => {
        // A claim still recorded was never concluded: its owner died, or hung past its lease.
        if (row.claimOwner !== null) row.failures += 1
        row.claimOwner = options.owner
        row.claimUntil = new Date(at + options.leaseMs)
        row.attempts += 1
        return {
          conversationId: row.conversationId,
          owner: options.owner,
          until: new Date(row.claimUntil),
          reason: row.closedAt !== null ? 'closed' : 'quiet',
          attempt: row.attempts,
          revision: row.revision + 1,
          failures: row.failures,
        }
      })
    },

    async renew(claim: ExportClaim, leaseMs: number): Promise<Date | null> {
      checkRenew(claim, leaseMs)
      const at = now()
      const row = conversations.get(claim.conversationId)
      if (!holds(row, claim)) return null
      row.claimUntil = new Date(at + leaseMs)
      return new Date(row.claimUntil)
    },

    async markExported(claim: ExportClaim, exported?: ExportedEvents): Promise<boolean> {
      checkExported(claim, exported)
      const at = now()
      const row = conversations.get(claim.conversationId)
      if (!holds(row, claim)) return false
      row.exportedAt = new Date(at)
      row.revision = claim.revision
      row.exportedEventCount = Math.min(exported?.eventCount ?? row.eventCount, row.eventCount)
      row.failures = 0
      row.claimOwner = null
      row.claimUntil = null
      row.retryAt = null
      return true
    },

    async release(
      claim: ExportClaim,
      error: string,
      retryAfterMs: number,
      options?: ReleaseOptions,
    ): Promise<void> {
      checkRelease(claim, retryAfterMs)
      const at = now()
      const row = conversations.get(claim.conversationId)
      if (!holds(row, claim)) return
      row.claimOwner = null
      row.claimUntil = null
      if (options?.failed !== false) row.failures += 1
      row.lastError = error
      row.retryAt = new Date(at + retryAfterMs)
    },

    async markFailed(claim: ExportClaim, error: string): Promise<boolean> {
      const at = now()
      const row = conversations.get(claim.conversationId)
      if (!holds(row, claim)) return false
      row.claimOwner = null
      row.claimUntil = null
      row.failures += 1
      row.lastError = error
      row.retryAt = null
      row.failedAt = new Date(at)
      return true
    },

    async retryFailed(options: RetryFailedOptions): Promise<readonly string[]> {
      checkRetryFailed(options)
      const at = now()
      const rows =
        options.all === true
          ? [...conversations.values()]
          : [conversations.get(options.conversationId)].filter((r) => r !== undefined)
      return rows
        .filter((r) => r.failedAt !== null)
        .sort((a, b) => compareText(a.conversationId, b.conversationId))
        .map((row) => {
          row.failedAt = null
          row.failures = 0
          row.retryAt = new Date(at)
          return row.conversationId
        })
    },

    async conversations(options?: ListOptions): Promise<readonly StoredConversation[]> {
      const limit = listLimit(options, 'conversations')
      const at = now()
      return [...conversations.values()]
        .filter((r) => options?.state === undefined || stateOf(r, at) === options.state)
        .sort(
          (a, b) =>
            b.lastReceivedAt.getTime() - a.lastReceivedAt.getTime() ||
            compareText(a.conversationId, b.conversationId),
        )
        .slice(0, limit)
        .map((r) => view(r, at))
    },

    async conversation(conversationId: string): Promise<StoredConversation | null> {
      const at = now()
      const row = conversations.get(conversationId)
      return row === undefined ? null : view(row, at)
    },

    async poisoned(limit = 100): Promise<readonly StoredEvent[]> {
      listLimit({ limit }, 'poisoned')
      now()
      return [...events.values()]
        .filter((e) => e.poisoned !== null)
        .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || compareText(a.key, b.key))
        .slice(0, limit)
        .map(copyEvent)
    },

    async close(): Promise<void> {
      closed = true
    },
  }
}

/**
 * When a conversation started to wait, the SQL stores' `due_from` (migration 3): its retry time or
 * lease end when it has one, else its last receipt. Claims are made in this order.
 */
function dueFrom(row: ConversationRow): number {
  if (row.claimOwner !== null || row.retryAt !== null) {
    return Math.max(
      row.claimUntil?.getTime() ?? Number.NEGATIVE_INFINITY,
      row.retryAt?.getTime() ?? Number.NEGATIVE_INFINITY,
    )
  }
  return row.lastReceivedAt.getTime()
}

/**
 * Events oldest first, those of unknown time last, ties by key: the SQL stores'
 * `ORDER BY occurred_at, key` (NULLS LAST is PostgreSQL's default for ascending order).
 */
function byOccurredThenKey(a: StoredEvent, b: StoredEvent): number {
  const x = a.occurredAt
  const y = b.occurredAt
  if (x !== null && y !== null && x.getTime() !== y.getTime()) return x.getTime() - y.getTime()
  if (x === null && y !== null) return 1
  if (x !== null && y === null) return -1
  return compareText(a.key, b.key)
}

function least(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b
  if (b === null) return a
  return b.getTime() < a.getTime() ? b : a
}

function greatest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b
  if (b === null) return a
  return b.getTime() > a.getTime() ? b : a
}

function copyDate(d: Date | null): Date | null {
  return d === null ? null : new Date(d)
}

/** A copy, so a caller changing what it was given cannot change the store. */
function copyEvent(e: StoredEvent): StoredEvent {
  return {
    ...e,
    occurredAt: copyDate(e.occurredAt),
    receivedAt: new Date(e.receivedAt),
    body: e.body.slice(),
  }
}
