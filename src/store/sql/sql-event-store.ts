import { compareText } from '../compare-text.js'
import type {
  AppendOutcome,
  ClaimOptions,
  ConversationExportState,
  EventStore,
  ExportClaim,
  ExportedEvents,
  ListOptions,
  NewStoredEvent,
  RetryFailedOptions,
  StoredConversation,
  StoredEvent,
} from '../event-store.js'
import {
  checkClaimOptions,
  checkExported,
  checkNewEvent,
  checkRelease,
  checkRenew,
  checkRetryFailed,
  listLimit,
} from '../store-input.js'
import type { SqlClient } from './sql-client.js'
import { migrations, type SqlTables, schemaVersionTable, sqlTables } from './sql-schema.js'

/** Options shared by the PGlite and PostgreSQL stores. */
export interface SqlEventStoreOptions {
  /**
   * Prepended to the table names (`<prefix>events`, `<prefix>conversations`,
   * `<prefix>schema_version`): lowercase letters, digits and `_`. Default `smartsupp_`.
   */
  readonly tablePrefix?: string
  /** The store's time (received, closed, leases, quiet period), sent as parameters. Default `() => new Date()`. */
  readonly clock?: () => Date
}

interface EventRow {
  readonly key: string
  readonly conversation_id: string | null
  readonly account_id: string | null
  readonly event: string | null
  readonly occurred_at: Date | null
  readonly closes: boolean
  readonly body: Uint8Array
  readonly poisoned: string | null
  readonly received_at: Date
}

interface ConversationRow {
  readonly conversation_id: string
  readonly account_id: string | null
  readonly state: ConversationExportState
  readonly event_count: number
  readonly first_event_at: Date | null
  readonly last_event_at: Date | null
  readonly last_received_at: Date
  readonly closed_at: Date | null
  readonly exported_at: Date | null
  readonly revision: number
  readonly attempts: number
  readonly failures: number
  readonly failed_at: Date | null
  readonly last_error: string | null
  readonly events_after_export: number
}

interface ClaimRow {
  readonly conversation_id: string
  readonly claim_until: Date
  readonly closed: boolean
  readonly attempts: number
  readonly revision: number
  readonly failures: number
  readonly last_received_at: Date
}

const EVENT_COLUMNS =
  'key, conversation_id, account_id, event, occurred_at, closes, body, poisoned, received_at'

/**
 * The event store over any PostgreSQL (internal): PGlite and node-postgres run the same SQL.
 * The schema is migrated on first use (and by `migrate()`); every time comes from `clock` as a
 * parameter, never from the server's `now()`, so one clock governs memory and SQL alike.
 */
export function sqlEventStore(client: SqlClient, options: SqlEventStoreOptions = {}): EventStore {
  const t = sqlTables(options.tablePrefix)
  const clock = options.clock ?? (() => new Date())
  let migrated: Promise<void> | null = null
  let closed = false

  const ready = (): Promise<void> => {
    if (closed) return Promise.reject(new Error(`event store (${t.prefix}*): the store was closed`))
    if (migrated === null) {
      migrated = migrate(client, t, clock).catch((error: unknown) => {
        // Not remembered: the next call tries again (the database may be back).
        migrated = null
        throw error
      })
    }
    return migrated
  }

  // The export state at `now` ($1), as one SQL expression (the memory store's stateOf): every
  // state is computed from the row's columns, so a due-time index can be added beside it.
  const STATE = `CASE
      WHEN failed_at IS NOT NULL THEN 'failed'
      WHEN claim_until > $1 THEN 'claimed'
      WHEN event_count <= exported_event_count THEN 'exported'
      WHEN closed_at IS NOT NULL OR revision > 0 OR retry_at IS NOT NULL OR claim_owner IS NOT NULL THEN 'pending'
      ELSE 'open' END`
  const CONVERSATION_COLUMNS = `conversation_id, account_id, ${STATE} AS state, event_count, first_event_at,
    last_event_at, last_received_at, closed_at, exported_at, revision, attempts, failures, failed_at,
    last_error, CASE WHEN revision = 0 THEN 0 ELSE event_count - exported_event_count END AS events_after_export`
  // The claim is still the conversation's current one: same owner, nobody claimed it since, not
  // concluded ($1 the id, $2 the owner, $3 the attempt).
  const HELD = 'conversation_id = $1 AND claim_owner = $2 AND attempts = $3 AND failed_at IS NULL'

  return {
    migrate: ready,

    async append(event: NewStoredEvent): Promise<AppendOutcome> {
      checkNewEvent(event)
      await ready()
      // One statement, so one round trip and one transaction: the event, and (only when it was
      // new) its conversation's row, are stored together or not at all.
      const rows = await client.query<{ inserted: number }>(
        `WITH inserted AS (
           INSERT INTO ${t.events} (${EVENT_COLUMNS})
           VALUES ($1, $2, $3, $4, $5::timestamptz, $6::boolean, $7, $8, $9::timestamptz)
           ON CONFLICT (key) DO NOTHING
           RETURNING conversation_id, account_id, occurred_at, closes, received_at
         ), counted AS (
           INSERT INTO ${t.conversations} AS c (conversation_id, account_id, event_count, first_event_at,
             last_event_at, last_received_at, closed_at)
           SELECT conversation_id, account_id, 1, occurred_at, occurred_at, received_at,
             CASE WHEN closes THEN received_at END
           FROM inserted WHERE conversation_id IS NOT NULL
           ON CONFLICT (conversation_id) DO UPDATE SET
             account_id = coalesce(c.account_id, excluded.account_id),
             event_count = c.event_count + 1,
             first_event_at = least(c.first_event_at, excluded.first_event_at),
             last_event_at = greatest(c.last_event_at, excluded.last_event_at),
             last_received_at = greatest(c.last_received_at, excluded.last_received_at),
             closed_at = coalesce(c.closed_at, excluded.closed_at)
         )
         SELECT count(*)::integer AS inserted FROM inserted`,
        [
          event.key,
          event.conversationId,
          event.accountId,
          event.event,
          event.occurredAt,
          event.closes,
          event.body,
          event.poisoned,
          clock(),
        ],
      )
      return { inserted: rows[0]?.inserted === 1 }
    },

    async events(conversationId: string): Promise<readonly StoredEvent[]> {
      await ready()
      const rows = await client.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM ${t.events} WHERE conversation_id = $1 ORDER BY occurred_at, key`,
        [conversationId],
      )
      return rows.map(storedEvent)
    },

    async claimFinished(claim: ClaimOptions): Promise<readonly ExportClaim[]> {
      checkClaimOptions(claim)
      await ready()
      const now = clock()
      const quietBefore = claim.quietMs === null ? null : new Date(now.getTime() - claim.quietMs)
      const settledBefore = new Date(now.getTime() - (claim.settleMs ?? 0))
      const until = new Date(now.getTime() + claim.leaseMs)
      // Due: events no export held, not failed, no live lease, past any retry time, and then a
      // retry, an expired claim (its owner died: that try counts as failed), closed and settled,
      // or quiet. The CTE locks the rows it picks and skips rows another claimer holds, so
      // concurrent claimers (in any process) never pick the same conversation; a row updated
      // meanwhile is re-checked against the WHERE before it is locked.
      const rows = await client.query<ClaimRow>(
        `WITH picked AS (
           SELECT conversation_id FROM ${t.conversations}
           WHERE failed_at IS NULL
             AND event_count > exported_event_count
             AND (claim_until IS NULL OR claim_until <= $1)
             AND (retry_at IS NULL OR retry_at <= $1)
             AND (retry_at IS NOT NULL OR claim_owner IS NOT NULL
                  OR (closed_at IS NOT NULL AND last_received_at <= $7::timestamptz)
                  OR last_received_at <= $2::timestamptz)
             AND ($3::text IS NULL OR conversation_id = $3::text)
           ORDER BY last_received_at, conversation_id
           LIMIT $4
           FOR UPDATE SKIP LOCKED)
         UPDATE ${t.conversations} AS c
         SET claim_owner = $5, claim_until = $6, attempts = c.attempts + 1,
           failures = c.failures + CASE WHEN c.claim_owner IS NULL THEN 0 ELSE 1 END
         FROM picked WHERE c.conversation_id = picked.conversation_id
         RETURNING c.conversation_id, c.claim_until, c.closed_at IS NOT NULL AS closed, c.attempts,
           c.revision + 1 AS revision, c.failures, c.last_received_at`,
        [now, quietBefore, claim.conversationId ?? null, claim.limit, claim.owner, until, settledBefore],
      )
      return [...rows]
        .sort(
          (a, b) =>
            a.last_received_at.getTime() - b.last_received_at.getTime() ||
            compareText(a.conversation_id, b.conversation_id),
        )
        .map((row) => ({
          conversationId: row.conversation_id,
          owner: claim.owner,
          until: row.claim_until,
          reason: row.closed ? 'closed' : 'quiet',
          attempt: row.attempts,
          revision: row.revision,
          failures: row.failures,
        }))
    },

    async renew(claim: ExportClaim, leaseMs: number): Promise<Date | null> {
      checkRenew(claim, leaseMs)
      await ready()
      const now = clock()
      const rows = await client.query<{ claim_until: Date }>(
        `UPDATE ${t.conversations} SET claim_until = $4 WHERE ${HELD} RETURNING claim_until`,
        [claim.conversationId, claim.owner, claim.attempt, new Date(now.getTime() + leaseMs)],
      )
      return rows[0]?.claim_until ?? null
    },

    async markExported(claim: ExportClaim, exported?: ExportedEvents): Promise<boolean> {
      checkExported(claim, exported)
      await ready()
      const rows = await client.query(
        `UPDATE ${t.conversations}
         SET exported_at = $4, revision = $5, exported_event_count = least(coalesce($6, event_count), event_count),
           failures = 0, claim_owner = NULL, claim_until = NULL, retry_at = NULL
         WHERE ${HELD}
         RETURNING conversation_id`,
        [
          claim.conversationId,
          claim.owner,
          claim.attempt,
          clock(),
          claim.revision,
          exported?.eventCount ?? null,
        ],
      )
      return rows.length === 1
    },

    async release(claim: ExportClaim, error: string, retryAfterMs: number): Promise<void> {
      checkRelease(claim, retryAfterMs)
      await ready()
      const now = clock()
      await client.query(
        `UPDATE ${t.conversations}
         SET claim_owner = NULL, claim_until = NULL, failures = failures + 1, last_error = $4, retry_at = $5
         WHERE ${HELD}`,
        [claim.conversationId, claim.owner, claim.attempt, error, new Date(now.getTime() + retryAfterMs)],
      )
    },

    async markFailed(claim: ExportClaim, error: string): Promise<boolean> {
      await ready()
      const rows = await client.query(
        `UPDATE ${t.conversations}
         SET claim_owner = NULL, claim_until = NULL, failures = failures + 1, last_error = $4,
           retry_at = NULL, failed_at = $5
         WHERE ${HELD}
         RETURNING conversation_id`,
        [claim.conversationId, claim.owner, claim.attempt, error, clock()],
      )
      return rows.length === 1
    },

    async retryFailed(options: RetryFailedOptions): Promise<readonly string[]> {
      checkRetryFailed(options)
      await ready()
      const rows = await client.query<{ conversation_id: string }>(
        `UPDATE ${t.conversations}
         SET failed_at = NULL, failures = 0, retry_at = $1
         WHERE failed_at IS NOT NULL AND ($2::text IS NULL OR conversation_id = $2::text)
         RETURNING conversation_id`,
        [clock(), options.all === true ? null : options.conversationId],
      )
      return rows.map((r) => r.conversation_id).sort(compareText)
    },

    async conversations(list?: ListOptions): Promise<readonly StoredConversation[]> {
      const limit = listLimit(list, 'conversations')
      await ready()
      const rows = await client.query<ConversationRow>(
        `SELECT * FROM (SELECT ${CONVERSATION_COLUMNS} FROM ${t.conversations}) AS s
         WHERE $2::text IS NULL OR state = $2::text
         ORDER BY last_received_at DESC, conversation_id
         LIMIT $3`,
        [clock(), list?.state ?? null, limit],
      )
      return rows.map(storedConversation)
    },

    async conversation(conversationId: string): Promise<StoredConversation | null> {
      await ready()
      const rows = await client.query<ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM ${t.conversations} WHERE conversation_id = $2`,
        [clock(), conversationId],
      )
      const row = rows[0]
      return row === undefined ? null : storedConversation(row)
    },

    async poisoned(limit = 100): Promise<readonly StoredEvent[]> {
      listLimit({ limit }, 'poisoned')
      await ready()
      const rows = await client.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM ${t.events} WHERE poisoned IS NOT NULL
         ORDER BY received_at DESC, key LIMIT $1`,
        [limit],
      )
      return rows.map(storedEvent)
    },

    async close(): Promise<void> {
      if (closed) return
      closed = true
      // Let a migration in flight finish before its connection goes.
      await migrated?.catch(() => undefined)
      await client.close()
    },
  }
}

/**
 * Creates or upgrades the schema in one transaction under an advisory lock on the prefix: a
 * second process migrating at the same time waits, then finds the work done.
 */
async function migrate(client: SqlClient, t: SqlTables, clock: () => Date): Promise<void> {
  const all = migrations(t)
  await client.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${t.migrationLock}::bigint)`)
    await tx.query(schemaVersionTable(t))
    const rows = await tx.query<{ version: number }>(
      `SELECT coalesce(max(version), 0)::integer AS version FROM ${t.schemaVersion}`,
    )
    const current = rows[0]?.version ?? 0
    if (current > all.length) {
      throw new Error(
        `event store: the tables ${t.prefix}* are at schema version ${current}, newer than this ` +
          `smartsupp-hook knows (${all.length}); upgrade smartsupp-hook in this process`,
      )
    }
    for (let version = current + 1; version <= all.length; version++) {
      for (const statement of all[version - 1] ?? []) await tx.query(statement)
      await tx.query(`INSERT INTO ${t.schemaVersion} (version, applied_at) VALUES ($1, $2)`, [
        version,
        clock(),
      ])
    }
  })
}

function storedEvent(row: EventRow): StoredEvent {
  return {
    key: row.key,
    conversationId: row.conversation_id,
    accountId: row.account_id,
    event: row.event,
    occurredAt: row.occurred_at,
    closes: row.closes,
    // A plain Uint8Array whatever the driver returns (node-postgres: a Buffer over a shared pool).
    body: new Uint8Array(row.body),
    poisoned: row.poisoned,
    receivedAt: row.received_at,
  }
}

function storedConversation(row: ConversationRow): StoredConversation {
  return {
    conversationId: row.conversation_id,
    accountId: row.account_id,
    state: row.state,
    eventCount: row.event_count,
    firstEventAt: row.first_event_at,
    lastEventAt: row.last_event_at,
    lastReceivedAt: row.last_received_at,
    closedAt: row.closed_at,
    exportedAt: row.exported_at,
    revision: row.revision,
    attempts: row.attempts,
    failures: row.failures,
    failedAt: row.failed_at,
    lastError: row.last_error,
    eventsAfterExport: row.events_after_export,
  }
}
