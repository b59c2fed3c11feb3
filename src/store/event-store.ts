// The durable event store's one interface (issue 12). Implementations: `memoryEventStore`
// (unit tests, one process), `pgliteEventStore` (embedded PostgreSQL, `smartsupp-hook/store/pglite`)
// and `postgresEventStore` (a PostgreSQL server through node-postgres, `smartsupp-hook/store/postgres`,
// safe with any number of receiver processes). All three pass one contract suite.

/** One authentic delivery to keep: its exact bytes and what was read from them. */
export interface NewStoredEvent {
  /**
   * The de-duplication key: `webhookEventKey(event)` for a decoded event, `poisonedEventKey(bytes)`
   * for an undecodable one. Appending a key already stored changes nothing.
   */
  readonly key: string
  /** `data.conversation.id` (or `conversation_id`); `null` for events of no conversation (`contact.*`) and poisoned ones. */
  readonly conversationId: string | null
  readonly accountId: string | null
  /** The event name (`conversation.closed`, an unknown name as sent); `null` when unreadable (poisoned). */
  readonly event: string | null
  /** The event's `timestamp`; `null` when missing or unreadable. */
  readonly occurredAt: Date | null
  /** True for `conversation.closed` and `conversation.closed_by_contact`: the conversation is finished. */
  readonly closes: boolean
  /** The exact bytes Smartsupp signed. */
  readonly body: Uint8Array
  /** Why an authentic body could not be decoded (the failure's message); `null` for a decoded event. */
  readonly poisoned: string | null
}

/** An event as stored. */
export interface StoredEvent extends NewStoredEvent {
  /** When this store first received it (the store's clock). */
  readonly receivedAt: Date
}

/** What `append` did. */
export interface AppendOutcome {
  /** `false` when the key was already stored (a re-delivery): nothing changed. */
  readonly inserted: boolean
}

/** Where a conversation stands in the export. */
export type ConversationExportState =
  /** Events arrive; not closed, not quiet yet. */
  | 'open'
  /** Closed (or quiet), waiting to be claimed for export, or its last export failed and waits to be retried. */
  | 'pending'
  /** Claimed by a receiver that is exporting it now (its lease has not expired). */
  | 'claimed'
  /** `onConversationFinished` succeeded. */
  | 'exported'

/** One conversation as the store tracks it (for `conversations()` and the CLI). */
export interface StoredConversation {
  readonly conversationId: string
  readonly accountId: string | null
  readonly state: ConversationExportState
  readonly eventCount: number
  /** Earliest and latest event `timestamp` seen. */
  readonly firstEventAt: Date | null
  readonly lastEventAt: Date | null
  /** When the store last received an event of it (the quiet period runs from here). */
  readonly lastReceivedAt: Date
  /** When a closing event was first received; `null` while not closed. */
  readonly closedAt: Date | null
  readonly exportedAt: Date | null
  /** How many times it was claimed for export. */
  readonly attempts: number
  /** The last failed export's error message; `null` when none failed. */
  readonly lastError: string | null
  /** Events received after it was exported (a late re-delivery, a rating after the export). */
  readonly eventsAfterExport: number
}

/** A conversation claimed for export by one owner until `until`. */
export interface ExportClaim {
  readonly conversationId: string
  /** Who claimed it (one receiver process); only this owner can mark it exported or release it. */
  readonly owner: string
  readonly until: Date
  /** `closed` when a closing event was received, `quiet` when it was claimed after the quiet period. */
  readonly reason: 'closed' | 'quiet'
  /** 1 on the first claim. */
  readonly attempt: number
}

/** Options of `claimFinished`. */
export interface ClaimOptions {
  /** Who claims: a unique id of this receiver process. */
  readonly owner: string
  /** How long the claim holds; after it another owner may claim again (the owner died mid-export). */
  readonly leaseMs: number
  /**
   * A conversation with no closing event is finished once nothing was received for it for this
   * long. `null`: only closed conversations are claimed.
   */
  readonly quietMs: number | null
  /**
   * A closed conversation is claimed only once nothing was received for it for this long, so
   * events delivered late or out of order (a re-delivery, a rating) are in it. Default 0: at once.
   */
  readonly settleMs?: number
  /** Claim at most this many. */
  readonly limit: number
  /** Claim only this conversation (after its closing event arrived). */
  readonly conversationId?: string
}

/** Options of `conversations`. */
export interface ListOptions {
  readonly state?: ConversationExportState
  /** At most this many, most recently received first. Default 100. */
  readonly limit?: number
}

/**
 * A durable store of webhook events, keyed for idempotency, that hands each finished
 * conversation to exactly one claimer at a time. Every method may reject when the store is
 * unreachable; the receiver then answers 5xx so Smartsupp re-delivers.
 */
export interface EventStore {
  /** Creates or upgrades the schema (idempotent, safe when several processes start at once). */
  migrate(): Promise<void>
  /** Stores an event with its bytes, once per key; updates its conversation's state. */
  append(event: NewStoredEvent): Promise<AppendOutcome>
  /** A conversation's events, oldest `occurredAt` first (then by key). */
  events(conversationId: string): Promise<readonly StoredEvent[]>
  /**
   * Claims finished conversations not yet exported and not claimed by a live lease: closed and
   * quiet for `settleMs`, or (with `quietMs`) quiet for that long, and past any retry delay. Each is given to one claimer
   * only, across processes.
   */
  claimFinished(options: ClaimOptions): Promise<readonly ExportClaim[]>
  /** Marks a claimed conversation exported; `false` when the claim was lost (the lease expired and another owner claimed it). */
  markExported(claim: ExportClaim): Promise<boolean>
  /** Gives a claim back after a failed export; it may be claimed again after `retryAfterMs`. */
  release(claim: ExportClaim, error: string, retryAfterMs: number): Promise<void>
  /** Conversations, most recently received first. */
  conversations(options?: ListOptions): Promise<readonly StoredConversation[]>
  /** One conversation's state; `null` when no event of it was stored. */
  conversation(conversationId: string): Promise<StoredConversation | null>
  /** Authentic bodies that could not be decoded, kept with their bytes. */
  poisoned(limit?: number): Promise<readonly StoredEvent[]>
  /** Closes connections the store opened itself (not a pool or PGlite instance passed in). */
  close(): Promise<void>
}
