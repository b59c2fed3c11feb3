// The durable event store's one interface (issue 12). Implementations: `memoryEventStore`
// (unit tests, one process), `pgliteEventStore` (embedded PostgreSQL, `smartsupp-hook/store/pglite`)
// and `postgresEventStore` (a PostgreSQL server through node-postgres, `smartsupp-hook/store/postgres`,
// safe with any number of receiver processes). All three pass one contract suite.

/**
 * One authentic delivery to keep: its exact bytes and what was read from them. Every text is one
 * PostgreSQL can hold and index (no NUL, no lone surrogate, `key` at most 1000 and
 * `conversationId` at most 500 UTF-8 bytes): `storedEventOf` escapes values that are not, and
 * every store refuses them with a `TypeError`, so all stores give the same outcome.
 */
export interface NewStoredEvent {
  /**
   * The de-duplication key: `webhookEventKey(event)` for a decoded event (escaped when needed),
   * `poisonedEventKey(bytes)` for an undecodable one. Appending a key already stored changes nothing.
   */
  readonly key: string
  /**
   * The conversation's stored id: `storedConversationId` of `data.conversation.id` (or
   * `conversation_id`), which is that id itself unless it cannot be stored as is; `null` for
   * events of no conversation (`contact.*`) and poisoned ones.
   */
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
  /** Events arrive; not closed, not quiet yet, never exported. */
  | 'open'
  /**
   * Due, or waiting to be: closed (or quiet) and not yet exported, a failed export waiting for its
   * retry, or an exported conversation that received events since (its next revision).
   */
  | 'pending'
  /** Claimed by a receiver that is exporting it now (its lease has not expired). */
  | 'claimed'
  /** Every event stored of it was in its last export (`revision`). */
  | 'exported'
  /**
   * Its export failed `maxExportAttempts` times in a row: not claimed again until retried by
   * `retryFailed` (`smartsupp-hook export --retry`). New events are still stored.
   */
  | 'failed'

/** One conversation as the store tracks it (for `conversations()` and the CLI). */
export interface StoredConversation {
  /**
   * The id the store keeps it under: the conversation's id, unless that cannot be stored as is
   * (see `storedConversationId`).
   */
  readonly conversationId: string
  readonly accountId: string | null
  readonly state: ConversationExportState
  readonly eventCount: number
  /** Earliest and latest event `timestamp` seen. */
  readonly firstEventAt: Date | null
  readonly lastEventAt: Date | null
  /** When the store last received an event of it (the settle and quiet periods run from here). */
  readonly lastReceivedAt: Date
  /** When a closing event was first received; `null` while not closed. */
  readonly closedAt: Date | null
  /** When its last revision was exported; `null` before the first. */
  readonly exportedAt: Date | null
  /** How many revisions were exported: 0 before the first export, 1 after it, 2 after events came late and it was exported again… */
  readonly revision: number
  /** How many times it was claimed for export, all revisions together. */
  readonly attempts: number
  /** Failed (or abandoned: lease expired, timed out) tries in a row of its next revision; 0 after a success or `retryFailed`. */
  readonly failures: number
  /** When it became `failed`; `null` unless its state is `failed`. */
  readonly failedAt: Date | null
  /** The last failed export's error message; `null` when none failed. */
  readonly lastError: string | null
  /** Events stored that its last export did not hold (they make the next revision); 0 before the first export. */
  readonly eventsAfterExport: number
}

/** A conversation claimed for export by one owner until `until`. */
export interface ExportClaim {
  readonly conversationId: string
  /** Who claimed it (one receiver process); only this owner can renew it, mark it exported or release it. */
  readonly owner: string
  /** When the lease ends unless renewed (the store's clock). */
  readonly until: Date
  /** `closed` when a closing event was received, `quiet` when it was claimed after the quiet period. */
  readonly reason: 'closed' | 'quiet'
  /** How many times the conversation was claimed, this claim included: with `owner`, it identifies the claim. */
  readonly attempt: number
  /** The revision this export makes: 1 for the first export, 2 for the next after late events… */
  readonly revision: number
  /** Failed or abandoned tries of this revision before this claim (a lease that expired counts). */
  readonly failures: number
}

/** Options of `claimFinished`. */
export interface ClaimOptions {
  /** Who claims: a unique id of this receiver process. */
  readonly owner: string
  /** How long the claim holds unless renewed; after it another owner may claim again (the owner died mid-export). */
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
  /** Claim only this conversation (its stored id). */
  readonly conversationId?: string
}

/** What an export read, for `markExported`. */
export interface ExportedEvents {
  /**
   * How many events of the conversation the export held (`events(id).length` when it read them).
   * Events stored beyond these make the conversation due again, as its next revision.
   */
  readonly eventCount: number
}

/** Which failed conversations `retryFailed` re-opens. */
export type RetryFailedOptions =
  | { readonly conversationId: string; readonly all?: undefined }
  | { readonly all: true; readonly conversationId?: undefined }

/** Options of `conversations`. */
export interface ListOptions {
  readonly state?: ConversationExportState
  /** At most this many, most recently received first. Default 100. */
  readonly limit?: number
}

/** Options of `EventStore.release`. */
export interface ReleaseOptions {
  /**
   * Whether the try counts as failed toward `maxExportAttempts` (default `true`). `false` when
   * its process gave it up while shutting down: the conversation's tries in a row stay as they were.
   */
  readonly failed?: boolean
}

/**
 * A durable store of webhook events, keyed for idempotency, that hands each finished
 * conversation to exactly one claimer at a time, once per revision. Every method may reject when
 * the store is unreachable; the receiver then answers 5xx so Smartsupp re-delivers.
 *
 * Ids and keys are the stored ones (`storedEventOf` maps values PostgreSQL cannot hold to an
 * escaped form; `storedConversationId` gives a conversation's).
 */
export interface EventStore {
  /** Creates or upgrades the schema (idempotent, safe when several processes start at once). */
  migrate(): Promise<void>
  /**
   * Stores an event with its bytes, once per key; updates its conversation's state. Resolves once
   * the event is durable. Concurrent calls may be written together (the SQL stores commit the
   * appends that arrive while earlier ones are being written in one statement); each outcome is
   * what appending them one after another, in call order, would give.
   */
  append(event: NewStoredEvent): Promise<AppendOutcome>
  /**
   * Optional: `false` when this store object can tell, without a query, that `claimFinished` with
   * these options would find nothing due now; `true` when something may be due or it cannot tell.
   * The SQL stores answer from what their latest batch of appends read (each reads the earliest
   * due time of each kind, across every process sharing the store), so a receiver skips the claim
   * after a delivery when nothing can be due yet. Without it, receivers always claim.
   */
  mayHaveDue?(options: Pick<ClaimOptions, 'quietMs' | 'settleMs'>): boolean
  /** A conversation's events, oldest `occurredAt` first (then by key). */
  events(conversationId: string): Promise<readonly StoredEvent[]>
  /**
   * Claims conversations that are due, not failed and not held by a live lease: with events its
   * last export did not hold (all of them before the first) and closed and quiet for `settleMs`,
   * or (with `quietMs`) quiet for that long; or a retry whose delay passed; or a claim whose lease
   * expired. Each is given to one claimer only, across processes. In order of when each started
   * to wait: its retry time or lease end, else its last receipt (then by id).
   */
  claimFinished(options: ClaimOptions): Promise<readonly ExportClaim[]>
  /**
   * Extends a claim's lease to `leaseMs` from now, while its export runs. Resolves to the new end,
   * or `null` when the claim was lost (another owner claimed the conversation, or it was marked
   * failed): the export should stop.
   */
  renew(claim: ExportClaim, leaseMs: number): Promise<Date | null>
  /**
   * Marks a claimed conversation exported as `claim.revision`, holding `exported.eventCount`
   * events; events stored beyond those make it due again. Without `exported`, everything stored
   * now counts as exported. `false` when the claim was lost (another owner claimed it since).
   */
  markExported(claim: ExportClaim, exported?: ExportedEvents): Promise<boolean>
  /**
   * Gives a claim back after a failed export; it may be claimed again after `retryAfterMs`. The
   * try counts toward `maxExportAttempts` (`failures` grows by one) unless `options.failed` is
   * `false`: a try given up because its process shuts down is not the export's fault, so a
   * conversation never reaches `failed` from restarts alone.
   */
  release(claim: ExportClaim, error: string, retryAfterMs: number, options?: ReleaseOptions): Promise<void>
  /**
   * Gives a claim back and marks the conversation `failed`: it is not claimed again until
   * `retryFailed`. `false` when the claim was lost.
   */
  markFailed(claim: ExportClaim, error: string): Promise<boolean>
  /**
   * Re-opens failed conversations (one, or all): due at once, with a fresh count of tries.
   * Resolves to the ids re-opened (none when the one named is not failed).
   */
  retryFailed(options: RetryFailedOptions): Promise<readonly string[]>
  /** Conversations, most recently received first. */
  conversations(options?: ListOptions): Promise<readonly StoredConversation[]>
  /** One conversation's state (by its stored id); `null` when no event of it was stored. */
  conversation(conversationId: string): Promise<StoredConversation | null>
  /** Authentic bodies that could not be decoded, kept with their bytes. */
  poisoned(limit?: number): Promise<readonly StoredEvent[]>
  /** Closes connections the store opened itself (not a pool or PGlite instance passed in). */
  close(): Promise<void>
}
