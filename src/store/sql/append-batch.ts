import type { AppendOutcome, NewStoredEvent } from '../event-store.js'
import type { SqlQuery } from './sql-client.js'
import type { SqlTables } from './sql-schema.js'

/** An append waiting for its batch (internal): the event and when the store received it. */
export interface QueuedAppend {
  readonly event: NewStoredEvent
  readonly receivedAt: Date
}

/**
 * The earliest `due_from` of each `due_kind` (migration 3) as a statement saw it, in ms: what can
 * become due first. `null` when no row is of that kind.
 */
export interface DueFroms {
  /** Kind 0: a retry's time or a lease's end. */
  readonly at: number | null
  /** Kind 1: the last receipt of a closed conversation (due settleMs later). */
  readonly closed: number | null
  /** Kind 2: the last receipt of an open conversation (due quietMs later). */
  readonly open: number | null
}

/** The earlier of each kind's due time in `a` and `b` (internal). */
export function earliestDue(a: DueFroms, b: DueFroms): DueFroms {
  const min = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.min(x, y))
  return { at: min(a.at, b.at), closed: min(a.closed, b.closed), open: min(a.open, b.open) }
}

/** What one batch did: an outcome per queued append, in order, and what it saw of due times. */
export interface AppendBatchResult {
  readonly outcomes: readonly AppendOutcome[]
  /** The earliest due times across the store, its own writes included; `null` when the batch was not asked to read them. */
  readonly due: DueFroms | null
  /** The earliest due times of the conversations this batch wrote, as it wrote them. */
  readonly written: DueFroms
}

interface BatchRow {
  readonly inserted: readonly number[] | null
  readonly written_at: Date | null
  readonly written_closed: Date | null
  readonly written_open: Date | null
  readonly next_at?: Date | null
  readonly next_closed?: Date | null
  readonly next_open?: Date | null
}

const COLUMNS = 10

/**
 * Batches of up to this many distinct events (every batch: the store writes at most 100 events a
 * batch) run as prepared statements, one per row count (and with or without the due-time read):
 * parsed and planned once per connection (node-postgres) or per instance (PGlite), not per
 * append, which was most of a lone append's cost. At most 200 names a connection.
 */
const PREPARED_ROWS = 100

/**
 * Writes a batch of appends in one statement, so in one transaction and one commit (internal):
 * one multi-row `INSERT … ON CONFLICT DO NOTHING` of the events, then one upsert of their
 * conversations with what the new events add (counted, earliest and latest times, first account,
 * first close), exactly as appending them one after another would. A key queued twice is written
 * once: its first append is `inserted` (when the key was new), the others are not. Events are
 * inserted in key order and conversations upserted in id order, so concurrent batches lock rows in
 * one order and never deadlock. It returns the earliest `due_from` of each kind among the
 * conversations it wrote and, with `readDue`, across the store (three index probes), for
 * `mayHaveDue`.
 */
export async function writeAppendBatch(
  client: SqlQuery,
  t: SqlTables,
  batch: readonly QueuedAppend[],
  readDue: boolean,
): Promise<AppendBatchResult> {
  const first = new Map<string, number>()
  const params: unknown[] = []
  const rows: string[] = []
  batch.forEach(({ event, receivedAt }, ord) => {
    if (first.has(event.key)) return
    first.set(event.key, ord)
    const p = params.length
    params.push(
      ord,
      event.key,
      event.conversationId,
      event.accountId,
      event.event,
      event.occurredAt,
      event.closes,
      event.body,
      event.poisoned,
      receivedAt,
    )
    rows.push(
      `($${p + 1}::integer, $${p + 2}::text, $${p + 3}::text, $${p + 4}::text, $${p + 5}::text, ` +
        `$${p + 6}::timestamptz, $${p + 7}::boolean, $${p + 8}::bytea, $${p + 9}::text, $${p + 10}::timestamptz)`,
    )
  })
  if (params.length !== rows.length * COLUMNS) throw new Error('append batch: parameters out of step')
  const next = (kind: number) =>
    `(SELECT due_from FROM ${t.conversations} WHERE due_kind = ${kind} ORDER BY due_from LIMIT 1)`
  const upsert = `ON CONFLICT (conversation_id) DO UPDATE SET
         account_id = coalesce(c.account_id, excluded.account_id),
         event_count = c.event_count + excluded.event_count,
         first_event_at = least(c.first_event_at, excluded.first_event_at),
         last_event_at = greatest(c.last_event_at, excluded.last_event_at),
         last_received_at = greatest(c.last_received_at, excluded.last_received_at),
         closed_at = coalesce(c.closed_at, excluded.closed_at)
       RETURNING due_kind, due_from`
  const conversationColumns = `conversation_id, account_id, event_count, first_event_at, last_event_at,
         last_received_at, closed_at`
  const selectInserted =
    rows.length === 1
      ? `CASE WHEN EXISTS (SELECT FROM inserted) THEN ARRAY[$1::integer] ELSE '{}'::integer[] END`
      : 'array(SELECT ord FROM added)'
  // One event (a lone delivery, or re-deliveries of one): the same rows with less for the planner.
  const writes =
    rows.length === 1
      ? `inserted AS (
       INSERT INTO ${t.events} (key, conversation_id, account_id, event, occurred_at, closes, body, poisoned, received_at)
       VALUES ${(rows[0] as string).replace(/^\(\$1::integer, /, '(')}
       ON CONFLICT (key) DO NOTHING
       RETURNING conversation_id, account_id, occurred_at, closes, received_at
     ), counted AS (
       INSERT INTO ${t.conversations} AS c (${conversationColumns})
       SELECT conversation_id, account_id, 1, occurred_at, occurred_at, received_at,
         CASE WHEN closes THEN received_at END
       FROM inserted WHERE conversation_id IS NOT NULL
       ${upsert}
     )`
      : `input (ord, key, conversation_id, account_id, event, occurred_at, closes, body, poisoned, received_at) AS (
       VALUES ${rows.join(',\n       ')}
     ), inserted AS (
       INSERT INTO ${t.events} (key, conversation_id, account_id, event, occurred_at, closes, body, poisoned, received_at)
       SELECT key, conversation_id, account_id, event, occurred_at, closes, body, poisoned, received_at
       FROM input ORDER BY key COLLATE "C"
       ON CONFLICT (key) DO NOTHING
       RETURNING key
     ), added AS (
       SELECT n.* FROM inserted AS i JOIN input AS n ON n.key = i.key COLLATE "C"
     ), counted AS (
       INSERT INTO ${t.conversations} AS c (${conversationColumns})
       SELECT conversation_id,
         (array_agg(account_id ORDER BY ord) FILTER (WHERE account_id IS NOT NULL))[1],
         count(*)::integer, min(occurred_at), max(occurred_at), max(received_at),
         (array_agg(received_at ORDER BY ord) FILTER (WHERE closes))[1]
       FROM added WHERE conversation_id IS NOT NULL
       GROUP BY conversation_id
       ORDER BY conversation_id COLLATE "C"
       ${upsert}
     )`
  // The due times of the conversations written, one pass over `counted` (an aggregate without
  // GROUP BY: one row even when nothing was written).
  const [row] = await client.query<BatchRow>(
    `/* smartsupp-hook append batch */
     WITH ${writes}
     SELECT (${selectInserted}) AS inserted,
       min(due_from) FILTER (WHERE due_kind = 0) AS written_at,
       min(due_from) FILTER (WHERE due_kind = 1) AS written_closed,
       min(due_from) FILTER (WHERE due_kind = 2) AS written_open${
         readDue ? `, ${next(0)} AS next_at, ${next(1)} AS next_closed, ${next(2)} AS next_open` : ''
       }
     FROM counted`,
    params,
    rows.length <= PREPARED_ROWS ? `${t.prefix}append_${rows.length}${readDue ? '_due' : ''}` : undefined,
  )
  const inserted = new Set(row?.inserted ?? [])
  const written: DueFroms = {
    at: row?.written_at?.getTime() ?? null,
    closed: row?.written_closed?.getTime() ?? null,
    open: row?.written_open?.getTime() ?? null,
  }
  return {
    outcomes: batch.map(({ event }, ord) => ({
      inserted: first.get(event.key) === ord && inserted.has(ord),
    })),
    // What the statement read is from before its own writes: they are added.
    due: readDue
      ? earliestDue(
          {
            at: row?.next_at?.getTime() ?? null,
            closed: row?.next_closed?.getTime() ?? null,
            open: row?.next_open?.getTime() ?? null,
          },
          written,
        )
      : null,
    written,
  }
}
