import { fnv1a64 } from '../../helpers/fnv1a64.js'

/** The table names for one `tablePrefix` (internal). */
export interface SqlTables {
  readonly prefix: string
  readonly events: string
  readonly conversations: string
  readonly schemaVersion: string
  /** The advisory lock key that serialises migrations of these tables, as a bigint literal. */
  readonly migrationLock: string
}

export const DEFAULT_TABLE_PREFIX = 'smartsupp_'

/**
 * The tables for `prefix`, after checking it is a plain lowercase identifier: it is written into
 * the SQL as is (never quoted), so anything else is refused.
 */
export function sqlTables(prefix: string = DEFAULT_TABLE_PREFIX): SqlTables {
  if (typeof prefix !== 'string' || !/^[a-z_][a-z0-9_]{0,39}$/.test(prefix)) {
    throw new TypeError(
      `tablePrefix ${JSON.stringify(prefix)} is not usable: use 1 to 40 lowercase letters, digits and _, ` +
        `starting with a letter or _ (e.g. "smartsupp_"); put the tables in another schema with the ` +
        `connection's search_path instead of a dot`,
    )
  }
  return {
    prefix,
    events: `${prefix}events`,
    conversations: `${prefix}conversations`,
    schemaVersion: `${prefix}schema_version`,
    // A signed 64-bit number from the prefix, so stores of different prefixes migrate independently.
    migrationLock: BigInt.asIntN(64, BigInt(`0x${fnv1a64(`smartsupp-hook migrate ${prefix}`)}`)).toString(),
  }
}

/** The schema-version table, created (if missing) before the migrations run. */
export function schemaVersionTable(t: SqlTables): string {
  return `CREATE TABLE IF NOT EXISTS ${t.schemaVersion} (
  -- The number of a migration that ran (1, 2, …); the highest is the schema's version.
  version integer PRIMARY KEY,
  -- When it ran (the store's clock).
  applied_at timestamptz NOT NULL
)`
}

/**
 * The migrations, in order: migration `i + 1` is `migrations(t)[i]`, a list of statements run in
 * one transaction. Never edit one that shipped; add the next.
 */
export function migrations(t: SqlTables): readonly (readonly string[])[] {
  return [
    [
      // Every authentic delivery, once per key, with its exact bytes.
      `CREATE TABLE ${t.events} (
  -- The de-duplication key: webhookEventKey(event), or poisonedEventKey(bytes) for an undecodable
  -- body. Unique, so a re-delivery inserts nothing. COLLATE "C": ordered by bytes, like the memory store.
  key text COLLATE "C" PRIMARY KEY,
  -- The conversation the event belongs to (data.conversation.id, data.conversation_id or
  -- data.message.conversation_id, as text); NULL for contact.* events and poisoned bodies.
  conversation_id text COLLATE "C",
  -- The envelope's account_id; NULL when absent or unreadable.
  account_id text,
  -- The event name as sent (conversation.closed, or a name the library does not know);
  -- NULL when the body was unreadable (poisoned).
  event text,
  -- The event's own timestamp; NULL when missing or unreadable. Events are read in this order.
  occurred_at timestamptz,
  -- True for conversation.closed and conversation.closed_by_contact: the conversation is finished.
  closes boolean NOT NULL,
  -- The request body exactly as Smartsupp signed it.
  body bytea NOT NULL,
  -- Why an authentic body could not be decoded (the decoder's message); NULL for a decoded event.
  poisoned text,
  -- When this store first received it (the store's clock).
  received_at timestamptz NOT NULL
)`,
      `CREATE INDEX ${t.events}_by_conversation ON ${t.events} (conversation_id, occurred_at, key)
  WHERE conversation_id IS NOT NULL`,
      `CREATE INDEX ${t.events}_poisoned ON ${t.events} (received_at) WHERE poisoned IS NOT NULL`,
      // One row per conversation: its events' summary and its export's state.
      `CREATE TABLE ${t.conversations} (
  -- The conversation's id, as in events.conversation_id.
  conversation_id text COLLATE "C" PRIMARY KEY,
  -- The account_id of its first event that told one.
  account_id text,
  -- How many distinct events of it were stored.
  event_count integer NOT NULL,
  -- The earliest and latest events.occurred_at; NULL while no event told its time.
  first_event_at timestamptz,
  last_event_at timestamptz,
  -- When an event of it was last received (the store's clock); the quiet period runs from here.
  last_received_at timestamptz NOT NULL,
  -- When its first closing event was received; NULL while it is not closed.
  closed_at timestamptz,
  -- When onConversationFinished succeeded and the export was marked; NULL until then.
  exported_at timestamptz,
  -- Who holds the current or last claim (a receiver process's owner id), and until when;
  -- claim_until in the past means the lease expired and anyone may claim it again.
  claim_owner text,
  claim_until timestamptz,
  -- How many times it was claimed; a claim is identified by (claim_owner, attempts).
  attempts integer NOT NULL DEFAULT 0,
  -- The last failed export's error message; NULL when none failed.
  last_error text,
  -- After a failed export, not claimed again before this time.
  retry_at timestamptz,
  -- Events received after it was exported (late re-deliveries with new content, a late rating).
  events_after_export integer NOT NULL DEFAULT 0
)`,
      // What claimFinished scans: not exported yet, oldest received first.
      `CREATE INDEX ${t.conversations}_unexported ON ${t.conversations} (last_received_at, conversation_id)
  WHERE exported_at IS NULL`,
      // What conversations() reads: most recently received first.
      `CREATE INDEX ${t.conversations}_by_received ON ${t.conversations} (last_received_at DESC, conversation_id)`,
    ],
    // 2: revisions (a conversation is exported again, whole, after late events), renewed leases,
    // and the failed state (issue 17).
    [
      `ALTER TABLE ${t.conversations}
  -- How many revisions were exported: 0 before the first export; the next export is revision + 1.
  ADD COLUMN revision integer NOT NULL DEFAULT 0,
  -- How many of its events the last export held; more stored (event_count > exported_event_count)
  -- makes it due again. exported_at is now when the last revision was exported.
  ADD COLUMN exported_event_count integer NOT NULL DEFAULT 0,
  -- Failed or abandoned tries in a row of the next revision (a release, or a lease that expired
  -- unconcluded); 0 after a success or a retry. attempts still counts every claim.
  ADD COLUMN failures integer NOT NULL DEFAULT 0,
  -- When it became failed (failures reached the exporter's maxExportAttempts): never claimed
  -- while set; export --retry clears it.
  ADD COLUMN failed_at timestamptz`,
      // Exported rows become revision 1 of what they held; the events that came after that export
      // (events_after_export, no longer maintained from here on) make them due as revision 2.
      `UPDATE ${t.conversations}
  SET revision = 1, exported_event_count = event_count - events_after_export
  WHERE exported_at IS NOT NULL`,
      // Tries so far of conversations never exported: every finished claim, not one still held.
      `UPDATE ${t.conversations}
  SET failures = attempts - CASE WHEN claim_owner IS NULL THEN 0 ELSE 1 END
  WHERE exported_at IS NULL AND attempts > 0`,
      // What claimFinished scans: conversations with events no export held, not failed.
      `DROP INDEX ${t.conversations}_unexported`,
      `CREATE INDEX ${t.conversations}_due ON ${t.conversations} (last_received_at, conversation_id)
  WHERE failed_at IS NULL AND event_count > exported_event_count`,
    ],
    // 3: claims read only what is due (issue 18). Each row keeps when it can next become due, in
    // two columns PostgreSQL computes from the others on every write (so rows of schema 2 get them
    // as they are, and no statement can forget them), indexed for the rows that can become due.
    [
      `ALTER TABLE ${t.conversations}
  -- What makes it due, and so how due_from is read (NULL: nothing to export, or failed):
  --   0 at due_from itself: a retry's time (released) or a lease's end (claimed);
  --   1 closed: settleMs after due_from (its last receipt), or quietMs if that is shorter;
  --   2 open: quietMs after due_from (its last receipt).
  ADD COLUMN due_kind smallint GENERATED ALWAYS AS (CASE
    WHEN failed_at IS NOT NULL OR event_count <= exported_event_count THEN NULL
    WHEN claim_owner IS NOT NULL OR retry_at IS NOT NULL THEN 0
    WHEN closed_at IS NOT NULL THEN 1
    ELSE 2 END) STORED,
  ADD COLUMN due_from timestamptz GENERATED ALWAYS AS (CASE
    WHEN claim_owner IS NOT NULL OR retry_at IS NOT NULL THEN greatest(claim_until, retry_at)
    ELSE last_received_at END) STORED`,
      // What claimFinished reads: one range of this index per kind, up to its cut-off, in order,
      // so a claim touches only due rows however many conversations wait.
      `CREATE INDEX ${t.conversations}_due_at ON ${t.conversations} (due_kind, due_from, conversation_id)
  WHERE due_kind IS NOT NULL`,
      `DROP INDEX ${t.conversations}_due`,
    ],
  ]
}
