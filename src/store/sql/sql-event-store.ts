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
  ReleaseOptions,
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
import { earliestDue, type QueuedAppend, writeAppendBatch } from './append-batch.js'
import { type DueSeen, dueSeenMayHaveDue, dueSeenStale } from './due-seen.js'
import { groupCommit } from './group-commit.js'
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

interface NextDueRow {
  readonly next_at: Date | null
  readonly next_closed: Date | null
  readonly next_open: Date | null
}

interface ClaimRow {
  readonly conversation_id: string
  readonly claim_until: Date
  readonly closed: boolean
  readonly attempts: number
  readonly revision: number
  readonly failures: number
  readonly due_from: Date
}

/** Appends written together: at most this many events in one statement… */
const BATCH_EVENTS = 100
/** …and about this many bytes of bodies (a larger event is written alone). */
const BATCH_BYTES = 4 * 1024 * 1024

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

  // Group commit: appends that arrive while earlier batches are being written are written
  // together, one statement and one commit per batch, each answered once its batch committed.
  // Half the driver's connections at most (the rest claim and export); batches form while the
  // ones in flight commit, so a lone append waits for nothing.
  // Each batch also reads the earliest due time of each kind (dueSeen), so a receiver can skip
  // its per-delivery claim when nothing can be due yet. This store's own writes that can make a
  // conversation due sooner (a release, an export marked, a retry) forget it until a batch sent
  // after them has read it again.
  let dueSeen: DueSeen | null = null
  let batches = 0
  let trustFrom = 0
  /** Runs a write that may make a conversation due sooner, then forgets dueSeen (even if it failed: it may have committed). */
  const dueChanging = async <T>(write: Promise<T>): Promise<T> => {
    try {
      return await write
    } finally {
      dueSeen = null
      trustFrom = batches + 1
    }
  }
  const appends = groupCommit<QueuedAppend, AppendOutcome>(
    async (batch) => {
      const seq = ++batches
      const sentAt = Date.now()
      const { outcomes, due, written } = await writeAppendBatch(
        client,
        t,
        batch,
        dueSeenStale(dueSeen, sentAt),
      )
      if (due !== null && seq >= trustFrom && (dueSeen === null || seq > dueSeen.seq)) {
        dueSeen = { ...due, seq, sentAt }
      } else if (dueSeen !== null) {
        // What this store wrote can be due before what was read: a conversation it closed, one
        // that got an event after its export.
        dueSeen = { ...dueSeen, ...earliestDue(dueSeen, written) }
      }
      return outcomes
    },
    {
      maxItems: BATCH_EVENTS,
      maxBytes: BATCH_BYTES,
      inFlight: Math.max(1, Math.floor((client.connections ?? 10) / 2)),
      deadlineMs: client.appendTimeoutMs ?? null,
      timedOut: (ms) =>
        new Error(
          `event store (${t.prefix}*): an append was not committed within ${ms} ms of its call (queryTimeoutMs): the database did not answer (stopped, frozen or unreachable, or too busy), so the delivery is answered 500 and Smartsupp re-delivers it. Check the database; raise queryTimeoutMs if it is only slow`,
        ),
    },
  )

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
      return appends.submit({ event, receivedAt: clock() }, event.body.byteLength)
    },

    mayHaveDue(claim: Pick<ClaimOptions, 'quietMs' | 'settleMs'>): boolean {
      return dueSeenMayHaveDue(dueSeen, claim, clock().getTime(), Date.now())
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
      // Due (see migration 3): a retry's time or an expired lease's end has come (due_kind 0), a
      // closed conversation settled (1: settleMs, or quietMs if shorter, after its last receipt),
      // an open one quiet (2). Each kind is one range of the due_at index, read in order up to
      // the limit, so the claim touches only due rows. FOR UPDATE SKIP LOCKED locks the rows it
      // picks and skips rows another claimer holds, so concurrent claimers (in any process) never
      // pick the same conversation; a row updated meanwhile is re-checked before it is locked.
      // Up to `limit` of each kind are locked; the first `limit` of them are claimed.
      const closedBefore =
        quietBefore !== null && quietBefore.getTime() > settledBefore.getTime() ? quietBefore : settledBefore
      // $1 now, $2 quiet before, $3 closed (settled) before, $4 limit; $7 the one conversation.
      const due = (kind: number, cutOff: string) =>
        `SELECT conversation_id, due_from FROM ${t.conversations}
           WHERE due_kind = ${kind} AND due_from <= ${cutOff}::timestamptz
           ORDER BY due_from, conversation_id LIMIT $4 FOR UPDATE SKIP LOCKED`
      const params: unknown[] = [now, quietBefore, closedBefore, claim.limit, claim.owner, until]
      const claimed = `UPDATE ${t.conversations} AS c
         SET claim_owner = $5, claim_until = $6, attempts = c.attempts + 1,
           failures = c.failures + CASE WHEN c.claim_owner IS NULL THEN 0 ELSE 1 END
         FROM picked WHERE c.conversation_id = picked.conversation_id
         RETURNING c.conversation_id, c.claim_until, c.closed_at IS NOT NULL AS closed, c.attempts,
           c.revision + 1 AS revision, c.failures, picked.due_from`
      let rows: ClaimRow[]
      if (claim.conversationId === undefined) {
        // Also the next due_from of each kind beyond what is due now (three index probes), so
        // that after a claim that got fewer than its limit, mayHaveDue knows when to look again.
        const next = (kind: number, cutOff: string) =>
          `(SELECT due_from FROM ${t.conversations} WHERE due_kind = ${kind} AND due_from > ${cutOff}::timestamptz
             ORDER BY due_from LIMIT 1)`
        const result = await client.query<ClaimRow & NextDueRow>(
          `WITH at_time AS (${due(0, '$1')}), settled AS (${due(1, '$3')}), quiet AS (${due(2, '$2')}),
           picked AS (SELECT * FROM at_time UNION ALL SELECT * FROM settled UNION ALL SELECT * FROM quiet
             ORDER BY due_from, conversation_id LIMIT $4),
           claimed AS (${claimed})
           SELECT claimed.*, n.* FROM (SELECT ${next(0, '$1')} AS next_at, ${next(1, '$3')} AS next_closed,
             ${next(2, "coalesce($2::timestamptz, '-infinity')")} AS next_open) AS n
           LEFT JOIN claimed ON true`,
          params,
        )
        rows = result.filter((r) => r.conversation_id !== null)
        const [first] = result
        // Fewer than asked: nothing else was due (but what other claimers held), so nothing is
        // until the earliest of these (or the leases just taken end), for these options.
        if (first !== undefined && rows.length < claim.limit && batches >= trustFrom) {
          const leaseEnd = rows.length === 0 ? null : until.getTime()
          const at = first.next_at?.getTime() ?? null
          dueSeen = {
            at: at === null ? leaseEnd : leaseEnd === null ? at : Math.min(at, leaseEnd),
            closed: first.next_closed?.getTime() ?? null,
            open: first.next_open?.getTime() ?? null,
            seq: batches,
            sentAt: Date.now(),
            options: { settleMs: claim.settleMs ?? 0, quietMs: claim.quietMs },
          }
        }
      } else {
        params.push(claim.conversationId)
        rows = await client.query<ClaimRow>(
          `WITH picked AS (SELECT conversation_id, due_from FROM ${t.conversations}
             WHERE conversation_id = $7::text
               AND ((due_kind = 0 AND due_from <= $1::timestamptz)
                 OR (due_kind = 1 AND due_from <= $3::timestamptz)
                 OR (due_kind = 2 AND due_from <= $2::timestamptz))
             LIMIT $4 FOR UPDATE SKIP LOCKED)
           ${claimed}`,
          params,
        )
      }
      return [...rows]
        .sort(
          (a, b) =>
            a.due_from.getTime() - b.due_from.getTime() || compareText(a.conversation_id, b.conversation_id),
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
      const rows = await dueChanging(
        client.query(
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
        ),
      )
      return rows.length === 1
    },

    async release(
      claim: ExportClaim,
      error: string,
      retryAfterMs: number,
      options?: ReleaseOptions,
    ): Promise<void> {
      checkRelease(claim, retryAfterMs)
      await ready()
      const now = clock()
      const failed = options?.failed !== false
      await dueChanging(
        client.query(
          `UPDATE ${t.conversations}
         SET claim_owner = NULL, claim_until = NULL, failures = failures + $6, last_error = $4, retry_at = $5
         WHERE ${HELD}`,
          [
            claim.conversationId,
            claim.owner,
            claim.attempt,
            error,
            new Date(now.getTime() + retryAfterMs),
            failed ? 1 : 0,
          ],
        ),
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
      const rows = await dueChanging(
        client.query<{ conversation_id: string }>(
          `UPDATE ${t.conversations}
         SET failed_at = NULL, failures = 0, retry_at = $1
         WHERE failed_at IS NOT NULL AND ($2::text IS NULL OR conversation_id = $2::text)
         RETURNING conversation_id`,
          [clock(), options.all === true ? null : options.conversationId],
        ),
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
      // Let a migration and the appends in flight finish before their connections go.
      await migrated?.catch(() => undefined)
      await appends.drain()
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
